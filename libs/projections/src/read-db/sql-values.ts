const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** A 64-bit integer as the adapters return it: `number` when exactly representable, else `bigint`. */
export function fromInt64(value: bigint): number | bigint {
  return value <= MAX_SAFE && value >= MIN_SAFE ? Number(value) : value;
}

/** PostgreSQL sends int8 and integral numerics as text; same normalisation as SQLite's integers. */
export function parseInt64Text(text: string): number | bigint {
  return fromInt64(BigInt(text));
}

/**
 * Reads a stored integer column (number, bigint or decimal text) as a bigint. Throws on anything
 * else, so a NULL or a rounded float is never mistaken for a position.
 */
export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`expected an integer column value, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
}

/** Like `toBigInt` but NULL/undefined stay undefined. */
export function toOptionalBigInt(value: unknown): bigint | undefined {
  return value === null || value === undefined ? undefined : toBigInt(value);
}

/** Portable parameter binding (see the port's subset): booleans as 1/0, undefined as NULL. */
export function bindValue(value: unknown, index: number): string | number | bigint | null {
  switch (typeof value) {
    case 'string':
    case 'bigint':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`parameter $${index + 1} is not a finite number`);
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'undefined':
      return null;
    default:
      if (value === null) return null;
      throw new TypeError(`parameter $${index + 1} has unsupported type ${value?.constructor?.name ?? typeof value} (JSON goes in as a string)`);
  }
}
