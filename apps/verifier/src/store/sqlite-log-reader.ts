import Database from 'better-sqlite3';
import { CHECKPOINT_STREAM } from './spec-constants';

/** The SQLite adapter's one table and the columns the verifier reads (libs/event-store sqlite-schema.ts). */
const COLUMNS = 'position, id, stream, revision, type, data, metadata';

export interface LogExtent {
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
 * no journal-mode change, no WAL checkpoint), and the file must already exist.
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

  /** First and last position: two queries, because SQLite answers a lone min() or max() of the rowid in O(log n) but scans for both at once. */
  extent(): LogExtent {
    const first = this.db.prepare('SELECT min(position) FROM events').pluck().safeIntegers(true).get() as bigint | null;
    const last = this.db.prepare('SELECT max(position) FROM events').pluck().safeIntegers(true).get() as bigint | null;
    return { first: first ?? undefined, last: last ?? undefined };
  }

  /**
   * Position ranges of `size` positions covering every row up to `last`, in order. Positions are an
   * autoincrement, so a range holds about `size` rows; a gap (rows deleted, or one inserted far ahead)
   * is skipped by seeking the next existing position instead of walking through it.
   */
  *slices(extent: LogExtent, size: number): Generator<{ from: bigint; to: bigint }> {
    if (extent.first === undefined || extent.last === undefined) return;
    const next = this.db.prepare('SELECT min(position) FROM events WHERE position >= ?').pluck().safeIntegers(true);
    const step = BigInt(size);
    const last: bigint = extent.last;
    let from: bigint | null = extent.first;
    while (from !== null && from <= last) {
      const end: bigint = from + step - 1n;
      const to: bigint = end < last ? end : last;
      yield { from, to };
      from = to === last ? null : (next.get(to + 1n) as bigint | null);
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
