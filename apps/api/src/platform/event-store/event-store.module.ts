import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import type { AppConfig } from '@ledgerline/config';
import { openEventStore, type EventStore } from '@ledgerline/event-store';
import { APP_CONFIG } from '../config/config.tokens';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { LedgerlineMetrics } from '../metrics/metrics.registry';
import { mapEventStoreError } from './event-store-error.mapper';
import { EVENT_STORE } from './event-store.tokens';

/** How long the projections' thread lets commits gather before it reads them (adds at most this to projection lag). */
const PROJECTION_BATCH_WINDOW_MS = 10;

/** SQLite's own default threshold (1,000 pages), looked at five times a second. */
const BACKGROUND_CHECKPOINT = { intervalMs: 200, minPages: 1_000 };

/** The URL of the configured store: EVENTSTORE_URL, or the embedded SQLite file under DATA_DIR. */
export function eventStoreUrl(config: AppConfig): string {
  if (config.eventStoreUrl !== undefined) return config.eventStoreUrl;
  mkdirSync(config.dataDir, { recursive: true });
  return `sqlite:${path.resolve(config.dataDir, 'events.sqlite')}`;
}

@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG, LedgerlineMetrics],
      useFactory: (config: AppConfig, metrics: LedgerlineMetrics): Promise<EventStore> =>
        openEventStore(eventStoreUrl(config), {
          esdb: { maxAppendBytes: config.eventStoreMaxAppendBytes },
          sqlite: {
            // The threads of one process (API and worker role) wake each other's subscriptions on every commit.
            shareCommitsAcrossThreads: true,
            // Where the projections run, a wake-up waits a moment so that one batch takes what a burst of
            // commits wrote: one read-model transaction per window instead of one per commit.
            commitNoticeDelayMs: config.worker ? PROJECTION_BATCH_WINDOW_MS : 0,
            // The projections' connection checkpoints the WAL in the background; the others do only past
            // ten times that size (a safety net should no worker run), never in a request's COMMIT.
            ...(config.worker ? { backgroundCheckpoint: BACKGROUND_CHECKPOINT } : { autoCheckpointPages: BACKGROUND_CHECKPOINT.minPages * 10 }),
            onBatch: (batch) => {
              metrics.appendBatchSize.observe(batch.items);
              metrics.appendBatchDuration.observe(batch.durationMs / 1000);
            },
          },
        }),
    },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    filter: ProblemDetailsFilter,
  ) {
    filter.addMapper(mapEventStoreError);
  }

  /** Runs after the HTTP server has drained, so in-flight appends finish and the queue is flushed. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
