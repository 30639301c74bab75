import { CanonicalJsonError } from './integrity.errors';

const MAX_DEPTH = 512;

type WellFormed = { isWellFormed?: () => boolean };
const LONE_SURROGATE = /\p{Surrogate}/u;
const hasIsWellFormed = typeof (String.prototype as WellFormed).isWellFormed === 'function';

function isWellFormed(value: string): boolean {
  return hasIsWellFormed ? (value as unknown as Required<WellFormed>).isWellFormed() : !LONE_SURROGATE.test(value);
}

/**
 * RFC 8785 (JCS) canonical JSON text of `value`.
 *
 * Strings are escaped as ECMAScript JSON.stringify does, numbers use Number::toString, object members
 * are sorted by their UTF-16 code units. Only JSON values are accepted: non-finite numbers, undefined,
 * functions, symbols, bigints, lone surrogates, cycles and non-plain objects (Date, Map, Buffer, class
 * instances) throw CanonicalJsonError naming where they were found, because silently dropping or
 * converting them would make two different inputs hash alike.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, 0);
}

/** UTF-8 bytes of canonicalize(value): the bytes that are hashed. */
export function canonicalizeToBuffer(value: unknown): Buffer {
  return Buffer.from(serialize(value, 0), 'utf8');
}

/**
 * JCS of a plain object without the listed top-level members, without copying it
 * (the envelope hash covers the metadata minus `hash` and `sig`).
 */
export function canonicalizeWithout(value: Record<string, unknown>, omit: readonly string[]): string {
  if (!isPlainObject(value)) throw new CanonicalJsonError('canonicalizeWithout expects a plain object');
  return serializeObject(value, 0, omit);
}

// Most strings need no escaping and hold no surrogate; one regex test is about twice as fast as JSON.stringify.
const NEEDS_CARE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** A JSON string literal as ECMAScript JSON.stringify writes it (RFC 8785 §3.2.2.2), refusing lone surrogates. */
function quote(value: string, what: string): string {
  if (!NEEDS_CARE.test(value)) return '"' + value + '"';
  if (!isWellFormed(value)) throw new CanonicalJsonError(`${what} holds a lone surrogate (not I-JSON)`);
  return JSON.stringify(value);
}

function serialize(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return quote(value, 'string');
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`number ${value} has no JSON form`);
      return '' + value;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new CanonicalJsonError(`nesting deeper than ${MAX_DEPTH} (or a cycle)`);
      if (Array.isArray(value)) return serializeArray(value, depth);
      if (isPlainObject(value)) return serializeObject(value, depth, undefined);
      throw new CanonicalJsonError(`${describe(value)} is not a JSON value`);
    default:
      throw new CanonicalJsonError(`${typeof value} is not a JSON value`);
  }
}

function serializeArray(items: unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    try {
      out += serialize(items[i], depth + 1);
    } catch (error) {
      throw withPath(error, `[${i}]`);
    }
  }
  return out + ']';
}

function serializeObject(obj: Record<string, unknown>, depth: number, omit: readonly string[] | undefined): string {
  const keys = sortedKeys(obj);
  let out = '{';
  let first = true;
  for (const key of keys) {
    if (omit !== undefined && omit.includes(key)) continue;
    const name = quote(key, 'member name');
    let member: string;
    try {
      member = serialize(obj[key], depth + 1);
    } catch (error) {
      throw withPath(error, `.${key}`);
    }
    out += (first ? '' : ',') + name + ':' + member;
    first = false;
  }
  return out + '}';
}

// RFC 8785 §3.2.3 orders member names by UTF-16 code units, which is what both the default sort and the
// `<` operator on strings compare. Objects here are small, where insertion sort is about twice as fast.
function sortedKeys(obj: Record<string, unknown>): string[] {
  const keys = Object.keys(obj);
  if (keys.length > 24) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: object): string {
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return name ? `a ${name}` : 'an object with a custom prototype';
}

function withPath(error: unknown, segment: string): unknown {
  if (!(error instanceof CanonicalJsonError)) return error;
  const match = /^at \$(\S*): (.*)$/s.exec(error.message);
  const message = match ? `at $${segment}${match[1]}: ${match[2]}` : `at $${segment}: ${error.message}`;
  return new CanonicalJsonError(message);
}
