const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const B64URL = /^[A-Za-z0-9_-]*$/;

/** Standard base64 with padding (RFC 4648 §4). */
export function b64Encode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * Decodes standard padded base64, or returns undefined when `text` is not its canonical encoding
 * (wrong alphabet, missing padding, non-zero trailing bits): one byte string has one text.
 */
export function b64DecodeStrict(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !B64.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

/** base64url without padding (RFC 4648 §5, as JOSE uses it). */
export function b64urlEncode(bytes: Uint8Array | string): string {
  return (typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString(
    'base64url',
  );
}

/** Decodes unpadded base64url, or returns undefined when `text` is not its canonical encoding. */
export function b64urlDecodeStrict(text: string): Buffer | undefined {
  if (text.length % 4 === 1 || !B64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
