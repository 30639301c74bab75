#include "canonical-text.h"

#include "text-scan.h"

/* Nesting followed, as isCanonicalObjectText. */
#define MAX_DEPTH 256

static int canonical_value(Cursor *c, int depth);

/* A string with plain characters only; the closing quote consumed. */
static int canonical_string(Cursor *c, Slice *out) {
  c->p++;
  if (!plain_run(c, out, 0)) return 0;
  c->p++;
  return 1;
}

static int slice_less(Slice a, Slice b) {
  size_t n = a.length < b.length ? a.length : b.length;
  int d = memcmp(a.at, b.at, n);
  return d < 0 || (d == 0 && a.length < b.length);
}

static int canonical_object(Cursor *c, int depth) {
  c->p++;
  if (c->p < c->end && *c->p == '}') {
    c->p++;
    return 1;
  }
  Slice previous = {NULL, 0};
  for (;;) {
    Slice name;
    if (c->p >= c->end || *c->p != '"' || !canonical_string(c, &name)) return 0;
    /* ASCII names: byte order is UTF-16 code unit order. */
    if (previous.at != NULL && !slice_less(previous, name)) return 0;
    previous = name;
    if (!literal(c, ":") || !canonical_value(c, depth)) return 0;
    if (c->p >= c->end) return 0;
    char ch = *c->p++;
    if (ch == '}') return 1;
    if (ch != ',') return 0;
  }
}

static int canonical_array(Cursor *c, int depth) {
  c->p++;
  if (c->p < c->end && *c->p == ']') {
    c->p++;
    return 1;
  }
  for (;;) {
    if (!canonical_value(c, depth) || c->p >= c->end) return 0;
    char ch = *c->p++;
    if (ch == ']') return 1;
    if (ch != ',') return 0;
  }
}

/* An integer of at most 15 digits, the form Number::toString writes for it (no -0). Other numbers: not here. */
static int canonical_number(Cursor *c) {
  const char *start = c->p;
  if (c->p < c->end && *c->p == '-') c->p++;
  const char *first = c->p;
  while (c->p < c->end && is_digit((unsigned char)*c->p)) c->p++;
  size_t count = (size_t)(c->p - first);
  if (count == 0 || count > 15 || (*first == '0' && (count > 1 || first != start))) return 0;
  if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E' || *c->p == '+' || *c->p == '-')) return 0;
  return 1;
}

static int canonical_value(Cursor *c, int depth) {
  if (c->p >= c->end) return 0;
  Slice ignored;
  switch (*c->p) {
    case '"':
      return canonical_string(c, &ignored);
    case '{':
      return depth < MAX_DEPTH && canonical_object(c, depth + 1);
    case '[':
      return depth < MAX_DEPTH && canonical_array(c, depth + 1);
    case 't':
      return literal(c, "true");
    case 'f':
      return literal(c, "false");
    case 'n':
      return literal(c, "null");
    default:
      return canonical_number(c);
  }
}

int canonical_object_text(const char *text, size_t n) {
  Cursor c = {text, text + n};
  return n > 0 && text[0] == '{' && canonical_object(&c, 1) && c.p == c.end;
}
