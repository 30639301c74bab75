import { toBigInt, type SqlExecutor } from '@ledgerline/projections';

/**
 * Read-only batch lookups in the notary's tables (`merkle_leaves`, `merkle_nodes`; their schema is
 * libs/ledger's merkle-tree.store.ts). StoredMerkleTree answers one proof per query; exports need
 * thousands, so nodes are read many per round trip.
 */
/** Global position of the event at leaf `index`, or undefined when the tree is not that large. */
export async function positionOfLeaf(sql: SqlExecutor, index: number): Promise<bigint | undefined> {
  const rows = await sql.query<{ position: unknown }>('SELECT position FROM merkle_leaves WHERE leaf_index = $1', [index]);
  return rows[0] === undefined ? undefined : toBigInt(rows[0].position);
}

/** Nodes per node query. Every query has exactly this many terms (the last repeated), so its text is one prepared statement. */
const NODE_CHUNK = 256;
const NODE_SQL = `SELECT level, idx, hash FROM merkle_nodes WHERE ${Array.from({ length: NODE_CHUNK }, (_, i) => `(level = $${2 * i + 1} AND idx = $${2 * i + 2})`).join(' OR ')}`;

/**
 * Reads the given nodes in as few queries as the chunk size allows and hands each one found to
 * `found` as its hex text (no Buffer per node: callers copy it where they keep it). Nodes that are
 * not stored are simply not reported; the caller checks.
 */
export async function nodesAt(
  sql: SqlExecutor,
  nodes: readonly (readonly [level: number, index: number])[],
  found: (level: number, index: number, hashHex: string) => void,
): Promise<void> {
  const params: number[] = new Array<number>(2 * NODE_CHUNK);
  for (let offset = 0; offset < nodes.length; offset += NODE_CHUNK) {
    const end = Math.min(offset + NODE_CHUNK, nodes.length);
    for (let i = 0; i < NODE_CHUNK; i++) {
      const [level, index] = nodes[Math.min(offset + i, end - 1)];
      params[2 * i] = level;
      params[2 * i + 1] = index;
    }
    const rows = await sql.query<{ level: unknown; idx: unknown; hash: string }>(NODE_SQL, params);
    for (const row of rows) found(Number(row.level), Number(row.idx), row.hash);
  }
}
