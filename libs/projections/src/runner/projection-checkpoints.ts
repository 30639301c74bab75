import type { SqlExecutor } from '../read-db/read-db.port';
import { toBigInt, toOptionalBigInt } from '../read-db/sql-values';
import { runsOfFewShapes } from '../read-db/statement-shapes';
import type { Projector } from '../projector.port';

export const CHECKPOINTS_TABLE = 'projection_checkpoints';
export const STREAM_REVISIONS_TABLE = 'projection_stream_revisions';

/**
 * `position` is BIGINT so it compares numerically in SQL; NULL means "nothing applied yet" (a store
 * may have an event at position 0). `projection_stream_revisions` holds, per read model and stream,
 * the highest revision applied: positions belong to one store, revisions survive a store migration.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS ${CHECKPOINTS_TABLE} (name TEXT PRIMARY KEY, version INTEGER NOT NULL, position BIGINT)`,
  `CREATE TABLE IF NOT EXISTS ${STREAM_REVISIONS_TABLE} (projection TEXT NOT NULL, stream TEXT NOT NULL, revision BIGINT NOT NULL, PRIMARY KEY (projection, stream))`,
];

export interface Checkpoint {
  version: number;
  /** Last global position applied; undefined before the first event. */
  position: bigint | undefined;
}

interface CheckpointRow {
  version: number;
  position: unknown;
}

const toCheckpoint = (row: CheckpointRow | undefined): Checkpoint | undefined =>
  row && { version: Number(row.version), position: toOptionalBigInt(row.position) };

export async function ensureCheckpointTables(sql: SqlExecutor): Promise<void> {
  for (const statement of DDL) await sql.exec(statement);
}

export async function readCheckpoint(sql: SqlExecutor, name: string): Promise<Checkpoint | undefined> {
  const rows = await sql.query<CheckpointRow>(`SELECT version, position FROM ${CHECKPOINTS_TABLE} WHERE name = $1`, [name]);
  return toCheckpoint(rows[0]);
}

/**
 * Reads the checkpoint through a no-op UPDATE, which holds the row lock until the transaction ends
 * (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the file's write lock). Two runners of one read
 * model — say, during a leader takeover — therefore apply batches one after the other, and each sees
 * the other's committed checkpoint.
 */
export async function lockCheckpoint(tx: SqlExecutor, name: string): Promise<Checkpoint | undefined> {
  const rows = await tx.query<CheckpointRow>(
    `UPDATE ${CHECKPOINTS_TABLE} SET version = version WHERE name = $1 RETURNING version, position`,
    [name],
  );
  return toCheckpoint(rows[0]);
}

export async function writeCheckpoint(tx: SqlExecutor, name: string, version: number, position: bigint | undefined): Promise<void> {
  await tx.query(
    `INSERT INTO ${CHECKPOINTS_TABLE} (name, version, position) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position`,
    [name, version, position ?? null],
  );
}

/** Drops the read model, forgets its checkpoint and revisions, recreates it empty at the projector's version. */
export async function resetProjection(tx: SqlExecutor, projector: Projector): Promise<void> {
  await projector.drop(tx);
  await tx.query(`DELETE FROM ${STREAM_REVISIONS_TABLE} WHERE projection = $1`, [projector.name]);
  await projector.migrate(tx);
  await writeCheckpoint(tx, projector.name, projector.version, undefined);
}

const STREAMS_PER_QUERY = 500;
const ROWS_PER_UPSERT = 300;

/** Highest applied revision per stream, for the given streams of one read model. */
export async function readStreamRevisions(tx: SqlExecutor, projection: string, streams: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const chunk of runsOfFewShapes(streams, STREAMS_PER_QUERY)) {
    const list = chunk.map((_, j) => `$${j + 2}`).join(', ');
    const rows = await tx.query<{ stream: string; revision: unknown }>(
      `SELECT stream, revision FROM ${STREAM_REVISIONS_TABLE} WHERE projection = $1 AND stream IN (${list})`,
      [projection, ...chunk],
    );
    for (const row of rows) out.set(row.stream, Number(toBigInt(row.revision)));
  }
  return out;
}

export async function writeStreamRevisions(tx: SqlExecutor, projection: string, revisions: ReadonlyMap<string, number>): Promise<void> {
  for (const chunk of runsOfFewShapes([...revisions], ROWS_PER_UPSERT)) {
    const values = chunk.map((_, j) => `($1, $${2 * j + 2}, $${2 * j + 3})`).join(', ');
    await tx.query(
      `INSERT INTO ${STREAM_REVISIONS_TABLE} (projection, stream, revision) VALUES ${values}
       ON CONFLICT (projection, stream) DO UPDATE SET revision = excluded.revision`,
      [projection, ...chunk.flat()],
    );
  }
}

/**
 * Standalone idempotency guard for code that applies events outside a runner: records `revision` for
 * `stream` and returns true if it is newer than what was recorded (apply the event), false if not (skip).
 * Atomic on both databases: the upsert's WHERE is evaluated under the row lock.
 */
export async function guardRevision(tx: SqlExecutor, projection: string, stream: string, revision: number): Promise<boolean> {
  const rows = await tx.query(
    `INSERT INTO ${STREAM_REVISIONS_TABLE} (projection, stream, revision) VALUES ($1, $2, $3)
     ON CONFLICT (projection, stream) DO UPDATE SET revision = excluded.revision
     WHERE ${STREAM_REVISIONS_TABLE}.revision < excluded.revision
     RETURNING revision`,
    [projection, stream, revision],
  );
  return rows.length > 0;
}
