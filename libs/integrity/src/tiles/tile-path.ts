/**
 * c2sp.org/tlog-tiles coordinates: which hashes a tile holds, how its path is written, and which
 * tiles a tree of a given size has. Tile height is fixed at 8 by the spec (256 hashes a full tile).
 */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** The spec allows levels 0..63; a log of fewer than 2^53 leaves has hashes up to level 6. */
export const MAX_TILE_LEVEL = 63;

/** A hash tile (`level` ≥ 0) or an entry bundle (`level` = 'entries'); `width` 256 is a full tile. */
export interface TileCoordinates {
  level: number | 'entries';
  index: number;
  width: number;
}

export type TilePathResult = { ok: true; tile: TileCoordinates } | { ok: false; reason: string };

const LEVEL = /^(0|[1-9]\d?)$/;
const WIDTH = /^([1-9]\d{0,2})$/;
const INNER_SEGMENT = /^x\d{3}$/;
const LAST_SEGMENT = /^\d{3}$/;
/** Enough 3-digit groups for any index below 2^53; longer paths cannot name a tile of this log. */
const MAX_INDEX_SEGMENTS = 6;

/**
 * Parses the part of a tile URL after `tile/`: `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`, with N
 * in the spec's 3-digit groups (`x001/x234/067`). Only the canonical spelling is accepted (no
 * leading `x000`, no leading zeros in L or W), so each tile has exactly one URL to cache.
 */
export function parseTilePath(path: string): TilePathResult {
  const segments = path.split('/');
  const levelText = segments.shift() ?? '';
  let level: number | 'entries';
  if (levelText === 'entries') level = 'entries';
  else if (LEVEL.test(levelText) && Number(levelText) <= MAX_TILE_LEVEL) level = Number(levelText);
  else return { ok: false, reason: `the tile level must be a whole number 0-${MAX_TILE_LEVEL} without leading zeros, or "entries"` };

  let width = TILE_WIDTH;
  const last = segments.length - 1;
  if (segments.length >= 2 && segments[last - 1].endsWith('.p')) {
    if (!WIDTH.test(segments[last]) || Number(segments[last]) >= TILE_WIDTH) {
      return { ok: false, reason: `a partial tile's width (after .p/) must be a whole number 1-${TILE_WIDTH - 1} without leading zeros` };
    }
    width = Number(segments[last]);
    segments.pop();
    segments[segments.length - 1] = segments[segments.length - 1].slice(0, -'.p'.length);
  }
  if (segments.length === 0 || segments.length > MAX_INDEX_SEGMENTS) {
    return { ok: false, reason: `the tile index must be 1-${MAX_INDEX_SEGMENTS} groups of 3 digits, e.g. x001/x234/067` };
  }
  const inner = segments.slice(0, -1);
  if (!inner.every((s) => INNER_SEGMENT.test(s)) || !LAST_SEGMENT.test(segments[segments.length - 1])) {
    return { ok: false, reason: 'the tile index must be groups of 3 digits, every group but the last starting with x, e.g. x001/x234/067' };
  }
  if (inner[0] === 'x000') return { ok: false, reason: 'the tile index must not start with x000 (write it without leading groups)' };
  const digits = segments.map((s) => s.replace('x', '')).join('');
  const index = Number(digits);
  if (!Number.isSafeInteger(index)) return { ok: false, reason: 'the tile index is too large' };
  return { ok: true, tile: { level, index, width } };
}

/** The path of a tile after `tile/`, as the spec writes it (e.g. `1/x001/x234/067.p/17`). */
export function formatTilePath(tile: TileCoordinates): string {
  let n = tile.index;
  let text = String(n % 1000).padStart(3, '0');
  while (n >= 1000) {
    n = Math.floor(n / 1000);
    text = `x${String(n % 1000).padStart(3, '0')}/${text}`;
  }
  return `${tile.level}/${text}${tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`}`;
}

/** Merkle tree level of the hashes a tile holds: 8·L (entry bundles sit on the leaves, level 0). */
export function treeLevelOf(tile: TileCoordinates): number {
  return tile.level === 'entries' ? 0 : TILE_HEIGHT * tile.level;
}

/** Index, at that tree level, of the tile's first hash. */
export function firstNodeOf(tile: TileCoordinates): number {
  return tile.index * TILE_WIDTH;
}

/**
 * Whether every hash of the tile is complete in a tree of `treeSize` leaves: a tile (full or of any
 * partial width) exists once the tree has the nodes it lists, and never changes after that.
 */
export function tileExistsAt(tile: TileCoordinates, treeSize: number): boolean {
  const nodesAtLevel = Math.floor(treeSize / 2 ** treeLevelOf(tile));
  return firstNodeOf(tile) + tile.width <= nodesAtLevel;
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes (c2sp.org/tlog-tiles). */
export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  const bundle = Buffer.alloc(entries.reduce((total, entry) => total + 2 + entry.length, 0));
  let offset = 0;
  for (const entry of entries) {
    if (entry.length > 0xffff) throw new RangeError('a tlog-tiles entry is at most 65535 bytes');
    offset = bundle.writeUInt16BE(entry.length, offset);
    bundle.set(entry, offset);
    offset += entry.length;
  }
  return bundle;
}
