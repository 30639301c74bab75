import * as crypto from 'node:crypto';
import { isHashHex, sha256, sha256Hex } from './hash';

describe('sha256', () => {
  it('hashes the empty string to the well-known digest', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256(Buffer.alloc(0)).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('agrees with createHash on strings (UTF-8) and bytes, including every byte value', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (const input of [bytes, 'péché 😂', bytes.subarray(7, 100)]) {
      const expected = crypto.createHash('sha256').update(input).digest();
      expect(sha256(input).equals(expected)).toBe(true);
      expect(sha256Hex(input)).toBe(expected.toString('hex'));
    }
  });

  it('recognises lowercase 64-hex hashes only', () => {
    expect(isHashHex('a'.repeat(64))).toBe(true);
    expect(isHashHex('A'.repeat(64))).toBe(false);
    expect(isHashHex('a'.repeat(63))).toBe(false);
    expect(isHashHex(42)).toBe(false);
  });
});
