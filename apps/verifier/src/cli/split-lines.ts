/** One line of a byte stream without its newline, or the marker that a line exceeded the limit. */
export type SplitLine = { line: Buffer } | { tooLong: true };

/**
 * Splits a byte stream on `\n` exactly as the bytes are (no `\r` stripping, no decoding), holding at
 * most one line in memory; a final line without a newline is yielded too. Stops after a line longer
 * than `maxLineBytes`.
 */
export async function* splitLines(chunks: AsyncIterable<Buffer | string>, maxLineBytes: number): AsyncGenerator<SplitLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of chunks) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      let line = buf.subarray(start, nl);
      if (pending.length > 0) {
        line = Buffer.concat([...pending, line]);
        pending = [];
        pendingBytes = 0;
      }
      start = nl + 1;
      if (line.length > maxLineBytes) {
        yield { tooLong: true };
        return;
      }
      yield { line };
    }
    if (start < buf.length) {
      pending.push(buf.subarray(start));
      pendingBytes += buf.length - start;
      if (pendingBytes > maxLineBytes) {
        yield { tooLong: true };
        return;
      }
    }
  }
  if (pending.length > 0) yield { line: Buffer.concat(pending) };
}
