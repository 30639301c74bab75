import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { AppConfig } from '@ledgerline/config';
import { openEventStore, type EventStore } from '@ledgerline/event-store';
import { APP_CONFIG } from '../config/config.tokens';
import { LedgerlineMetrics } from '../metrics/metrics.registry';
import { commitSignalFor, type CommitSignal } from './commit-signal';
import { COMMIT_SIGNAL, EVENT_STORE } from './event-store.tokens';

/** The URL of the configured store: EVENTSTORE_URL, or the embedded SQLite file under DATA_DIR. */
export function eventStoreUrl(config: AppConfig): string {
  if (config.eventStoreUrl !== undefined) return config.eventStoreUrl;
  mkdirSync(config.dataDir, { recursive: true });
  return `sqlite:${path.resolve(config.dataDir, 'events.sqlite')}`;
}

/** The store and, for the embedded one, the signal that wakes the other threads' subscriptions on each commit. */
interface OpenedStore {
  store: EventStore;
  signal: CommitSignal | undefined;
}

@Global()
@Module({
  providers: [
    {
      provide: COMMIT_SIGNAL,
      inject: [APP_CONFIG, LedgerlineMetrics],
      useFactory: async (config: AppConfig, metrics: LedgerlineMetrics): Promise<OpenedStore> => {
        // Filled in once the store exists: only its own commits ever fire onBatch.
        const link: { signal?: CommitSignal } = {};
        const store = await openEventStore(eventStoreUrl(config), {
          sqlite: {
            onBatch: (batch) => {
              link.signal?.committed();
              metrics.appendBatchSize.observe(batch.items);
              metrics.appendBatchDuration.observe(batch.durationMs / 1000);
            },
          },
        });
        link.signal = commitSignalFor(store);
        return { store, signal: link.signal };
      },
    },
    { provide: EVENT_STORE, inject: [COMMIT_SIGNAL], useFactory: (opened: OpenedStore) => opened.store },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(COMMIT_SIGNAL) private readonly opened: OpenedStore) {}

  /** Runs after the HTTP server has drained, so in-flight appends finish and the queue is flushed. */
  async onApplicationShutdown(): Promise<void> {
    await this.opened.store.close();
    this.opened.signal?.close();
  }
}
