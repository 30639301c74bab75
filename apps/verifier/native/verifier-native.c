/*
 * The verifier's hot paths in C, for `verify-store` on the embedded store (loaded through
 * apps/verifier/src/store/native-verifier.ts; built into dist by `npm run build` where a C compiler is).
 *
 * createStreamTable() once per verifier; bindOutput(table, bytes, hashesAt, prevsAt, leavesAt,
 * streamsAt, capacity) per slice, then per row checkStoredEvent(id, stream, revision, type, data,
 * metadata, index) → number, then unbindOutput():
 *   what stored-envelope.ts (storedEnvelopeLinks) checks, plus the RFC 9162 leaf hash, without a
 *   JavaScript string per member. It accepts a strict subset of what the TypeScript check accepts:
 *   ASCII texts in the sealed write path's stored layout, data with no escape and only small integers
 *   as numbers. For anything else it answers 0, "not decided here", and the TypeScript path decides, so
 *   a verdict never depends on whether this module was built.
 *   > 0: every check but the signature passed; the row's hash, prev and leaf hash are written at
 *        offset + 32 index, its stream's number at streamsAt + 4 index, and the value is the index
 *        of `sig` in the metadata text.
 * streamNumber(table, name): the number of a stream whose row the TypeScript path checked.
 *
 * sha256Within(bytes, from, length, to): SHA-256 of a range written into the same array (node hashes).
 *
 * SHA-256 is OpenSSL's, as exported by the Node.js binary.
 */
#define NAPI_VERSION 8
#define OPENSSL_SUPPRESS_DEPRECATED
#include <node_api.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longest texts read: longer ones are left to the TypeScript path. */
#define MAX_NAME 1024
#define MAX_METADATA 8192
#define MAX_DATA (256 * 1024)
/* Nesting the data check follows, as isCanonicalObjectText. */
#define MAX_DEPTH 256

/* ---- stream numbers: each stream name gets 0, 1, 2, … in the order it is first seen ---- */

typedef struct {
  uint64_t hash;
  uint32_t offset, length;
  /* The stream's number + 1; 0 = an empty slot. */
  uint32_t number_plus_one;
} StreamSlot;

/*
 * Open addressing over the names' bytes, the names kept in one growing arena. A name is the content of
 * the stream's JSON string text (what JSON.stringify writes between the quotes), so that every distinct
 * JS string has a distinct key, lone surrogates included; for the plain ASCII names the row check takes
 * that is the name itself.
 */
typedef struct {
  StreamSlot *slots;
  size_t capacity, count;
  char *names;
  size_t names_used, names_capacity;
} StreamTable;

/* A multiply-xorshift hash, eight bytes at a time (names are mostly ~40 bytes). */
static uint64_t name_hash(const char *p, size_t n) {
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
  uint64_t w;
  for (; n >= 8; p += 8, n -= 8) {
    memcpy(&w, p, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  w = 0;
  memcpy(&w, p, n);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 29);
}

static int streams_grow(StreamTable *t) {
  size_t capacity = t->capacity ? t->capacity * 2 : 1024;
  StreamSlot *slots = calloc(capacity, sizeof(StreamSlot));
  if (slots == NULL) return 0;
  for (size_t i = 0; i < t->capacity; i++) {
    StreamSlot slot = t->slots[i];
    if (slot.number_plus_one == 0) continue;
    size_t j = (size_t)slot.hash & (capacity - 1);
    while (slots[j].number_plus_one != 0) j = (j + 1) & (capacity - 1);
    slots[j] = slot;
  }
  free(t->slots);
  t->slots = slots;
  t->capacity = capacity;
  return 1;
}

/* The stream's number, given one if it is new; -1 when memory runs out. */
static long stream_number(StreamTable *t, const char *name, size_t length) {
  if (length > UINT32_MAX || t->count >= UINT32_MAX - 1) return -1;
  if ((t->count + 1) * 2 > t->capacity && !streams_grow(t)) return -1;
  uint64_t hash = name_hash(name, length);
  size_t j = (size_t)hash & (t->capacity - 1);
  for (; t->slots[j].number_plus_one != 0; j = (j + 1) & (t->capacity - 1)) {
    StreamSlot *slot = &t->slots[j];
    if (slot->hash == hash && slot->length == length && memcmp(t->names + slot->offset, name, length) == 0) return (long)slot->number_plus_one - 1;
  }
  if (t->names_used + length > t->names_capacity) {
    size_t capacity = t->names_capacity ? t->names_capacity : 64 * 1024;
    while (capacity < t->names_used + length) capacity *= 2;
    char *names = realloc(t->names, capacity);
    if (names == NULL) return -1;
    t->names = names;
    t->names_capacity = capacity;
  }
  if (t->names_used > UINT32_MAX - length) return -1;
  memcpy(t->names + t->names_used, name, length);
  t->slots[j] = (StreamSlot){hash, (uint32_t)t->names_used, (uint32_t)length, (uint32_t)(t->count + 1)};
  t->names_used += length;
  return (long)t->count++;
}

static void free_streams(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  StreamTable *t = data;
  free(t->slots);
  free(t->names);
  free(t);
}

/* One set of buffers per Node.js environment (each worker thread has its own). */
typedef struct {
  char id[MAX_NAME], stream[MAX_NAME], type[MAX_NAME];
  char metadata[MAX_METADATA];
  char hashed[MAX_METADATA];
  char data[MAX_DATA];
  /* Where results go (bindOutput). */
  unsigned char *out;
  size_t hashes_at, prevs_at, leaves_at, streams_at, capacity;
  StreamTable *streams;
} Scratch;

typedef struct {
  const char *at;
  size_t length;
} Slice;

static const char HEX_DIGITS[] = "0123456789abcdef";

/* ---- the stored metadata layout (STORED_LAYOUT in stored-envelope.ts) ---- */

typedef struct {
  const char *p, *end;
} Cursor;

static inline __attribute__((always_inline)) int literal_n(Cursor *c, const char *text, size_t n) {
  if ((size_t)(c->end - c->p) < n || memcmp(c->p, text, n) != 0) return 0;
  c->p += n;
  return 1;
}
/* A string literal's length is known when compiling: the compare is inlined. */
#define literal(c, text) literal_n((c), (text), sizeof(text) - 1)

/* Character classes, one table lookup per byte. */
enum { PLAIN = 1, DIGIT = 2, HEX = 4, B64URL = 8 };
static unsigned char classes[256];

static void fill_classes(void) {
  for (int ch = 0; ch < 256; ch++) {
    unsigned char k = 0;
    /* PLAIN_JSON_CHAR restricted to ASCII: 0x20..0x7f but quote and backslash. */
    if (ch >= 0x20 && ch <= 0x7f && ch != '"' && ch != '\\') k |= PLAIN;
    if (ch >= '0' && ch <= '9') k |= DIGIT | HEX | B64URL;
    if (ch >= 'a' && ch <= 'f') k |= HEX;
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '-' || ch == '_') k |= B64URL;
    classes[ch] = k;
  }
}

static inline int is_a(unsigned char ch, unsigned char k) { return (classes[ch] & k) != 0; }
static inline int is_digit(unsigned char ch) { return is_a(ch, DIGIT); }
static inline int is_hex(unsigned char ch) { return is_a(ch, HEX); }
static inline int is_b64url(unsigned char ch) { return is_a(ch, B64URL); }

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
/* True when one of the 8 bytes is not plain: below 0x20, a quote, a backslash or not ASCII (bit tricks, no branch per byte). */
static inline int word_has_special(uint64_t x) {
  uint64_t quote = x ^ (ONES * '"');
  uint64_t backslash = x ^ (ONES * '\\');
  uint64_t below_space = (x - ONES * 0x20) & ~x;
  return (((quote - ONES) & ~quote) | ((backslash - ONES) & ~backslash) | below_space | x) & HIGHS ? 1 : 0;
}

/* A run of plain characters up to the closing quote (not consumed), at least `min` long. */
static inline int plain_run(Cursor *c, Slice *out, size_t min) {
  const char *start = c->p;
  uint64_t word;
  /* Eight bytes at a time while none is special, then byte by byte to the exact end of the run. */
  while (c->end - c->p >= 8) {
    memcpy(&word, c->p, 8);
    if (word_has_special(word)) break;
    c->p += 8;
  }
  while (c->p < c->end && is_a((unsigned char)*c->p, PLAIN)) c->p++;
  if (c->p >= c->end || *c->p != '"' || (size_t)(c->p - start) < min) return 0;
  out->at = start;
  out->length = (size_t)(c->p - start);
  return 1;
}

static int fixed(Cursor *c, Slice *out, size_t n) {
  if ((size_t)(c->end - c->p) < n) return 0;
  out->at = c->p;
  out->length = n;
  c->p += n;
  return 1;
}

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

typedef struct {
  Slice id, stream, revision, type, time, kind, actor_id, session, org, mfa, ref, correlation, causation, data_hash, prev, hash, sig;
  int has_session, has_org, has_mfa, has_ref;
} Envelope;

static int read_envelope(const char *text, size_t n, Envelope *e) {
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
  if (literal(&c, ",\"session\":\"")) {
    if (!plain_run(&c, &e->session, 0) || !literal(&c, "\"")) return 0;
    e->has_session = 1;
  }
  if (literal(&c, ",\"org\":\"")) {
    if (!plain_run(&c, &e->org, 0) || !literal(&c, "\"")) return 0;
    e->has_org = 1;
  }
  if (literal(&c, ",\"mfa\":")) {
    const char *m = c.p;
    if (!literal(&c, "true") && !literal(&c, "false")) return 0;
    e->mfa.at = m;
    e->mfa.length = (size_t)(c.p - m);
    e->has_mfa = 1;
  }
  if (literal(&c, ",\"ref\":\"")) {
    if (!plain_run(&c, &e->ref, 0) || !literal(&c, "\"")) return 0;
    e->has_ref = 1;
  }
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

/* ---- the data's JCS text (isCanonicalObjectText in libs/integrity, on its ASCII, escape-free part) ---- */

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

static int canonical_object_text(const char *text, size_t n) {
  Cursor c = {text, text + n};
  return n > 0 && text[0] == '{' && canonical_object(&c, 1) && c.p == c.end;
}

/* ---- hashing ---- */

static void sha256(const void *data, size_t n, unsigned char digest[32]) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data, n);
  SHA256_Final(digest, &ctx);
}

/* True when the 64 characters at `hex` are the lowercase hex of `digest`. */
static int hex_equals(const char *hex, const unsigned char digest[32]) {
  for (int i = 0; i < 32; i++) {
    if (hex[2 * i] != HEX_DIGITS[digest[i] >> 4] || hex[2 * i + 1] != HEX_DIGITS[digest[i] & 15]) return 0;
  }
  return 1;
}

static unsigned char hex_value(char ch) { return (unsigned char)(ch <= '9' ? ch - '0' : ch - 'a' + 10); }

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
static size_t hashed_text(const Envelope *e, char *out, size_t capacity) {
  Writer w = {out, out + capacity};
  int ok = PUT(&w, "{\"$causationId\":\"") && PUT_SLICE(&w, e->causation) && PUT(&w, "\",\"$correlationId\":\"") &&
           PUT_SLICE(&w, e->correlation) && PUT(&w, "\",\"actor\":{\"id\":\"") && PUT_SLICE(&w, e->actor_id) &&
           PUT(&w, "\",\"kind\":\"") && PUT_SLICE(&w, e->kind) && PUT(&w, "\"");
  if (ok && e->has_mfa) ok = PUT(&w, ",\"mfa\":") && PUT_SLICE(&w, e->mfa);
  if (ok && e->has_org) ok = PUT(&w, ",\"org\":\"") && PUT_SLICE(&w, e->org) && PUT(&w, "\"");
  if (ok && e->has_ref) ok = PUT(&w, ",\"ref\":\"") && PUT_SLICE(&w, e->ref) && PUT(&w, "\"");
  if (ok && e->has_session) ok = PUT(&w, ",\"session\":\"") && PUT_SLICE(&w, e->session) && PUT(&w, "\"");
  ok = ok && PUT(&w, "},\"dataHash\":\"") && PUT_SLICE(&w, e->data_hash) && PUT(&w, "\",\"id\":\"") && PUT_SLICE(&w, e->id) &&
       PUT(&w, "\",\"prev\":\"") && PUT_SLICE(&w, e->prev) && PUT(&w, "\",\"revision\":") && PUT_SLICE(&w, e->revision) &&
       PUT(&w, ",\"stream\":\"") && PUT_SLICE(&w, e->stream) && PUT(&w, "\",\"time\":\"") && PUT_SLICE(&w, e->time) &&
       PUT(&w, "\",\"type\":\"") && PUT_SLICE(&w, e->type) && PUT(&w, "\",\"v\":1}");
  return ok ? (size_t)(w.p - out) : 0;
}

/* ---- the Node-API surface ---- */

/*
 * A JS string's UTF-8 into `buffer`, or -1 when it is not a string or does not fit. No ASCII check is
 * needed here: every byte of the metadata is matched against an ASCII class or literal, or compared
 * with a hex digest; the data's are by the canonical check; the columns are compared with the metadata.
 */
static long text_arg(napi_env env, napi_value value, char *buffer, size_t capacity) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, buffer, capacity, &length) != napi_ok || length + 1 >= capacity) return -1;
  return (long)length;
}

static int same(Slice a, const char *b, long n) { return n >= 0 && a.length == (size_t)n && memcmp(a.at, b, (size_t)n) == 0; }

static napi_value number(napi_env env, double value) {
  napi_value result;
  napi_create_double(env, value, &result);
  return result;
}

static Scratch *scratch_of(napi_env env) {
  Scratch *s = NULL;
  return napi_get_instance_data(env, (void **)&s) == napi_ok ? s : NULL;
}

/* createStreamTable(): the stream numbers of one verifier (freed with it). */
static napi_value create_stream_table(napi_env env, napi_callback_info info) {
  (void)info;
  StreamTable *t = calloc(1, sizeof(StreamTable));
  napi_value external;
  if (t == NULL || napi_create_external(env, t, free_streams, NULL, &external) != napi_ok) {
    free(t);
    napi_throw_error(env, NULL, "createStreamTable: out of memory");
    return NULL;
  }
  return external;
}

static StreamTable *stream_table_arg(napi_env env, napi_value value) {
  napi_valuetype type;
  void *data = NULL;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external || napi_get_value_external(env, value, &data) != napi_ok) return NULL;
  return data;
}

/*
 * streamNumber(table, name: string): the number of a stream whose row the TypeScript path verified;
 * `name` is the content of the stream's JSON string text (as for every key of the table).
 */
static napi_value stream_number_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  size_t length = 0;
  StreamTable *t = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 || (t = stream_table_arg(env, argv[0])) == NULL ||
      napi_get_value_string_utf8(env, argv[1], NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "streamNumber(table, name: string)");
    return NULL;
  }
  char *name = malloc(length + 1);
  long n = name != NULL && napi_get_value_string_utf8(env, argv[1], name, length + 1, &length) == napi_ok ? stream_number(t, name, length) : -1;
  free(name);
  if (n < 0) {
    napi_throw_error(env, NULL, "streamNumber: out of memory");
    return NULL;
  }
  return number(env, (double)n);
}

/*
 * bindOutput(table, bytes: Uint8Array, hashesAt, prevsAt, leavesAt, streamsAt, capacity): where
 * checkStoredEvent writes event i's hash, prev and leaf hash (32 bytes each at offset + 32 i) and its
 * stream's number in `table` (a uint32 at streamsAt + 4 i). Bound once per chunk: the caller keeps
 * `bytes` alive and attached until its last checkStoredEvent for that chunk.
 */
static napi_value bind_output(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  Scratch *s = scratch_of(env);
  StreamTable *table = NULL;
  void *data;
  size_t length;
  napi_typedarray_type type;
  double at[5];
  if (s == NULL || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7 || (table = stream_table_arg(env, argv[0])) == NULL ||
      napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "bindOutput(table, bytes: Uint8Array, hashesAt, prevsAt, leavesAt, streamsAt, capacity)");
    return NULL;
  }
  for (int i = 0; i < 5; i++) {
    if (napi_get_value_double(env, argv[i + 2], &at[i]) != napi_ok || !(at[i] >= 0 && at[i] <= (double)length) || at[i] != (double)(size_t)at[i]) {
      napi_throw_range_error(env, NULL, "bindOutput: offsets and capacity must be integers within the array");
      return NULL;
    }
  }
  size_t capacity = (size_t)at[4];
  for (int i = 0; i < 4; i++) {
    size_t width = i == 3 ? 4 : 32;
    if ((size_t)at[i] + width * capacity > length) {
      napi_throw_range_error(env, NULL, "bindOutput: capacity hashes do not fit after an offset");
      return NULL;
    }
  }
  if (((uintptr_t)data + (size_t)at[3]) % 4 != 0) {
    napi_throw_range_error(env, NULL, "bindOutput: stream numbers must be 4-byte aligned");
    return NULL;
  }
  s->out = (unsigned char *)data;
  s->hashes_at = (size_t)at[0];
  s->prevs_at = (size_t)at[1];
  s->leaves_at = (size_t)at[2];
  s->streams_at = (size_t)at[3];
  s->capacity = capacity;
  s->streams = table;
  return NULL;
}

/* unbindOutput(): forgets the bound array, before the caller hands it on (a transfer detaches it). */
static napi_value unbind_output(napi_env env, napi_callback_info info) {
  (void)info;
  Scratch *s = scratch_of(env);
  if (s != NULL) {
    s->out = NULL;
    s->streams = NULL;
    s->capacity = 0;
  }
  return NULL;
}

static napi_value check_stored_event(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  Scratch *s = scratch_of(env);
  if (s == NULL || s->out == NULL || s->streams == NULL || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7) return number(env, 0);

  double revision, index;
  if (napi_get_value_double(env, argv[2], &revision) != napi_ok || napi_get_value_double(env, argv[6], &index) != napi_ok) return number(env, 0);
  /* A safe integer revision, as the caller requires too; an index within the bound output. */
  if (!(revision >= 0 && revision <= 9007199254740991.0) || revision != (double)(uint64_t)revision) return number(env, 0);
  if (!(index >= 0 && index < (double)s->capacity) || index != (double)(size_t)index) return number(env, 0);
  long idLength = text_arg(env, argv[0], s->id, MAX_NAME);
  long streamLength = text_arg(env, argv[1], s->stream, MAX_NAME);
  long typeLength = text_arg(env, argv[3], s->type, MAX_NAME);
  long dataLength = text_arg(env, argv[4], s->data, MAX_DATA);
  long metadataLength = text_arg(env, argv[5], s->metadata, MAX_METADATA);
  if (idLength < 0 || streamLength < 0 || typeLength < 0 || dataLength < 0 || metadataLength < 0) return number(env, 0);

  Envelope e;
  if (!read_envelope(s->metadata, (size_t)metadataLength, &e)) return number(env, 0);
  if (!same(e.id, s->id, idLength) || !same(e.stream, s->stream, streamLength) || !same(e.type, s->type, typeLength)) return number(env, 0);
  uint64_t stored = 0;
  for (size_t i = 0; i < e.revision.length; i++) stored = stored * 10 + (uint64_t)(e.revision.at[i] - '0');
  if (stored != (uint64_t)revision) return number(env, 0);
  if (stored == 0) {
    for (int i = 0; i < 64; i++) if (e.prev.at[i] != '0') return number(env, 0);
  }

  unsigned char digest[32];
  if (!canonical_object_text(s->data, (size_t)dataLength)) return number(env, 0);
  sha256(s->data, (size_t)dataLength, digest);
  if (!hex_equals(e.data_hash.at, digest)) return number(env, 0);
  size_t hashedLength = hashed_text(&e, s->hashed, MAX_METADATA);
  if (hashedLength == 0) return number(env, 0);
  sha256(s->hashed, hashedLength, digest);
  if (!hex_equals(e.hash.at, digest)) return number(env, 0);

  /* Last, so only a row that passed gets a number (numbers stay dense, in the order streams are first seen). */
  long streamNumber = stream_number(s->streams, e.stream.at, e.stream.length);
  if (streamNumber < 0) return number(env, 0);
  ((uint32_t *)(s->out + s->streams_at))[(size_t)index] = (uint32_t)streamNumber;
  size_t slot = 32 * (size_t)index;
  unsigned char *prev = s->out + s->prevs_at + slot;
  for (int i = 0; i < 32; i++) prev[i] = (unsigned char)(hex_value(e.prev.at[2 * i]) << 4 | hex_value(e.prev.at[2 * i + 1]));
  memcpy(s->out + s->hashes_at + slot, digest, 32);
  unsigned char leafInput[33];
  leafInput[0] = 0;
  memcpy(leafInput + 1, digest, 32);
  sha256(leafInput, 33, s->out + s->leaves_at + slot);
  return number(env, (double)(e.sig.at - s->metadata));
}

/*
 * sha256Within(bytes: Uint8Array, from, length, to): SHA-256 of bytes[from, from + length) written at
 * bytes[to, to + 32). The Merkle tree's node hash with one call and no digest object.
 */
static napi_value sha256_within(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  void *data;
  size_t length;
  napi_typedarray_type type;
  double at[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4 ||
      napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "sha256Within(bytes: Uint8Array, from, length, to)");
    return NULL;
  }
  for (int i = 0; i < 3; i++) {
    if (napi_get_value_double(env, argv[i + 1], &at[i]) != napi_ok || !(at[i] >= 0 && at[i] <= (double)length) || at[i] != (double)(size_t)at[i]) {
      napi_throw_range_error(env, NULL, "sha256Within: offsets and length must be integers within the array");
      return NULL;
    }
  }
  if ((size_t)at[0] + (size_t)at[1] > length || (size_t)at[2] + 32 > length) {
    napi_throw_range_error(env, NULL, "sha256Within: the input or the digest does not fit");
    return NULL;
  }
  unsigned char digest[32];
  sha256((unsigned char *)data + (size_t)at[0], (size_t)at[1], digest);
  memcpy((unsigned char *)data + (size_t)at[2], digest, 32);
  return NULL;
}

static void free_scratch(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static int export_function(napi_env env, napi_value exports, const char *name, napi_callback callback) {
  napi_value fn;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, callback, NULL, &fn) == napi_ok &&
         napi_set_named_property(env, exports, name, fn) == napi_ok;
}

static pthread_once_t classes_once = PTHREAD_ONCE_INIT;

NAPI_MODULE_INIT() {
  pthread_once(&classes_once, fill_classes);
  Scratch *scratch = calloc(1, sizeof(Scratch));
  if (scratch == NULL || napi_set_instance_data(env, scratch, free_scratch, NULL) != napi_ok) {
    free(scratch);
    return NULL;
  }
  if (!export_function(env, exports, "createStreamTable", create_stream_table) || !export_function(env, exports, "streamNumber", stream_number_js) ||
      !export_function(env, exports, "bindOutput", bind_output) || !export_function(env, exports, "unbindOutput", unbind_output) ||
      !export_function(env, exports, "checkStoredEvent", check_stored_event) ||
      !export_function(env, exports, "sha256Within", sha256_within)) {
    return NULL;
  }
  return exports;
}
