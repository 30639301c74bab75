import type { LogRow } from './chunk-verifier';

/** A slice of the global log to verify: a SQLite position range that workers read themselves, or rows already read. */
export type LogSlice = { from: bigint; to: bigint; rows?: undefined } | { rows: LogRow[]; from?: undefined; to?: undefined };

/** Where verify-store reads the global log from. */
export interface LogSource {
  /** Worker set-up for this source (SQLite: the file each worker opens read-only). */
  readonly workerSource: { sqliteFile?: string; bigPositions?: boolean };
  /** Tree sizes the checkpoint events claim, read ahead so the rebuilt tree keeps its root at those sizes. */
  claimedCheckpointSizes(): Promise<number[]>;
  /** The whole log in global order, as slices of about `size` events. */
  slices(size: number): AsyncIterable<LogSlice>;
  close(): Promise<void>;
}
