import type { RecordedEvent } from '@ledgerline/event-store';
import type { ReadTx } from './read-db/read-db.port';

/**
 * A read model fed from the store's ordered log. Every method gets the runner's transaction, which
 * also carries the checkpoint: a projector never commits, opens transactions or reads the clock.
 */
export interface Projector {
  /** Stable identifier, `[a-z0-9_.-]`, unique per read database (the checkpoint's key). */
  readonly name: string;
  /** Positive integer; raising it drops the read model and rebuilds it from the log. */
  readonly version: number;
  /** Creates the read model's tables and indexes (`CREATE … IF NOT EXISTS`, so re-running is harmless). */
  migrate(tx: ReadTx): Promise<void>;
  /** Removes every table `migrate` created (`DROP TABLE IF EXISTS`). */
  drop(tx: ReadTx): Promise<void>;
  /** Event types this read model reads; the others only advance its checkpoint. Default: all. */
  handles?(type: string): boolean;
  /** Folds one event into the read model. Throwing stops the runner at this event (nothing is skipped). */
  apply(event: RecordedEvent, tx: ReadTx): Promise<void>;
  /**
   * Folds consecutive events (a batch, in log order, already past the stream-revision guard) with the
   * same result as `apply` on each in turn, in fewer statements. When given, the runner uses it instead
   * of `apply`; throwing stops the runner at the batch's first event.
   */
  applyAll?(events: readonly RecordedEvent[], tx: ReadTx): Promise<void>;
}

const NAME = /^[a-z0-9_.-]{1,100}$/;

/** Throws on a projector that would corrupt the checkpoint table (bad name or version, duplicates). */
export function assertValidProjectors(projectors: readonly Projector[]): void {
  const seen = new Set<string>();
  for (const p of projectors) {
    if (!NAME.test(p.name)) throw new Error(`projector name "${p.name}" must match ${NAME}`);
    if (!Number.isSafeInteger(p.version) || p.version < 1) throw new Error(`projector "${p.name}" has invalid version ${p.version}`);
    if (seen.has(p.name)) throw new Error(`two projectors are named "${p.name}"`);
    seen.add(p.name);
  }
}
