import { pooledRandomBytes } from '@ledgerline/crypto';

/**
 * A fresh id for an event or a new aggregate (a document): a lowercase UUID version 7 (RFC 9562), 48 bits
 * of Unix milliseconds then 74 random bits. Ids drawn close in time sort close together, so every index
 * keyed by them (the store's unique index on event ids, its (stream, revision) index for `document-<id>`
 * streams, the read models' keys) grows at its right edge instead of touching a random page per insert:
 * fewer pages written per commit. The time it reveals is about that of the envelope's `time`.
 */
export function timeOrderedId(nowMs: number = Date.now()): string {
  const bytes = pooledRandomBytes(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
