/* The data's JCS text: isCanonicalObjectText (libs/integrity) on its ASCII, escape-free part. */
#ifndef LEDGERLINE_CANONICAL_TEXT_H
#define LEDGERLINE_CANONICAL_TEXT_H

#include <stddef.h>

/*
 * 1 only when `text` is the JCS text of a JSON object with ASCII, escape-free strings and integers of at
 * most 15 digits as its only numbers, nested at most 256 deep. 0 means "not decided here", never "not
 * canonical": the TypeScript check decides the rest.
 */
int canonical_object_text(const char *text, size_t n);

#endif
