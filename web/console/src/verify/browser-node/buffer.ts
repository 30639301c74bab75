// The subset of Node's Buffer that libs/integrity uses, for its browser bundle (esbuild injects it as the
// global `Buffer`). A Uint8Array subclass, so subarray() and friends keep returning Buffers; UTF-8 goes
// through TextEncoder/TextDecoder, which the browser implements natively (the hot path: one decode per line).

type Encoding = 'utf8' | 'utf-8' | 'latin1' | 'binary' | 'ascii' | 'hex' | 'base64' | 'base64url';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int16Array(256).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;
B64_VALUE['-'.charCodeAt(0)] = 62;
B64_VALUE['_'.charCodeAt(0)] = 63;

// @ts-expect-error Buffer.from is Node's (value, encoding | offset, length), not Uint8Array.from(items, mapFn)
export class Buffer extends Uint8Array {
  static override from(value: string | ArrayBuffer | ArrayLike<number> | Uint8Array, encodingOrOffset?: Encoding | number, length?: number): Buffer {
    if (typeof value === 'string') return Buffer.fromString(value, (encodingOrOffset as Encoding | undefined) ?? 'utf8');
    if (value instanceof ArrayBuffer) return new Buffer(value, (encodingOrOffset as number | undefined) ?? 0, length ?? value.byteLength - ((encodingOrOffset as number | undefined) ?? 0));
    const copy = new Buffer(value.length);
    copy.set(value as ArrayLike<number>);
    return copy;
  }

  static alloc(size: number, fill = 0): Buffer {
    const buf = new Buffer(size);
    if (fill !== 0) buf.fill(fill);
    return buf;
  }

  static allocUnsafe(size: number): Buffer {
    return new Buffer(size);
  }

  static isBuffer(value: unknown): value is Buffer {
    return value instanceof Buffer;
  }

  static byteLength(text: string | Uint8Array, encoding: Encoding = 'utf8'): number {
    return typeof text === 'string' ? Buffer.fromString(text, encoding).length : text.byteLength;
  }

  static concat(list: readonly Uint8Array[], totalLength?: number): Buffer {
    const total = totalLength ?? list.reduce((n, part) => n + part.length, 0);
    const out = new Buffer(total);
    let offset = 0;
    for (const part of list) {
      if (offset >= total) break;
      out.set(part.length > total - offset ? part.subarray(0, total - offset) : part, offset);
      offset += part.length;
    }
    return out;
  }

  static compare(a: Uint8Array, b: Uint8Array): number {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
  }

  private static fromString(text: string, encoding: Encoding): Buffer {
    switch (encoding) {
      case 'utf8':
      case 'utf-8': {
        const bytes = encoder.encode(text);
        return new Buffer(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      }
      case 'latin1':
      case 'binary':
      case 'ascii': {
        const out = new Buffer(text.length);
        for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
        return out;
      }
      case 'hex': {
        const out = new Buffer(text.length >>> 1);
        for (let i = 0; i < out.length; i++) {
          const byte = parseInt(text.slice(2 * i, 2 * i + 2), 16);
          if (Number.isNaN(byte)) return out.subarray(0, i) as Buffer;
          out[i] = byte;
        }
        return out;
      }
      case 'base64':
      case 'base64url':
        return decodeBase64(text);
    }
  }

  override toString(encoding: Encoding = 'utf8', start = 0, end = this.length): string {
    const view = start === 0 && end === this.length ? this : this.subarray(start, end);
    switch (encoding) {
      case 'utf8':
      case 'utf-8':
        return decoder.decode(view);
      case 'latin1':
      case 'binary':
      case 'ascii': {
        let out = '';
        for (let i = 0; i < view.length; i += 0x2000) out += String.fromCharCode(...view.subarray(i, i + 0x2000));
        return out;
      }
      case 'hex': {
        let out = '';
        for (let i = 0; i < view.length; i++) out += HEX[view[i]];
        return out;
      }
      case 'base64':
        return encodeBase64(view, true);
      case 'base64url':
        return encodeBase64(view, false).replace(/\+/g, '-').replace(/\//g, '_');
    }
  }

  equals(other: Uint8Array): boolean {
    return Buffer.compare(this, other) === 0;
  }

  compare(other: Uint8Array): number {
    return Buffer.compare(this, other);
  }

  copy(target: Uint8Array, targetStart = 0, sourceStart = 0, sourceEnd = this.length): number {
    const part = this.subarray(sourceStart, Math.min(sourceEnd, sourceStart + target.length - targetStart));
    target.set(part, targetStart);
    return part.length;
  }

  write(text: string, offset = 0, length = this.length - offset, encoding: Encoding = 'utf8'): number {
    const bytes = Buffer.fromString(text, encoding);
    const n = Math.min(bytes.length, length, this.length - offset);
    this.set(bytes.subarray(0, n), offset);
    return n;
  }

  readUInt32BE(offset = 0): number {
    return ((this[offset] << 24) >>> 0) + (this[offset + 1] << 16) + (this[offset + 2] << 8) + this[offset + 3];
  }

  writeUInt32BE(value: number, offset = 0): number {
    this[offset] = value >>> 24;
    this[offset + 1] = (value >>> 16) & 0xff;
    this[offset + 2] = (value >>> 8) & 0xff;
    this[offset + 3] = value & 0xff;
    return offset + 4;
  }

  /** Node's includes also finds a string's UTF-8 bytes. */
  override includes(value: number | string, fromIndex = 0): boolean {
    if (typeof value === 'number') return super.includes(value, fromIndex);
    const needle = encoder.encode(value);
    outer: for (let i = fromIndex; i <= this.length - needle.length; i++) {
      for (let j = 0; j < needle.length; j++) if (this[i + j] !== needle[j]) continue outer;
      return true;
    }
    return false;
  }
}

function encodeBase64(bytes: Uint8Array, pad: boolean): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += B64[n >>> 18] + B64[(n >>> 12) & 63] + B64[(n >>> 6) & 63] + B64[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) out += B64[bytes[i] >>> 2] + B64[(bytes[i] & 3) << 4] + (pad ? '==' : '');
  if (rest === 2) {
    const n = (bytes[i] << 8) | bytes[i + 1];
    out += B64[n >>> 10] + B64[(n >>> 4) & 63] + B64[(n & 15) << 2] + (pad ? '=' : '');
  }
  return out;
}

/** Node-style lenient decode (stops at padding, skips unknown characters): callers re-encode to check canonical form. */
function decodeBase64(text: string): Buffer {
  const out = new Buffer(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 61) break;
    const v = c < 256 ? B64_VALUE[c] : -1;
    if (v < 0) continue;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (value >>> bits) & 0xff;
    }
  }
  return out.subarray(0, n) as Buffer;
}
