import { encodeEntryBundle, formatTilePath, parseTilePath, tileExistsAt, type TileCoordinates } from './tile-path';

const tile = (level: TileCoordinates['level'], index: number, width = 256): TileCoordinates => ({ level, index, width });

describe('tlog-tiles paths', () => {
  it.each([
    ['0/000', tile(0, 0)],
    ['0/x001/x234/067', tile(0, 1234067)],
    ['1/x001/x234/067.p/17', tile(1, 1234067, 17)],
    ['entries/005.p/1', tile('entries', 5, 1)],
    ['entries/x999/999', tile('entries', 999999)],
    ['63/000.p/255', tile(63, 0, 255)],
  ])('parses %s and writes it back the same', (path, expected) => {
    expect(parseTilePath(path)).toEqual({ ok: true, tile: expected });
    expect(formatTilePath(expected)).toBe(path);
  });

  it.each([
    ['', 'level'],
    ['00/000', 'level'],
    ['64/000', 'level'],
    ['-1/000', 'level'],
    ['data/000', 'level'],
    ['0', 'index'],
    ['0/', 'groups of 3 digits'],
    ['0/5', 'groups of 3 digits'],
    ['0/0005', 'groups of 3 digits'],
    ['0/001/002', 'groups of 3 digits'],
    ['0/x001', 'groups of 3 digits'],
    ['0/x000/005', 'x000'],
    ['0/000.p/0', 'width'],
    ['0/000.p/256', 'width'],
    ['0/000.p/07', 'width'],
    ['0/000.p/', 'width'],
    ['0/000.p', 'groups of 3 digits'],
    ['0/x001/x002/x003/x004/x005/x006/007', 'index'],
    ['0/x009/x007/x199/x254/x740/993', 'too large'],
  ])('refuses %j, naming what is wrong', (path, reason) => {
    const result = parseTilePath(path);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });

  it('knows which tiles a tree of 70,000 leaves has (the spec example)', () => {
    const size = 70_000;
    expect(tileExistsAt(tile(0, 272), size)).toBe(true);
    expect(tileExistsAt(tile(0, 273), size)).toBe(false);
    expect(tileExistsAt(tile(0, 273, 112), size)).toBe(true);
    expect(tileExistsAt(tile(0, 273, 113), size)).toBe(false);
    // An older (narrower) partial tile is still served: its hashes never change.
    expect(tileExistsAt(tile(0, 273, 1), size)).toBe(true);
    expect(tileExistsAt(tile(1, 0), size)).toBe(true);
    expect(tileExistsAt(tile(1, 1, 17), size)).toBe(true);
    expect(tileExistsAt(tile(1, 1, 18), size)).toBe(false);
    expect(tileExistsAt(tile(2, 0, 1), size)).toBe(true);
    expect(tileExistsAt(tile(2, 0, 2), size)).toBe(false);
    expect(tileExistsAt(tile(3, 0, 1), size)).toBe(false);
    expect(tileExistsAt(tile('entries', 273, 112), size)).toBe(true);
    expect(tileExistsAt(tile('entries', 274, 1), size)).toBe(false);
  });

  it('knows a tree of 256 leaves has one full level-0 tile and a level-1 tile of width 1', () => {
    expect(tileExistsAt(tile(0, 0), 256)).toBe(true);
    expect(tileExistsAt(tile(1, 0, 1), 256)).toBe(true);
    expect(tileExistsAt(tile(0, 1, 1), 256)).toBe(false);
  });

  it('encodes entry bundles as big-endian uint16 length-prefixed entries', () => {
    const bundle = encodeEntryBundle([Buffer.alloc(32, 0xaa), Buffer.from([1, 2, 3])]);
    expect(bundle.length).toBe(2 + 32 + 2 + 3);
    expect(bundle.readUInt16BE(0)).toBe(32);
    expect(bundle.subarray(2, 34).every((b) => b === 0xaa)).toBe(true);
    expect(bundle.readUInt16BE(34)).toBe(3);
    expect([...bundle.subarray(36)]).toEqual([1, 2, 3]);
  });
});
