/* SHA-256 (OpenSSL's, exported by the Node.js binary) and the JCS text of the 11 members `hash` covers. */
#ifndef LEDGERLINE_HASHED_MEMBERS_H
#define LEDGERLINE_HASHED_MEMBERS_H

#include "stored-layout.h"

void sha256(const void *data, size_t n, unsigned char digest[32]);

/* 1 when the 64 characters at `hex` are the lowercase hex of `digest`. */
int hex_equals(const char *hex, const unsigned char digest[32]);

/* The 32 bytes of 64 lowercase hex characters (already checked to be that). */
void hex_decode32(const char *hex, unsigned char out[32]);

/* hashedMembersText (hashed-members.ts): their JCS text into `out`; its length, 0 when it does not fit. */
size_t hashed_text(const Envelope *e, char *out, size_t capacity);

#endif
