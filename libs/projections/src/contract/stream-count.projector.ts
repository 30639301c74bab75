import type { RecordedEvent } from '@ledgerline/event-store';
import type { Projector } from '../projector.port';
import type { SqlExecutor } from '../read-db/read-db.port';
import { toBigInt } from '../read-db/sql-values';

export interface StreamCountOptions {
  /** Also the table prefix, so keep it an SQL identifier. Default `stream_counts`. */
  name?: string;
  version?: number;
  /** Throw after this event's change has been written (inside the transaction). */
  failAfter?: (event: RecordedEvent) => boolean;
  /** Awaited inside every `apply`, after the change: makes a slow projector. */
  pause?: (event: RecordedEvent) => Promise<void>;
  handles?: (type: string) => boolean;
}

export interface CategoryCount {
  category: string;
  events: number;
  flagged: number;
  lastPosition: bigint;
}

/** The contract's sample read model: events per stream category (`document-1` → `document`). */
export class StreamCountProjector implements Projector {
  readonly name: string;
  readonly version: number;
  readonly handles?: (type: string) => boolean;
  /** Every event `apply` was called with, in order (rolled-back calls included). */
  readonly applied: RecordedEvent[] = [];
  drops = 0;

  constructor(private readonly options: StreamCountOptions = {}) {
    this.name = options.name ?? 'stream_counts';
    this.version = options.version ?? 1;
    if (options.handles) this.handles = options.handles;
  }

  get table(): string {
    return `${this.name}_by_category`;
  }

  async migrate(tx: SqlExecutor): Promise<void> {
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS ${this.table} (category TEXT PRIMARY KEY, events INTEGER NOT NULL, flagged INTEGER NOT NULL, last_position BIGINT NOT NULL)`,
    );
  }

  async drop(tx: SqlExecutor): Promise<void> {
    this.drops++;
    await tx.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }

  async apply(event: RecordedEvent, tx: SqlExecutor): Promise<void> {
    this.applied.push(event);
    await tx.query(
      `INSERT INTO ${this.table} (category, events, flagged, last_position) VALUES ($1, 1, $2, $3)
       ON CONFLICT (category) DO UPDATE SET events = ${this.table}.events + 1,
         flagged = ${this.table}.flagged + excluded.flagged, last_position = excluded.last_position`,
      [event.stream.split('-')[0], event.data.flag === true, event.position],
    );
    await this.options.pause?.(event);
    if (this.options.failAfter?.(event)) throw new Error(`injected failure at position ${event.position}`);
  }

  /** The read model's whole answer, ordered. */
  async counts(sql: SqlExecutor): Promise<CategoryCount[]> {
    const rows = await sql.query<{ category: string; events: number; flagged: number; last_position: unknown }>(
      `SELECT category, events, flagged, last_position FROM ${this.table} ORDER BY category`,
    );
    return rows.map((r) => ({ category: r.category, events: r.events, flagged: r.flagged, lastPosition: toBigInt(r.last_position) }));
  }
}
