/**
 * Log redaction. Keys that name credentials or personal data are replaced wholesale, and
 * token-shaped substrings (JWTs, bearer values, Stripe/Clerk secrets) are scrubbed from any
 * string, so a careless `logger.info({ headers })` still writes nothing secret.
 */
const SENSITIVE_KEY =
  /^(authorization|cookie|set-cookie|x-access-reason|password|passphrase|secret|token|id_token|access_token|refresh_token|api[-_]?key|private[-_]?key|email|e-mail|phone|displayname|display_name|title|body|plaintext|data|stripe-signature|client_secret)$|(secret|token|password|apikey|privatekey)$/i;

const SENSITIVE_TEXT: RegExp[] = [
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // JWT / JWS
  /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi,
  /\b(sk|rk|pk|whsec)_(live|test)?_?[A-Za-z0-9]{6,}/g, // Stripe and Clerk keys
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, // e-mail addresses
];

export const REDACTED = '[redacted]';

/** Marks a value as sensitive wherever it is logged. */
export class Sensitive<T = unknown> {
  constructor(readonly value: T) {}
  toJSON(): string {
    return REDACTED;
  }
  toString(): string {
    return REDACTED;
  }
}

export function redactText(text: string): string {
  let out = text;
  for (const pattern of SENSITIVE_TEXT) out = out.replace(pattern, REDACTED);
  return out;
}

/** Returns a redacted deep copy (bounded depth; cycles cut). */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Sensitive) return REDACTED;
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[truncated]';
  seen.add(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactMember(key, item, depth + 1, seen);
  return out;
}

/** Redacts one named member: sensitive names lose their value entirely. */
export function redactMember(key: string, value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  return SENSITIVE_KEY.test(key) ? REDACTED : redactValue(value, depth, seen);
}
