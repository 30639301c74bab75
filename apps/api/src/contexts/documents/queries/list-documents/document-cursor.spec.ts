import { decodeDocumentCursor, encodeDocumentCursor } from './document-cursor';

describe('document list cursor', () => {
  it('round-trips positions beyond 2^53 exactly', () => {
    for (const position of [0n, 1n, 9007199254740993n, 18446744073709551615n]) {
      expect(decodeDocumentCursor(encodeDocumentCursor(position))).toBe(position);
    }
  });

  it('is opaque b64url', () => {
    expect(encodeDocumentCursor(123n)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([[''], ['%%%'], ['bm90LWEtbnVtYmVy'], [Buffer.from('-5').toString('base64url')], [Buffer.from('18446744073709551616').toString('base64url')], ['a'.repeat(41)]])(
    'refuses %p',
    (cursor) => {
      expect(decodeDocumentCursor(cursor)).toBeUndefined();
    },
  );
});
