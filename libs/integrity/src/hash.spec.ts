import * as crypto from 'node:crypto';
import { leafHash, leafHashInto } from './merkle/tree-hash';
import { isHashHex, sha256, sha256Hex, sha256Into } from './hash';

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
      const target = Buffer.alloc(40, 0xee);
      sha256Into(input, target, 5);
      expect(target.subarray(5, 37).equals(expected)).toBe(true);
      expect(target.subarray(0, 5).equals(Buffer.alloc(5, 0xee)) && target.subarray(37).equals(Buffer.alloc(3, 0xee))).toBe(true);
    }
  });

  it('writes a leaf hash in place equal to leafHash, reading 32 bytes at any offset', () => {
    const source = crypto.randomBytes(70);
    const target = Buffer.alloc(64);
    leafHashInto(source, 3, target, 32);
    expect(target.subarray(32).equals(leafHash(source.subarray(3, 35)))).toBe(true);
    expect(target.subarray(0, 32).equals(Buffer.alloc(32))).toBe(true);
  });

  it('recognises lowercase 64-hex hashes only', () => {
    expect(isHashHex('a'.repeat(64))).toBe(true);
    expect(isHashHex('A'.repeat(64))).toBe(false);
    expect(isHashHex('a'.repeat(63))).toBe(false);
    expect(isHashHex(42)).toBe(false);
  });
});
