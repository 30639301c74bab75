import type { Pool, PoolClient, PoolConfig } from 'pg';
import type { ReadDb, ReadTx } from './read-db.port';
import { bindValue, parseInt64Text } from './sql-values';

export interface PostgresReadDbOptions {
  /**
   * Confine every table to this schema (created if missing) through the connections' search path.
   * Tests use a unique schema per run; production normally leaves it unset (`public`).
   */
  schema?: string;
  /** Pool size. Default 10. */
  poolSize?: number;
}

type Row = Record<string, unknown>;

const INT8_OID = 20;
const NUMERIC_OID = 1700;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Per-pool type parsing (never pg's global registry): int8 — also COUNT(*) — and integral numerics
 * — SUM of a BIGINT — come back like SQLite's integers: `number` when exact, else `bigint`.
 */
const portableTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary') {
      if (oid === INT8_OID) return parseInt64Text;
      if (oid === NUMERIC_OID) return (text: string) => (/^-?\d+$/.test(text) ? parseInt64Text(text) : Number(text));
    }
    return pgDriver().types.getTypeParser(oid, format);
  },
} as PoolConfig['types'];

/**
 * The driver is loaded when a PostgreSQL read database is opened, not when this library is: every
 * process imports the library, and the embedded default (SQLite) never needs pg's modules and heap.
 */
export function pgDriver(): typeof import('pg') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (see above)
  return require('pg') as typeof import('pg');
}

function bindAll(params: readonly unknown[] | undefined): (string | number | bigint | null)[] {
  return (params ?? []).map(bindValue);
}

/** Read models in PostgreSQL; a transaction holds one pooled client from BEGIN to COMMIT/ROLLBACK. */
export class PostgresReadDb implements ReadDb {
  readonly dialect = 'postgres' as const;
  private readonly running = new Set<Promise<unknown>>();
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly pool: Pool,
    readonly schema: string | undefined,
  ) {}

  /** Connects (creating `options.schema` if given) and checks the server answers. */
  static async open(url: string, options: PostgresReadDbOptions = {}): Promise<PostgresReadDb> {
    const { schema } = options;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
    const pool = new (pgDriver().Pool)({
      connectionString: url,
      max: options.poolSize ?? 10,
      types: portableTypes,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // An idle client losing its server is not fatal: the next query reports the failure to its caller.
    pool.on('error', () => undefined);
    try {
      if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      else await pool.query('SELECT 1');
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresReadDb(pool, schema);
  }

  async query<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    this.assertOpen();
    const result = await this.pool.query(sql, bindAll(params));
    return result.rows as T[];
  }

  async exec(sql: string): Promise<void> {
    this.assertOpen();
    // Without parameters pg uses the simple protocol, which accepts several statements.
    await this.pool.query(sql);
  }

  transaction<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const work = this.runTransaction(fn);
    this.running.add(work);
    const forget = (): void => void this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Drops the confined schema and everything in it (test clean-up), then closes. */
  async dropSchemaAndClose(): Promise<void> {
    if (!this.schema) throw new Error('this read database is not confined to a schema');
    await this.exec(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
    await this.close();
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.running]);
      await this.pool.end();
    })();
    return this.closing;
  }

  private async runTransaction<T>(fn: (tx: ReadTx) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    let active = true;
    const check = (): void => {
      if (!active) throw new Error('read-db transaction used after it ended');
    };
    const tx: ReadTx = {
      query: async <R>(sql: string, params?: readonly unknown[]): Promise<R[]> => {
        check();
        return (await client.query(sql, bindAll(params))).rows as R[];
      },
      exec: async (sql: string): Promise<void> => {
        check();
        await client.query(sql);
      },
    };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      active = false;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      active = false;
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // A client that cannot roll back is in an unknown state: destroy it instead of pooling it.
        broken = rollbackError as Error;
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('read database is closed');
  }
}
