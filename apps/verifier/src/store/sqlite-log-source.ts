import type { LogSlice, LogSource } from './log-source';
import { SqliteLogReader, type LogExtent } from './sqlite-log-reader';

/** The embedded SQLite store, read-only; the extent is fixed at open so appends made meanwhile are not half-read. */
export class SqliteLogSource implements LogSource {
  readonly workerSource: { sqliteFile: string; bigPositions: boolean };
  private readonly reader: SqliteLogReader;
  private readonly extent: LogExtent;

  constructor(file: string) {
    this.reader = new SqliteLogReader(file);
    this.extent = this.reader.extent();
    this.workerSource = { sqliteFile: file, bigPositions: this.extent.last !== undefined && this.extent.last > BigInt(Number.MAX_SAFE_INTEGER) };
  }

  async claimedCheckpointSizes(): Promise<number[]> {
    return this.reader.claimedCheckpointSizes(this.extent.last);
  }

  async *slices(size: number): AsyncIterable<LogSlice> {
    yield* this.reader.slices(this.extent, size);
  }

  async close(): Promise<void> {
    this.reader.close();
  }
}
