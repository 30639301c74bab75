import { toBigInt, type SqlExecutor } from '@ledgerline/projections';

/**
 * Read-only batch lookups in the notary's tables (`merkle_leaves`, `merkle_nodes`; their schema is
 * libs/ledger's merkle-tree.store.ts). StoredMerkleTree answers one proof per query; exports need
 * thousands, so nodes are read many per round trip.
 */
const CHUNK = 1000;

/** Global position of the event at leaf `index`, or undefined when the tree is not that large. */
export async function positionOfLeaf(sql: SqlExecutor, index: number): Promise<bigint | undefined> {
  const rows = await sql.query<{ position: unknown }>('SELECT position FROM merkle_leaves WHERE leaf_index = $1', [index]);
  return rows[0] === undefined ? undefined : toBigInt(rows[0].position);
}

/** Hashes of the given nodes (level → indexes), in as few queries as the parameter limit allows; the caller checks that none is missing. */
export async function nodesAt(sql: SqlExecutor, wanted: ReadonlyMap<number, readonly number[]>): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  const pairs: [number, number][] = [];
  for (const [level, indexes] of wanted) for (const index of indexes) pairs.push([level, index]);
  for (let offset = 0; offset < pairs.length; offset += CHUNK) {
    const chunk = pairs.slice(offset, offset + CHUNK);
    const params: number[] = [];
    const byLevel = new Map<number, string[]>();
    for (const [level, index] of chunk) {
      params.push(index);
      const placeholders = byLevel.get(level) ?? [];
      placeholders.push(`$${params.length}`);
      byLevel.set(level, placeholders);
    }
    // Levels are small integers of our own, written into the SQL; the indexes are parameters.
    const where = [...byLevel].map(([level, placeholders]) => `(level = ${level} AND idx IN (${placeholders.join(', ')}))`).join(' OR ');
    const rows = await sql.query<{ level: unknown; idx: unknown; hash: string }>(`SELECT level, idx, hash FROM merkle_nodes WHERE ${where}`, params);
    for (const row of rows) found.set(nodeKey(Number(row.level), Number(row.idx)), Buffer.from(row.hash, 'hex'));
  }
  return found;
}

/** The key nodesAt answers under. */
export function nodeKey(level: number, index: number): string {
  return `${level}:${index}`;
}
