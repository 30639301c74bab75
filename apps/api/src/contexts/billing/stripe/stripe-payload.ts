/**
 * Readers for verified Stripe payloads. The signature proves who sent them, not their shape (the
 * webhook endpoint's API version decides it), so every member is checked before use.
 */
export class StripePayloadError extends Error {
  /** `missing` (absent or null) or `malformed` (present, of another type or form): what an operator acts on. */
  readonly problem: 'missing' | 'malformed';

  /** `path` names the member (`data.object.customer`), `expected` its form; the value itself is never kept. */
  constructor(
    readonly path: string,
    found: unknown = null,
    readonly expected = 'another form',
  ) {
    const problem = found === null || found === undefined ? 'missing' : 'malformed';
    super(`Stripe payload member ${path} is ${problem} (expected ${expected})`);
    this.name = 'StripePayloadError';
    this.problem = problem;
  }
}

export type PayloadObject = Record<string, unknown>;

/** Stripe object ids (`evt_…`, `cus_…`, `sub_…`): they end up in stream names, so the alphabet is closed. */
const STRIPE_ID = /^[A-Za-z0-9_]{3,180}$/;

export function isObject(value: unknown): value is PayloadObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, path: string): PayloadObject {
  if (!isObject(value)) throw new StripePayloadError(path, value, 'an object');
  return value;
}

export function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) throw new StripePayloadError(path, value, 'a string of 1–255 characters');
  return value;
}

export function stripeId(value: unknown, path: string): string {
  if (typeof value !== 'string' || !STRIPE_ID.test(value)) throw new StripePayloadError(path, value, 'a Stripe id');
  return value;
}

/** An id, or the id of an expanded object (`customer: "cus_…"` or `customer: { id: "cus_…", … }`). */
export function stripeRef(value: unknown, path: string): string {
  return stripeId(isObject(value) ? value.id : value, path);
}

export function optionalStripeRef(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : stripeRef(value, path);
}

export function integer(value: unknown, path: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new StripePayloadError(path, value, 'an integer ≥ 0');
  return value as number;
}

export function optionalInteger(value: unknown, path: string): number | null {
  return value === null || value === undefined ? null : integer(value, path);
}

export function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') throw new StripePayloadError(path, value, 'true or false');
  return value;
}

/** The `data` array of a Stripe list object (`{ object: "list", data: [...] }`). */
export function listData(value: unknown, path: string): unknown[] {
  const list = object(value, path);
  if (!Array.isArray(list.data)) throw new StripePayloadError(`${path}.data`, list.data, 'an array');
  return list.data;
}

export function isStripeId(value: unknown): value is string {
  return typeof value === 'string' && STRIPE_ID.test(value);
}
