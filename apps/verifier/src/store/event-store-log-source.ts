import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import type { LogRow } from './chunk-verifier';
import type { LogSlice, LogSource } from './log-source';
import { CHECKPOINT_STREAM } from './spec-constants';

/** Any event-store adapter (EventStoreDB) read through the port's readAll; the main thread reads, workers verify. */
export class EventStoreLogSource implements LogSource {
  readonly workerSource = {};

  constructor(private readonly store: EventStore) {}

  async claimedCheckpointSizes(): Promise<number[]> {
    const sizes: number[] = [];
    for await (const event of this.store.readStream(CHECKPOINT_STREAM)) {
      const size = (event.data as { treeSize?: unknown }).treeSize;
      if (Number.isSafeInteger(size) && (size as number) >= 0) sizes.push(size as number);
    }
    return sizes;
  }

  async *slices(size: number): AsyncIterable<LogSlice> {
    const head = await this.store.headPosition();
    if (head === undefined) return;
    let rows: LogRow[] = [];
    for await (const event of this.store.readAll()) {
      // Fixed at the start, like the SQLite extent: later appends are not this run's business.
      if (event.position > head) break;
      rows.push(toRow(event));
      if (rows.length >= size) {
        yield { rows };
        rows = [];
      }
    }
    if (rows.length > 0) yield { rows };
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

function toRow(event: RecordedEvent): LogRow {
  const position = Number(event.position);
  const exact = Number.isSafeInteger(position) ? undefined : event.position.toString();
  return [position, event.id, event.stream, event.revision, event.type, event.data, event.metadata, exact];
}
