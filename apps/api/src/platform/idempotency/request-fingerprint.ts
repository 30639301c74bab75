import { createHash } from 'node:crypto';
import { canonicalize } from '@ledgerline/integrity';

/**
 * What "the same request" means for an Idempotency-Key: method, path with query, and the body as
 * RFC 8785 canonical JSON (so whitespace or member order do not make a retry "another body").
 */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  const canonical = body === undefined || body === null ? 'null' : canonicalize(body);
  return createHash('sha256').update(`${method} ${url}\n`).update(canonical).digest('hex');
}

/** The store key for one caller's Idempotency-Key: hashed, so any header value makes a safe Redis key. */
export function idempotencyRecordKey(userId: string, key: string): string {
  return createHash('sha256').update(userId).update('\n').update(key).digest('base64url');
}
