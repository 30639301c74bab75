import { toBigInt, type SqlExecutor } from '@ledgerline/projections';

/**
 * Read-only batch lookups in the notary's tables (`merkle_leaves`, `merkle_nodes`; their schema is
 * libs/ledger's merkle-tree.store.ts). StoredMerkleTree answers one leaf or one proof per query;
 * exports need thousands, so these read many rows per round trip.
 */
const CHUNK = 500;

/** Leaf index of each given event id that the tree holds. */
export async function leafIndexesOf(sql: SqlExecutor, eventIds: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let offset = 0; offset < eventIds.length; offset += CHUNK) {
    const chunk = eventIds.slice(offset, offset + CHUNK);
    const rows = await sql.query<{ event_id: string; leaf_index: unknown }>(
      `SELECT event_id, leaf_index FROM merkle_leaves WHERE event_id IN (${chunk.map((_, i) => `$${i + 1}`).join(', ')})`,
      chunk,
    );
    for (const row of rows) found.set(row.event_id, Number(row.leaf_index));
  }
  return found;
}

/** Global position of the event at leaf `index`, or undefined when the tree is not that large. */
export async function positionOfLeaf(sql: SqlExecutor, index: number): Promise<bigint | undefined> {
  const rows = await sql.query<{ position: unknown }>('SELECT position FROM merkle_leaves WHERE leaf_index = $1', [index]);
  return rows[0] === undefined ? undefined : toBigInt(rows[0].position);
}

/** Hashes of the given nodes of one level (hex → bytes); the caller checks that none is missing. */
export async function nodesOfLevel(sql: SqlExecutor, level: number, indexes: readonly number[]): Promise<Map<number, Buffer>> {
  const found = new Map<number, Buffer>();
  for (let offset = 0; offset < indexes.length; offset += CHUNK) {
    const chunk = indexes.slice(offset, offset + CHUNK);
    const rows = await sql.query<{ idx: unknown; hash: string }>(
      `SELECT idx, hash FROM merkle_nodes WHERE level = $1 AND idx IN (${chunk.map((_, i) => `$${i + 2}`).join(', ')})`,
      [level, ...chunk],
    );
    for (const row of rows) found.set(Number(row.idx), Buffer.from(row.hash, 'hex'));
  }
  return found;
}
