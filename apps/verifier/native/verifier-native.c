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
 *
 * This file is the Node-API surface; the checks are in stored-layout.c (the metadata text),
 * canonical-text.c (the data text), hashed-members.c (hashes, the JCS text `hash` covers) and
 * stream-table.c (stream numbers), the byte scanning they share in text-scan.h.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "canonical-text.h"
#include "hashed-members.h"
#include "stored-layout.h"
#include "stream-table.h"

/* Longest texts read: longer ones are left to the TypeScript path. */
#define MAX_NAME 1024
#define MAX_METADATA 8192
#define MAX_DATA (256 * 1024)

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

static void free_streams(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  stream_table_free(data);
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

/*
 * The Uint8Array at argv[0] and `count` integer arguments after it, each within 0..its length.
 * Throws (TypeError with `usage`, RangeError) and returns 0 when they are not that.
 */
static int array_and_offsets(napi_env env, napi_value *argv, size_t count, const char *usage, unsigned char **data, size_t *length, double *at) {
  napi_typedarray_type type;
  void *bytes;
  if (napi_get_typedarray_info(env, argv[0], &type, length, &bytes, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, usage);
    return 0;
  }
  for (size_t i = 0; i < count; i++) {
    if (napi_get_value_double(env, argv[i + 1], &at[i]) != napi_ok || !(at[i] >= 0 && at[i] <= (double)*length) || at[i] != (double)(size_t)at[i]) {
      napi_throw_range_error(env, NULL, "offsets, lengths and counts must be integers within the array");
      return 0;
    }
  }
  *data = bytes;
  return 1;
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
  static const char usage[] = "bindOutput(table, bytes: Uint8Array, hashesAt, prevsAt, leavesAt, streamsAt, capacity)";
  StreamTable *table = NULL;
  unsigned char *data;
  size_t length;
  double at[5];
  if (s == NULL || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 7 || (table = stream_table_arg(env, argv[0])) == NULL) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  if (!array_and_offsets(env, argv + 1, 5, usage, &data, &length, at)) return NULL;
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
  s->out = data;
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
  hex_decode32(e.prev.at, s->out + s->prevs_at + slot);
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
  static const char usage[] = "sha256Within(bytes: Uint8Array, from, length, to)";
  unsigned char *data;
  size_t length;
  double at[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 4) {
    napi_throw_type_error(env, NULL, usage);
    return NULL;
  }
  if (!array_and_offsets(env, argv, 3, usage, &data, &length, at)) return NULL;
  if ((size_t)at[0] + (size_t)at[1] > length || (size_t)at[2] + 32 > length) {
    napi_throw_range_error(env, NULL, "sha256Within: the input or the digest does not fit");
    return NULL;
  }
  unsigned char digest[32];
  sha256(data + (size_t)at[0], (size_t)at[1], digest);
  memcpy(data + (size_t)at[2], digest, 32);
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

NAPI_MODULE_INIT() {
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
