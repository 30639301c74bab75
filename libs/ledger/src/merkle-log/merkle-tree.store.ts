import type { NodeCoordinate } from './subtree-ranges';

/** The SQL surface the tree needs; the projections lib's read-database transactions provide it. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** Portable DDL: hex TEXT hashes, so the same statements run on SQLite and PostgreSQL. */
export const MERKLE_TABLES = [
  `CREATE TABLE IF NOT EXISTS merkle_nodes (level INTEGER NOT NULL, idx BIGINT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx))`,
  `CREATE TABLE IF NOT EXISTS merkle_leaves (leaf_index BIGINT PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, position TEXT NOT NULL)`,
];

export async function migrateMerkleTables(sql: SqlExecutor): Promise<void> {
  for (const statement of MERKLE_TABLES) await sql.exec(statement);
}

export async function dropMerkleTables(sql: SqlExecutor): Promise<void> {
  await sql.exec('DROP TABLE IF EXISTS merkle_nodes');
  await sql.exec('DROP TABLE IF EXISTS merkle_leaves');
}

export async function countLeaves(sql: SqlExecutor): Promise<number> {
  const rows = await sql.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM merkle_leaves');
  return Number(rows[0]?.n ?? 0);
}

/** Reads the given nodes in one round trip; throws if any is missing (the tree is smaller than asked). */
export async function readNodes(sql: SqlExecutor, coordinates: NodeCoordinate[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (coordinates.length === 0) return out;
  const where = coordinates.map((_, i) => `(level = $${2 * i + 1} AND idx = $${2 * i + 2})`).join(' OR ');
  const params = coordinates.flatMap((c) => [c.level, c.index]);
  const rows = await sql.query<{ level: number | string; idx: number | string; hash: string }>(
    `SELECT level, idx, hash FROM merkle_nodes WHERE ${where}`,
    params,
  );
  for (const row of rows) out.set(nodeKey({ level: Number(row.level), index: Number(row.idx) }), Buffer.from(row.hash, 'hex'));
  for (const c of coordinates) {
    if (!out.has(nodeKey(c))) throw new Error(`merkle node (${c.level}, ${c.index}) is not stored`);
  }
  return out;
}

export function nodeKey(c: NodeCoordinate): string {
  return `${c.level}:${c.index}`;
}
