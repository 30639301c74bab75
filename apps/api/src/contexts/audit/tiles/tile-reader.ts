import { encodeEntryBundle, firstNodeOf, formatTilePath, tileExistsAt, treeLevelOf, type TileCoordinates } from '@ledgerline/integrity';
import { StoredMerkleTree } from '@ledgerline/ledger';
import type { SqlExecutor } from '@ledgerline/projections';

export type TileRead = { found: true; body: Buffer } | { found: false; reason: 'beyond-checkpoint' | 'tree-behind' };

/**
 * Reads a hash tile or an entry bundle from the notary's stored tree (one indexed range read of at
 * most 256 rows, whatever the log's size), serving only what the published checkpoint commits to.
 */
export async function readTile(sql: SqlExecutor, tile: TileCoordinates, checkpointSize: number): Promise<TileRead> {
  if (!tileExistsAt(tile, checkpointSize)) return { found: false, reason: 'beyond-checkpoint' };
  const start = firstNodeOf(tile);
  const hashes =
    tile.level === 'entries'
      ? await StoredMerkleTree.leafInputs(sql, start, tile.width)
      : await StoredMerkleTree.nodesAtLevel(sql, treeLevelOf(tile), start, tile.width);
  // The published checkpoint covers these nodes, but this read database may still be rebuilding the tree.
  if (hashes.length !== tile.width) return { found: false, reason: 'tree-behind' };
  return { found: true, body: tile.level === 'entries' ? encodeEntryBundle(hashes) : Buffer.concat(hashes) };
}

/** How a tile is named in answers: its spec path. */
export function tileName(tile: TileCoordinates): string {
  return `tile/${formatTilePath(tile)}`;
}
