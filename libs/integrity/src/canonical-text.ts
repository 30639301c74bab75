/**
 * Deepest nesting the check follows (canonicalize refuses 512): deeper text is left to a parse and
 * canonicalize, which decide.
 */
const MAX_DEPTH = 256;

/**
 * One string character that JSON.stringify writes as it is (no quote, backslash, control or surrogate),
 * as a pattern source: a string of them is its own JSON text, in quotes.
 */
export const PLAIN_JSON_CHAR = '[^"\\\\\\u0000-\\u001f\\ud800-\\udfff]';
// A run of such characters.
const PLAIN_RUN = new RegExp(`${PLAIN_JSON_CHAR}*`, 'y');

// The scan's state: one text at a time, synchronously (module state saves passing it through every call).
let text = '';
let at = 0;

/**
 * True only when `json` is the JCS text (RFC 8785) of a JSON object: `canonicalize(JSON.parse(json)) === json`.
 * One pass over the text, without parsing it: no whitespace, members sorted by UTF-16 code units and
 * unique, numbers as Number::toString writes them, strings escaped as JSON.stringify escapes them.
 * Conservative: false for some canonical texts (a member name with an escape, nesting deeper than 256),
 * so false means "parse and canonicalize to know", never "not canonical".
 *
 * With it, hashing a stored text proves what H(JCS(data)) would: when the text is canonical it is the
 * very bytes JCS(JSON.parse(text)) would produce.
 */
export function isCanonicalObjectText(json: string): boolean {
  if (json.charCodeAt(0) !== 0x7b) return false;
  text = json;
  at = 0;
  try {
    return object(1) && at === json.length;
  } finally {
    text = '';
  }
}

function value(depth: number): boolean {
  switch (text.charCodeAt(at)) {
    case 0x22:
      return string() >= 0;
    case 0x7b:
      return depth < MAX_DEPTH && object(depth + 1);
    case 0x5b:
      return depth < MAX_DEPTH && array(depth + 1);
    case 0x74:
      return word('true');
    case 0x66:
      return word('false');
    case 0x6e:
      return word('null');
    default:
      return number();
  }
}

function word(literal: string): boolean {
  if (!text.startsWith(literal, at)) return false;
  at += literal.length;
  return true;
}

/** A number exactly as JCS writes it: its Number::toString form (which also rules out -0, leading zeros, `+`, `E`). */
function number(): boolean {
  let end = at;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (!((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65)) break;
  }
  if (end === at) return false;
  const token = text.slice(at, end);
  if (String(Number(token)) !== token) return false;
  at = end;
  return true;
}

/**
 * A string literal as JSON.stringify writes it: `\"`, `\\`, the five short escapes, `\u00xx` (lowercase)
 * for the other controls, and surrogates only in pairs (a lone one has no JCS form). Moves past the
 * closing quote; returns 1 when the literal holds an escape, 0 when not, -1 when it is not canonical.
 */
function string(): number {
  let i = at + 1;
  let escaped = 0;
  for (;;) {
    PLAIN_RUN.lastIndex = i;
    PLAIN_RUN.test(text);
    i = PLAIN_RUN.lastIndex;
    if (i >= text.length) return -1;
    const c = text.charCodeAt(i);
    if (c === 0x22) break;
    if (c < 0x20) return -1;
    if (c === 0x5c) {
      const e = text.charCodeAt(i + 1);
      // \" \\ \b \f \n \r \t
      if (e === 0x22 || e === 0x5c || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
        i += 2;
      } else if (isControlEscape(i)) {
        i += 6;
      } else {
        return -1;
      }
      escaped = 1;
      continue;
    }
    // A surrogate: canonical only as a high one followed by a low one.
    const next = text.charCodeAt(i + 1);
    if (c >= 0xdc00 || !(next >= 0xdc00 && next <= 0xdfff)) return -1;
    i += 2;
  }
  at = i + 1;
  return escaped;
}

/** `\u00xx` at `i`, lowercase hex, for a control character that has no short escape. */
function isControlEscape(i: number): boolean {
  if (text.charCodeAt(i + 1) !== 0x75 || text.charCodeAt(i + 2) !== 0x30 || text.charCodeAt(i + 3) !== 0x30) return false;
  const high = text.charCodeAt(i + 4);
  const low = text.charCodeAt(i + 5);
  if (high !== 0x30 && high !== 0x31) return false;
  const lowValue = low >= 0x30 && low <= 0x39 ? low - 0x30 : low >= 0x61 && low <= 0x66 ? low - 0x57 : -1;
  if (lowValue < 0) return false;
  const code = (high - 0x30) * 16 + lowValue;
  return code !== 0x08 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d;
}

function object(depth: number): boolean {
  at++;
  if (text.charCodeAt(at) === 0x7d) {
    at++;
    return true;
  }
  let previous: string | undefined;
  for (;;) {
    if (text.charCodeAt(at) !== 0x22) return false;
    const start = at + 1;
    // A name without escapes is its own text, so names compare as slices (RFC 8785 §3.2.3: UTF-16 code units).
    if (string() !== 0) return false;
    const name = text.slice(start, at - 1);
    if (previous !== undefined && !(previous < name)) return false;
    previous = name;
    if (text.charCodeAt(at) !== 0x3a) return false;
    at++;
    if (!value(depth)) return false;
    const c = text.charCodeAt(at++);
    if (c === 0x7d) return true;
    if (c !== 0x2c) return false;
  }
}

function array(depth: number): boolean {
  at++;
  if (text.charCodeAt(at) === 0x5d) {
    at++;
    return true;
  }
  for (;;) {
    if (!value(depth)) return false;
    const c = text.charCodeAt(at++);
    if (c === 0x5d) return true;
    if (c !== 0x2c) return false;
  }
}
