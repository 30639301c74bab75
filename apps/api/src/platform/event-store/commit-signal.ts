import { BroadcastChannel } from 'node:worker_threads';
import { SqliteEventStore, type EventStore } from '@ledgerline/event-store';

/**
 * Links the embedded store's connections in the threads of one process (the API thread appends, the
 * worker thread's projections and notary read): each commit wakes the other threads' subscriptions at
 * once, so a read model trails a 201 by its own work, not by a poll interval.
 */
export class CommitSignal {
  private readonly channel: BroadcastChannel;

  constructor(file: string, store: SqliteEventStore) {
    this.channel = new BroadcastChannel(`ledgerline-commits:${file}`);
    this.channel.onmessage = () => store.notifyExternalCommit();
    // A listener alone must not keep a thread alive.
    this.channel.unref();
  }

  /** This thread committed. */
  committed(): void {
    this.channel.postMessage(0);
  }

  close(): void {
    this.channel.close();
  }
}

/** A CommitSignal for the embedded store; none for a store that delivers appends itself (EventStoreDB). */
export function commitSignalFor(store: EventStore): CommitSignal | undefined {
  return store instanceof SqliteEventStore ? new CommitSignal(store.path, store) : undefined;
}
