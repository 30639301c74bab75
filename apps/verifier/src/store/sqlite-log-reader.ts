import Database from 'better-sqlite3';
import { CHECKPOINT_STREAM } from './spec-constants';

/** The SQLite adapter's one table and the columns the verifier reads (libs/event-store sqlite-schema.ts). */
const COLUMNS = 'position, id, stream, revision, type, data, metadata';

export interface LogExtent {
  rows: number;
  first: bigint | undefined;
  last: bigint | undefined;
}

/** The statement a worker reads an inclusive position range with, in global order, as row arrays. */
export function selectRange(db: Database.Database, bigPositions: boolean): Database.Statement {
  const extra = bigPositions ? ', CAST(position AS TEXT)' : '';
  return db.prepare(`SELECT ${COLUMNS}${extra} FROM events WHERE position >= ? AND position <= ? ORDER BY position`).raw(true);
}

/**
 * The embedded event store file, opened read-only: the verifier never writes to evidence (no schema,
 * no pragma, no WAL checkpoint), and the file must already exist.
 */
export class SqliteLogReader {
  readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const columns = (this.db.prepare("SELECT name FROM pragma_table_info('events')").pluck().all() as string[]).sort().join(',');
      if (columns !== 'data,id,metadata,position,revision,stream,type') {
        throw new Error(columns === '' ? 'it has no events table' : `its events table has the columns ${columns}`);
      }
    } catch (error) {
      this.db.close();
      throw new Error(`${file} is not a Ledgerline event store: ${(error as Error).message}`);
    }
  }

  extent(): LogExtent {
    const row = this.db.prepare('SELECT count(*), min(position), max(position) FROM events').raw(true).safeIntegers(true).get() as [bigint, bigint | null, bigint | null];
    return { rows: Number(row[0]), first: row[1] ?? undefined, last: row[2] ?? undefined };
  }

  /**
   * Slices of about `size` rows covering every position up to `last`, in order. Dense logs (the normal
   * case: positions are an autoincrement) are cut by position arithmetic; sparse ones by seeking.
   */
  *slices(extent: LogExtent, size: number): Generator<{ from: bigint; to: bigint }> {
    if (extent.first === undefined || extent.last === undefined) return;
    const step = BigInt(size);
    const span = extent.last - extent.first + 1n;
    if (span <= BigInt(extent.rows) * 4n) {
      for (let from = extent.first; from <= extent.last; from += step) {
        const to = from + step - 1n;
        yield { from, to: to < extent.last ? to : extent.last };
      }
      return;
    }
    const nth = this.db.prepare('SELECT position FROM events WHERE position >= ? ORDER BY position LIMIT 1 OFFSET ?').pluck().safeIntegers(true);
    for (let from: bigint | undefined = extent.first; from !== undefined && from <= extent.last; ) {
      const to = nth.get(from, size - 1) as bigint | undefined;
      if (to === undefined || to >= extent.last) {
        yield { from, to: extent.last };
        return;
      }
      yield { from, to };
      from = to + 1n;
    }
  }

  /** The tree sizes the checkpoint events claim (unverified: only to know where the rebuilt tree's roots are needed). */
  claimedCheckpointSizes(last: bigint | undefined): number[] {
    if (last === undefined) return [];
    const rows = this.db.prepare('SELECT data FROM events WHERE stream = ? AND position <= ?').pluck().all(CHECKPOINT_STREAM, last) as unknown[];
    return rows.flatMap((text) => {
      try {
        const size = (JSON.parse(String(text)) as { treeSize?: unknown }).treeSize;
        return Number.isSafeInteger(size) && (size as number) >= 0 ? [size as number] : [];
      } catch {
        return [];
      }
    });
  }

  close(): void {
    this.db.close();
  }
}
