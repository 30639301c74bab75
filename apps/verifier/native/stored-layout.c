#include "stored-layout.h"

static int uuid(Cursor *c, Slice *out) {
  if (!fixed(c, out, 36)) return 0;
  for (size_t i = 0; i < 36; i++) {
    unsigned char ch = (unsigned char)out->at[i];
    if (i == 8 || i == 13 || i == 18 || i == 23 ? ch != '-' : !is_hex(ch)) return 0;
  }
  return 1;
}

static unsigned digits(const char *p, int count) {
  unsigned n = 0;
  for (int i = 0; i < count; i++) n = n * 10 + (unsigned)(p[i] - '0');
  return n;
}

/* TIME_PATTERN, then isCalendarTime. */
static int envelope_time(Cursor *c, Slice *out) {
  static const char form[] = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (!fixed(c, out, 24)) return 0;
  for (int i = 0; i < 24; i++) {
    unsigned char ch = (unsigned char)out->at[i];
    if (form[i] == 'd' ? !is_digit(ch) : ch != (unsigned char)form[i]) return 0;
  }
  const char *t = out->at;
  unsigned year = digits(t, 4), month = digits(t + 5, 2), day = digits(t + 8, 2);
  if (month < 1 || month > 12 || day < 1) return 0;
  unsigned days = month == 2 ? ((year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28)
                             : (month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31);
  return day <= days && digits(t + 11, 2) < 24 && digits(t + 14, 2) < 60 && digits(t + 17, 2) < 60;
}

int read_envelope(const char *text, size_t n, Envelope *e) {
  Cursor c = {text, text + n};
  memset(e, 0, sizeof *e);
  if (!literal(&c, "{\"v\":1,\"id\":\"") || !uuid(&c, &e->id)) return 0;
  if (!literal(&c, "\",\"stream\":\"") || !plain_run(&c, &e->stream, 1)) return 0;
  if (!literal(&c, "\",\"revision\":")) return 0;
  /* (0|[1-9][0-9]{0,15}) */
  const char *r = c.p;
  if (c.p < c.end && *c.p == '0') {
    c.p++;
  } else {
    while (c.p < c.end && is_digit((unsigned char)*c.p) && c.p - r < 16) c.p++;
    if (c.p == r || *r == '0') return 0;
  }
  e->revision.at = r;
  e->revision.length = (size_t)(c.p - r);
  if (!literal(&c, ",\"type\":\"") || !plain_run(&c, &e->type, 1)) return 0;
  if (!literal(&c, "\",\"time\":\"") || !envelope_time(&c, &e->time)) return 0;
  if (!literal(&c, "\",\"actor\":{\"kind\":\"")) return 0;
  const char *k = c.p;
  if (literal(&c, "user\"") || literal(&c, "webhook\"") || literal(&c, "system\"")) {
    c.p--;
    e->kind.at = k;
    e->kind.length = (size_t)(c.p - k);
  } else {
    return 0;
  }
  if (!literal(&c, "\",\"id\":\"") || !plain_run(&c, &e->actor_id, 1) || !literal(&c, "\"")) return 0;
  if (literal(&c, ",\"session\":\"") && (!plain_run(&c, &e->session, 0) || !literal(&c, "\""))) return 0;
  if (literal(&c, ",\"org\":\"") && (!plain_run(&c, &e->org, 0) || !literal(&c, "\""))) return 0;
  if (literal(&c, ",\"mfa\":")) {
    const char *m = c.p;
    if (!literal(&c, "true") && !literal(&c, "false")) return 0;
    e->mfa.at = m;
    e->mfa.length = (size_t)(c.p - m);
  }
  if (literal(&c, ",\"ref\":\"") && (!plain_run(&c, &e->ref, 0) || !literal(&c, "\""))) return 0;
  if (!literal(&c, "},\"$correlationId\":\"") || !plain_run(&c, &e->correlation, 0)) return 0;
  if (!literal(&c, "\",\"$causationId\":\"") || !plain_run(&c, &e->causation, 0)) return 0;
  /* dataHash and hash: any 64 characters, as the expression (only a recomputed digest is accepted). */
  if (!literal(&c, "\",\"dataHash\":\"") || !fixed(&c, &e->data_hash, 64)) return 0;
  if (!literal(&c, "\",\"prev\":\"") || !fixed(&c, &e->prev, 64)) return 0;
  for (int i = 0; i < 64; i++) if (!is_hex((unsigned char)e->prev.at[i])) return 0;
  if (!literal(&c, "\",\"hash\":\"") || !fixed(&c, &e->hash, 64)) return 0;
  if (!literal(&c, "\",\"sig\":\"")) return 0;
  /* [A-Za-z0-9_-]*\.\.[A-Za-z0-9_-]* */
  const char *s = c.p;
  while (c.p < c.end && is_b64url((unsigned char)*c.p)) c.p++;
  if (!literal(&c, "..")) return 0;
  while (c.p < c.end && is_b64url((unsigned char)*c.p)) c.p++;
  e->sig.at = s;
  e->sig.length = (size_t)(c.p - s);
  return literal(&c, "\"}") && c.p == c.end;
}
