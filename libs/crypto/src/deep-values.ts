import { isEncryptedValue, type EncryptedValue } from './encrypted-value';

/** `T` with every EncryptedValue replaced by `R`. */
export type ReplacedEncrypted<T, R> = T extends EncryptedValue
  ? R
  : T extends readonly (infer U)[]
    ? ReplacedEncrypted<U, R>[]
    : T extends object
      ? { [K in keyof T]: ReplacedEncrypted<T[K], R> }
      : T;

/** `T` after decryptDeep: each EncryptedValue is its plaintext, or null when erased. */
export type Decrypted<T> = ReplacedEncrypted<T, string | null>;
/** `T` after redactDeep: each EncryptedValue is the string "[encrypted]". */
export type Redacted<T> = ReplacedEncrypted<T, string>;

export const REDACTED = '[encrypted]';

/** Every EncryptedValue inside a JSON-shaped value (arrays and plain objects are walked). */
export function collectEncryptedValues(root: unknown): EncryptedValue[] {
  const found: EncryptedValue[] = [];
  const visit = (node: unknown): void => {
    if (isEncryptedValue(node)) found.push(node);
    else if (Array.isArray(node)) node.forEach(visit);
    else if (isPlainObject(node)) for (const v of Object.values(node)) visit(v);
  };
  visit(root);
  return found;
}

/**
 * A copy of a JSON-shaped value with each EncryptedValue replaced by `replace(it)`. The input is
 * not modified; values that are neither arrays nor plain objects (Date, Buffer) are kept as they are.
 */
export function replaceEncryptedValues<T, R>(root: T, replace: (value: EncryptedValue) => R): ReplacedEncrypted<T, R> {
  const visit = (node: unknown): unknown => {
    if (isEncryptedValue(node)) return replace(node);
    if (Array.isArray(node)) return node.map(visit);
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) out[k] = visit(v);
      return out;
    }
    return node;
  };
  return visit(root) as ReplacedEncrypted<T, R>;
}

/** For audit answers: every `{$jwe}` becomes `"[encrypted]"`; needs no key. */
export function redactDeep<T>(root: T): Redacted<T> {
  return replaceEncryptedValues(root, () => REDACTED);
}

function isPlainObject(node: unknown): node is Record<string, unknown> {
  if (typeof node !== 'object' || node === null) return false;
  const proto = Object.getPrototypeOf(node);
  return proto === Object.prototype || proto === null;
}
