import type { ClientBase, Pool } from 'pg';
import type { DataKeyRecord, ErasedDataKey, NewDataKey } from '../data-key';
import { assertNewDataKey, assertSubjectId, newKeyId } from '../data-key';
import type { DataKeyStore } from '../data-key-store.port';

export interface PostgresDataKeyStoreOptions {
  /** Schema holding the table (must exist); default: the connection's search_path. */
  schema?: string;
  /** Table name (a plain SQL identifier); default `data_keys`. */
  table?: string;
  now?: () => Date;
}

interface Row {
  subject_id: string;
  kid: string;
  wrapped_key: Buffer | null;
  created_at: Date;
  erased_at: Date | null;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
/** synchronous_commit values under which COMMIT returns only once the WAL is flushed on the primary. */
const DURABLE_COMMITS = new Set(['on', 'remote_write', 'remote_apply']);

/**
 * The pool's `onConnect`: makes every connection it opens commit durably (`SET synchronous_commit TO on`,
 * a session setting any role may make), whatever the server, database or role default says: with `off`, a
 * key's COMMIT could return before it is on disk, and an event encrypted under it could be acknowledged
 * first. The pool hands a connection out only once this has finished, and a connection where it failed
 * never (a 'connect' listener would be neither waited for nor able to refuse it). Check the result with
 * assertDurableCommits().
 */
export async function commitDurablyOnConnect(client: ClientBase): Promise<void> {
  await client.query('SET synchronous_commit TO on');
}
const COLUMNS = 'subject_id, kid, wrapped_key, created_at, erased_at';

/**
 * DataKeyStore in PostgreSQL. Call migrate() once before use.
 *
 * What erasure removes from disk, honestly: PostgreSQL has no secure delete. The UPDATE that
 * sets the wrapped key to NULL writes a new row version; the old one keeps the wrapped bytes
 * in its heap page until (auto)VACUUM prunes it, pruned space is not guaranteed to be zeroed,
 * and the WAL, replicas and base backups hold the original insert until they are recycled.
 * What makes erasure hold anyway is that only the A256KW-wrapped key ever reaches PostgreSQL:
 * the bytes left behind are useless without the master key, which never goes to the database.
 */
export class PostgresDataKeyStore implements DataKeyStore {
  private readonly table: string;
  private readonly now: () => Date;

  constructor(
    private readonly pool: Pool,
    options: PostgresDataKeyStoreOptions = {},
  ) {
    const table = options.table ?? 'data_keys';
    if (!IDENTIFIER.test(table)) throw new TypeError(`invalid table name: ${table}`);
    if (options.schema !== undefined && !IDENTIFIER.test(options.schema)) throw new TypeError(`invalid schema name: ${options.schema}`);
    this.table = options.schema ? `"${options.schema}"."${table}"` : `"${table}"`;
    this.now = options.now ?? (() => new Date());
  }

  /** Creates the table if it does not exist; safe to run from several instances at once. */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Concurrent CREATE TABLE IF NOT EXISTS can still collide on the catalog; serialise it.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ledgerline.data_keys:${this.table}`]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        subject_id  text PRIMARY KEY,
        kid         text NOT NULL UNIQUE,
        wrapped_key bytea CHECK (wrapped_key IS NULL OR octet_length(wrapped_key) = 40),
        created_at  timestamptz NOT NULL,
        erased_at   timestamptz,
        CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
      )`);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Refuses (throws) unless this store's connections commit durably: at start, so a server whose
   * setting cannot be overridden (a pooler that drops session settings) stops the process instead of
   * silently weakening the key-before-event ordering.
   */
  async assertDurableCommits(): Promise<void> {
    const { rows } = await this.pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    const setting = rows[0]?.synchronous_commit ?? 'unknown';
    if (!DURABLE_COMMITS.has(setting)) {
      throw new Error(`PostgreSQL synchronous_commit is "${setting}" on the data-key table's connections: keys would not be durable before the events that need them; refusing to start`);
    }
  }

  async get(subjectId: string): Promise<DataKeyRecord | undefined> {
    assertSubjectId(subjectId);
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM ${this.table} WHERE subject_id = $1`, [subjectId]);
    return toRecord(rows[0]);
  }

  async getByKid(kid: string): Promise<DataKeyRecord | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM ${this.table} WHERE kid = $1`, [kid]);
    return toRecord(rows[0]);
  }

  async create(subjectId: string, candidate: NewDataKey): Promise<DataKeyRecord> {
    assertSubjectId(subjectId);
    assertNewDataKey(candidate);
    // A loser waits for the winner's commit, inserts nothing, and then (new statement, new
    // snapshot under READ COMMITTED) reads the winner's row.
    const inserted = await this.pool.query<Row>(
      `INSERT INTO ${this.table} (subject_id, kid, wrapped_key, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (subject_id) DO NOTHING RETURNING ${COLUMNS}`,
      [subjectId, candidate.kid, candidate.wrappedKey, this.now()],
    );
    const stored = toRecord(inserted.rows[0]) ?? (await this.get(subjectId));
    if (!stored) throw new Error('data key row vanished after insert'); // rows are never deleted
    return stored;
  }

  async destroy(subjectId: string): Promise<ErasedDataKey> {
    assertSubjectId(subjectId);
    const now = this.now();
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO ${this.table} AS k (subject_id, kid, wrapped_key, created_at, erased_at) VALUES ($1, $2, NULL, $3, $3)
       ON CONFLICT (subject_id) DO UPDATE SET wrapped_key = NULL, erased_at = EXCLUDED.erased_at
       WHERE k.erased_at IS NULL
       RETURNING ${COLUMNS}`,
      [subjectId, newKeyId(), now],
    );
    // No row back: it was erased already, and the first erasure time stands.
    const record = toRecord(rows[0]) ?? (await this.get(subjectId));
    if (record?.status !== 'erased') throw new Error('data key erasure did not take effect');
    return record;
  }

  async isErased(subjectId: string): Promise<boolean> {
    return (await this.get(subjectId))?.status === 'erased';
  }
}

function toRecord(row: Row | undefined): DataKeyRecord | undefined {
  if (!row) return undefined;
  const createdAt = row.created_at.toISOString();
  if (row.wrapped_key === null) {
    return { status: 'erased', subjectId: row.subject_id, kid: row.kid, createdAt, erasedAt: (row.erased_at as Date).toISOString() };
  }
  return { status: 'active', subjectId: row.subject_id, kid: row.kid, wrappedKey: row.wrapped_key, createdAt };
}
