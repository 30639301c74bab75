/*
 * Reading JSON text byte by byte for the verifier's C module: a cursor, literal compares, character
 * classes and runs of plain string characters. Header-only (static inline) so the hot loops inline.
 */
#ifndef LEDGERLINE_TEXT_SCAN_H
#define LEDGERLINE_TEXT_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A piece of a text: where it starts and how many bytes. */
typedef struct {
  const char *at;
  size_t length;
} Slice;

/* Where reading is, and where the text ends. */
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

/* Character classes (text-scan.c), one table lookup per byte. */
enum { PLAIN = 1, DIGIT = 2, HEX = 4, B64URL = 8 };
extern const unsigned char char_classes[256];

static inline int is_a(unsigned char ch, unsigned char k) { return (char_classes[ch] & k) != 0; }
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

/* Exactly n bytes, whatever they are. */
static inline int fixed(Cursor *c, Slice *out, size_t n) {
  if ((size_t)(c->end - c->p) < n) return 0;
  out->at = c->p;
  out->length = n;
  c->p += n;
  return 1;
}

#endif
