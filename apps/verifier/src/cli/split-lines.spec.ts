import { splitLines, type SplitLine } from './split-lines';

async function collect(chunks: (string | Buffer)[], max = 100): Promise<string[]> {
  async function* source() {
    yield* chunks;
  }
  const out: string[] = [];
  for await (const item of splitLines(source(), max)) out.push('line' in item ? item.line.toString('latin1') : '<too long>');
  return out;
}

describe('splitLines', () => {
  it('splits on \\n across chunk boundaries, keeping \\r and a last line without newline', async () => {
    expect(await collect(['ab', 'c\nd\r', '\n\n', 'e'])).toEqual(['abc', 'd\r', '', 'e']);
    expect(await collect(['x\n'])).toEqual(['x']);
    expect(await collect([])).toEqual([]);
  });

  it('stops at a line longer than the limit, complete or still open', async () => {
    expect(await collect(['12345\nab'], 4)).toEqual(['<too long>']);
    expect(await collect(['ab\n', '123', '45'], 4)).toEqual(['ab', '<too long>']);
  });

  it('hands out lines as raw bytes', async () => {
    const lines: SplitLine[] = [];
    async function* source() {
      yield Buffer.from([0xe2, 0x80]);
      yield Buffer.from([0x94, 0x0a]);
    }
    for await (const line of splitLines(source(), 10)) lines.push(line);
    expect(lines).toEqual([{ line: Buffer.from('—') }]);
  });
});
