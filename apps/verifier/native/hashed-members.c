#define OPENSSL_SUPPRESS_DEPRECATED
#include "hashed-members.h"

#include <openssl/sha.h>
#include <string.h>

static const char HEX_DIGITS[] = "0123456789abcdef";

void sha256(const void *data, size_t n, unsigned char digest[32]) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data, n);
  SHA256_Final(digest, &ctx);
}

int hex_equals(const char *hex, const unsigned char digest[32]) {
  for (int i = 0; i < 32; i++) {
    if (hex[2 * i] != HEX_DIGITS[digest[i] >> 4] || hex[2 * i + 1] != HEX_DIGITS[digest[i] & 15]) return 0;
  }
  return 1;
}

static unsigned char hex_value(char ch) { return (unsigned char)(ch <= '9' ? ch - '0' : ch - 'a' + 10); }

void hex_decode32(const char *hex, unsigned char out[32]) {
  for (int i = 0; i < 32; i++) out[i] = (unsigned char)(hex_value(hex[2 * i]) << 4 | hex_value(hex[2 * i + 1]));
}

typedef struct {
  char *p, *end;
} Writer;

static inline __attribute__((always_inline)) int put(Writer *w, const char *text, size_t n) {
  if ((size_t)(w->end - w->p) < n) return 0;
  memcpy(w->p, text, n);
  w->p += n;
  return 1;
}
#define PUT(w, s) put((w), (s), sizeof(s) - 1)
#define PUT_SLICE(w, s) put((w), (s).at, (s).length)

/* hashedMembersText: the JCS text of the 11 members `hash` covers (every value is plain ASCII). */
size_t hashed_text(const Envelope *e, char *out, size_t capacity) {
  Writer w = {out, out + capacity};
  int ok = PUT(&w, "{\"$causationId\":\"") && PUT_SLICE(&w, e->causation) && PUT(&w, "\",\"$correlationId\":\"") &&
           PUT_SLICE(&w, e->correlation) && PUT(&w, "\",\"actor\":{\"id\":\"") && PUT_SLICE(&w, e->actor_id) &&
           PUT(&w, "\",\"kind\":\"") && PUT_SLICE(&w, e->kind) && PUT(&w, "\"");
  if (ok && present(e->mfa)) ok = PUT(&w, ",\"mfa\":") && PUT_SLICE(&w, e->mfa);
  if (ok && present(e->org)) ok = PUT(&w, ",\"org\":\"") && PUT_SLICE(&w, e->org) && PUT(&w, "\"");
  if (ok && present(e->ref)) ok = PUT(&w, ",\"ref\":\"") && PUT_SLICE(&w, e->ref) && PUT(&w, "\"");
  if (ok && present(e->session)) ok = PUT(&w, ",\"session\":\"") && PUT_SLICE(&w, e->session) && PUT(&w, "\"");
  ok = ok && PUT(&w, "},\"dataHash\":\"") && PUT_SLICE(&w, e->data_hash) && PUT(&w, "\",\"id\":\"") && PUT_SLICE(&w, e->id) &&
       PUT(&w, "\",\"prev\":\"") && PUT_SLICE(&w, e->prev) && PUT(&w, "\",\"revision\":") && PUT_SLICE(&w, e->revision) &&
       PUT(&w, ",\"stream\":\"") && PUT_SLICE(&w, e->stream) && PUT(&w, "\",\"time\":\"") && PUT_SLICE(&w, e->time) &&
       PUT(&w, "\",\"type\":\"") && PUT_SLICE(&w, e->type) && PUT(&w, "\",\"v\":1}");
  return ok ? (size_t)(w.p - out) : 0;
}
