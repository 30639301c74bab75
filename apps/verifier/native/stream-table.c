#include "stream-table.h"

#include <stdlib.h>
#include <string.h>

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

long stream_number(StreamTable *t, const char *name, size_t length) {
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

void stream_table_free(StreamTable *t) {
  free(t->slots);
  free(t->names);
  free(t);
}
