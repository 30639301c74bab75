/**
 * The read-database port: where projections keep read models and queries read them.
 * Adapters: embedded SQLite (`sqlite-read-db.ts`) and PostgreSQL (`postgres-read-db.ts`); both pass
 * `read-db.contract.ts`.
 *
 * SQL is written once, in a portable subset that both adapters run unchanged:
 * - Placeholders are PostgreSQL-style `$1, $2, …` (a placeholder may repeat); `params[0]` is `$1`.
 * - Column types: `TEXT`, `INTEGER` (32-bit values), `BIGINT` (64-bit values). No `BOOLEAN`,
 *   `JSON`/`JSONB`, `NUMERIC`, `TIMESTAMP`, `SERIAL`/`AUTOINCREMENT`, `BLOB`/`BYTEA`.
 * - Booleans are stored as `INTEGER` 0/1; a boolean parameter is bound as 1/0 by both adapters.
 * - JSON is stored as `TEXT` (`JSON.stringify` it yourself); times as ISO-8601 `TEXT`, which sorts;
 *   binary as hex `TEXT`.
 * - Parameters: string, number, bigint, boolean, null/undefined (→ NULL). Nothing else.
 * - Integers come back as `number` when they fit in 2^53 and as `bigint` otherwise — never rounded.
 *   Read 64-bit values (global positions above all) with `toBigInt`, so callers always get a bigint.
 *   `COUNT(*)`/`SUM(…)` of integers follow the same rule on both databases.
 * - Upserts: `INSERT … ON CONFLICT (cols) DO UPDATE SET c = excluded.c [WHERE …]` or `DO NOTHING`.
 * - `RETURNING` on INSERT/UPDATE/DELETE returns only the rows actually written on both.
 * - DDL: `CREATE TABLE IF NOT EXISTS`, `CREATE [UNIQUE] INDEX IF NOT EXISTS`, `DROP TABLE IF EXISTS`.
 *   Name tables after the read model (`documents_by_owner`); never qualify them with a schema:
 *   the PostgreSQL adapter may be confined to a schema through its search path.
 * - No `LIMIT` without `ORDER BY`, no `ILIKE`, no `||` on NULLs relied upon, no `GROUP_CONCAT`/`STRING_AGG`.
 * - A `LIMIT` given as a parameter is written `LIMIT CAST($n AS INTEGER)`, never `LIMIT $n`: SQLite plans with a
 *   bare LIMIT parameter's value, so each new binding makes it compile the statement again (a six-row page of
 *   one owner's documents: 12.6 µs against 5.1). A lint rule (eslint.config.mjs) holds every SQL text to this.
 */

/** SQL runnable inside a transaction (and, outside one, each statement on its own). */
export interface SqlExecutor {
  /** Runs one statement with `$n` parameters and returns its rows (empty for statements without rows). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs one or more statements without parameters (DDL). */
  exec(sql: string): Promise<void>;
}

/** A transaction in progress: valid only until the function it was given to settles. */
export type ReadTx = SqlExecutor;

export interface ReadDb extends SqlExecutor {
  /** `sqlite` or `postgres`: for diagnostics, never for choosing SQL (the SQL is portable). */
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Transactions on one ReadDb never interleave on the same connection. Do not call
   * `transaction` again from inside `fn` (it would wait for itself).
   */
  transaction<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T>;
  /** Waits for running transactions and releases the connections. */
  close(): Promise<void>;
}
