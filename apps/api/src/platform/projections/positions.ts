const DECIMAL = /^(0|[1-9]\d{0,19})$/;
const MAX_POSITION = (1n << 64n) - 1n;

/** A global log position as the API shows it: a decimal string (positions are bigints, never Numbers). */
export function formatPosition(position: bigint): string {
  return position.toString(10);
}

/** Parses a position a client echoes back (X-Consistent-After); undefined when it is not one. */
export function parsePosition(text: string): bigint | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = BigInt(text);
  return value <= MAX_POSITION ? value : undefined;
}
