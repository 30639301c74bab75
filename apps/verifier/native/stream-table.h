/* Stream numbers for the verifier's C module: each stream name gets 0, 1, 2, … in the order first seen. */
#ifndef LEDGERLINE_STREAM_TABLE_H
#define LEDGERLINE_STREAM_TABLE_H

#include <stddef.h>
#include <stdint.h>

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

/* The stream's number, given one if it is new; -1 when memory runs out. */
long stream_number(StreamTable *t, const char *name, size_t length);

/* Frees the table and everything it holds. */
void stream_table_free(StreamTable *t);

#endif
