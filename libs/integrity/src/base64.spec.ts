import { b64DecodeStrict, b64Encode, b64urlDecodeStrict, b64urlEncode } from './base64';

describe('base64 helpers', () => {
  it('round-trips bytes in both alphabets', () => {
    const bytes = Buffer.from([0xfb, 0xff, 0x00, 0x3e]);
    expect(b64Encode(bytes)).toBe('+/8APg==');
    expect(b64urlEncode(bytes)).toBe('-_8APg');
    expect(b64DecodeStrict('+/8APg==')?.equals(bytes)).toBe(true);
    expect(b64urlDecodeStrict('-_8APg')?.equals(bytes)).toBe(true);
  });

  it.each(['+/8APg', '-_8APg==', '+/8APh==', ' +/8APg==', 'abc', '=AAA'])('rejects non-canonical standard base64 %p', (text) => {
    expect(b64DecodeStrict(text)).toBeUndefined();
  });

  it.each(['+/8APg', '-_8APg==', '-_8APh', 'a', 'ab c'])('rejects non-canonical base64url %p', (text) => {
    expect(b64urlDecodeStrict(text)).toBeUndefined();
  });

  it('decodes the empty string to no bytes', () => {
    expect(b64DecodeStrict('')?.length).toBe(0);
    expect(b64urlDecodeStrict('')?.length).toBe(0);
  });
});
