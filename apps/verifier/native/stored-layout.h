/*
 * The metadata text as the sealed write path stores it (STORED_LAYOUT in
 * apps/verifier/src/store/stored-envelope.ts), read into its members' slices.
 */
#ifndef LEDGERLINE_STORED_LAYOUT_H
#define LEDGERLINE_STORED_LAYOUT_H

#include "text-scan.h"

/*
 * The members of one stored envelope, each as its JSON value's text (strings without their quotes).
 * The actor's optional members (session, org, mfa, ref) have `at` NULL when absent.
 */
typedef struct {
  Slice id, stream, revision, type, time, kind, actor_id, session, org, mfa, ref, correlation, causation, data_hash, prev, hash, sig;
} Envelope;

/* Whether an optional member was there (an empty string is there: its `at` is set). */
static inline int present(Slice s) { return s.at != NULL; }

/*
 * 1 when `text` is exactly the stored layout, ASCII only: the v1 envelope's members in
 * ENVELOPE_MEMBERS order, an actor as the API writes one, plain strings, a lowercase UUID id, a
 * revision without leading zeros, a real calendar time, a lowercase hex prev, a JWS-shaped sig.
 * dataHash and hash are any 64 bytes: only a recomputed digest is ever accepted for them.
 */
int read_envelope(const char *text, size_t n, Envelope *e);

#endif
