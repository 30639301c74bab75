import { BundleVerifier, type BundleVerifyOptions } from './bundle-verifier';
import type { BundleReport } from './bundle.types';

/** Bytes of a bundle: the whole text, or chunks as they arrive (a file or HTTP body stream). */
export type BundleSource = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/** Longest line accepted; events are bounded far below this by the API's body limits. */
export const MAX_BUNDLE_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Verifies a §5 evidence bundle from its raw bytes, split on newlines here so the trailer's SHA-256 is
 * checked over exactly the bytes received (pass `fs.createReadStream(file)` or the response body; do not
 * pass readline's lines, which lose `\r`s and the final newline: use verifyBundleLines for pre-split lines).
 *
 * Checked: header format; checkpoint signed by the log key and with origin = key name; JWKS kids; every
 * event's envelope (dataHash, hash, sig with a JWKS key, agreement with the line's id/stream/revision/type);
 * leaf indexes increasing and inside the checkpoint; each inclusion proof against the checkpoint root;
 * prev links between consecutive revisions of a stream; with `query.stream`, only that stream, from
 * revision 0 with no gap; a trailer with the right count, SHA-256 and signature, and nothing after it.
 * Keys: header keys unless pinned (see BundleVerifyOptions); `keysSelfAsserted` says which.
 */
export async function verifyBundle(source: BundleSource, options: BundleVerifyOptions = {}): Promise<BundleReport> {
  const verifier = new BundleVerifier(options);
  const chunks = typeof source === 'string' || source instanceof Uint8Array ? [source] : source;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of chunks as AsyncIterable<string | Uint8Array>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      let line = buf.subarray(start, nl);
      if (pending.length > 0) {
        line = Buffer.concat([...pending, line]);
        pending = [];
        pendingBytes = 0;
      }
      start = nl + 1;
      if (!(await verifier.line(line))) return verifier.end();
    }
    if (start < buf.length) {
      pending.push(buf.subarray(start));
      pendingBytes += buf.length - start;
      if (pendingBytes > MAX_BUNDLE_LINE_BYTES) {
        verifier.tooLong(MAX_BUNDLE_LINE_BYTES);
        return verifier.end();
      }
    }
  }
  // A last line without its newline: only the trailer may end that way (its newline is not hashed).
  if (pending.length > 0) await verifier.line(Buffer.concat(pending));
  return verifier.end();
}

/** verifyBundle over lines already split (each without its newline, e.g. from readline). */
export async function verifyBundleLines(lines: Iterable<string> | AsyncIterable<string>, options: BundleVerifyOptions = {}): Promise<BundleReport> {
  const verifier = new BundleVerifier(options);
  for await (const line of lines) {
    if (!(await verifier.line(line))) break;
  }
  return verifier.end();
}
