import type { NodeId } from '@ledgerline/integrity';
import { runsOfFewShapes } from '@ledgerline/projections';

/** The SQL surface the tree needs (the projections lib's ReadDb and its transactions provide it). */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

/** Portable DDL: hex TEXT hashes, so the same statements run on SQLite and PostgreSQL. */
const MERKLE_TABLES = [
  `CREATE TABLE IF NOT EXISTS merkle_nodes (level INTEGER NOT NULL, idx BIGINT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx))`,
  // leaf_input (the event's hash) is kept so the tlog-tiles entry bundles are served from this table alone.
  `CREATE TABLE IF NOT EXISTS merkle_leaves (leaf_index BIGINT PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, position TEXT NOT NULL, leaf_input TEXT NOT NULL)`,
];

export async function migrateMerkleTables(sql: SqlExecutor): Promise<void> {
  for (const statement of MERKLE_TABLES) await sql.exec(statement);
}

export async function dropMerkleTables(sql: SqlExecutor): Promise<void> {
  await sql.exec('DROP TABLE IF EXISTS merkle_nodes');
  await sql.exec('DROP TABLE IF EXISTS merkle_leaves');
}

const READ_CHUNK = 200;

/** Reads the given nodes, in order, in as few round trips as the parameter limit allows; throws if one is missing. */
export async function readNodes(sql: SqlExecutor, nodes: readonly NodeId[]): Promise<Buffer[]> {
  const found = new Map<string, Buffer>();
  for (const chunk of runsOfFewShapes(nodes, READ_CHUNK)) {
    const where = chunk.map((_, i) => `(level = $${2 * i + 1} AND idx = $${2 * i + 2})`).join(' OR ');
    const rows = await sql.query<{ level: number; idx: number | bigint; hash: string }>(
      `SELECT level, idx, hash FROM merkle_nodes WHERE ${where}`,
      chunk.flatMap((node) => [node.level, node.index]),
    );
    for (const row of rows) found.set(`${Number(row.level)}:${Number(row.idx)}`, Buffer.from(row.hash, 'hex'));
  }
  return nodes.map((node) => {
    const hash = found.get(`${node.level}:${node.index}`);
    if (hash === undefined) throw new RangeError(`merkle node (${node.level}, ${node.index}) is not stored`);
    return hash;
  });
}

/** Runs a query whose rows carry one hex column `hex`, answering the bytes in row order. */
export async function readHexColumn(sql: SqlExecutor, query: string, params: readonly unknown[]): Promise<Buffer[]> {
  const rows = await sql.query<{ hex: string }>(query, params);
  return rows.map((row) => Buffer.from(row.hex, 'hex'));
}

const INSERT_CHUNK = 200;

export async function insertRows(sql: SqlExecutor, target: string, rows: readonly unknown[][]): Promise<void> {
  for (const chunk of runsOfFewShapes(rows, INSERT_CHUNK)) {
    const width = chunk[0].length;
    const values = chunk.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    await sql.query(`INSERT INTO ${target} VALUES ${values}`, chunk.flat());
  }
}
