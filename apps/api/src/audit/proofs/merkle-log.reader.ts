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

/** Hashes of the given nodes, in as few queries as the chunk size allows; the caller checks that none is missing. */
export async function nodesAt(sql: SqlExecutor, nodes: readonly (readonly [level: number, index: number])[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  for (let offset = 0; offset < nodes.length; offset += NODE_CHUNK) {
    const chunk = nodes.slice(offset, offset + NODE_CHUNK);
    const params: number[] = [];
    for (let i = 0; i < NODE_CHUNK; i++) params.push(...(chunk[i] ?? chunk[chunk.length - 1]));
    const rows = await sql.query<{ level: unknown; idx: unknown; hash: string }>(NODE_SQL, params);
    for (const row of rows) found.set(nodeKey(Number(row.level), Number(row.idx)), Buffer.from(row.hash, 'hex'));
  }
  return found;
}

/** The key nodesAt answers under. */
export function nodeKey(level: number, index: number): string {
  return `${level}:${index}`;
}
