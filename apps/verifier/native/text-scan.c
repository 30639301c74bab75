#include "text-scan.h"

#define P PLAIN
/*
 * PLAIN: PLAIN_JSON_CHAR (libs/integrity) restricted to ASCII, 0x20..0x7f but quote and backslash.
 * DIGIT 0-9; HEX 0-9 a-f (lowercase, as every hex in the envelope); B64URL A-Z a-z 0-9 - _.
 * (GNU range designators, each range once.)
 */
const unsigned char char_classes[256] = {
    [0x20 ... 0x21] = P,
    [0x23 ... 0x2c] = P,
    ['-'] = P | B64URL,
    [0x2e ... 0x2f] = P,
    ['0' ... '9'] = P | DIGIT | HEX | B64URL,
    [0x3a ... 0x40] = P,
    ['A' ... 'Z'] = P | B64URL,
    ['['] = P,
    [0x5d ... 0x5e] = P,
    ['_'] = P | B64URL,
    ['`'] = P,
    ['a' ... 'f'] = P | HEX | B64URL,
    ['g' ... 'z'] = P | B64URL,
    [0x7b ... 0x7f] = P,
};
