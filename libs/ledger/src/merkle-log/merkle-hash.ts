import { createHash } from 'node:crypto';

// Temporary local RFC 9162 hashing until @ledgerline/integrity exports leafHash/nodeHash.
export function leafHashOf(input: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([0])).update(input).digest();
}
export function nodeHashOf(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Buffer.from([1])).update(left).update(right).digest();
}
