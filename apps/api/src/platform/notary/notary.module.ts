import { Global, Module } from '@nestjs/common';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { AppConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import { encodeVerifierKey } from '@ledgerline/integrity';
import { CheckpointNotary, LogTamperAlarm, publishedCheckpoint, type LedgerWriter } from '@ledgerline/ledger';
import type { ReadDb } from '@ledgerline/projections';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from '../config/config.tokens';
import { EVENT_STORE } from '../event-store/event-store.tokens';
import { LEDGER_WRITER } from '../ledger/ledger.tokens';
import { loadCheckpointKey } from '../ledger/signing-keys';
import { LedgerlineMetrics } from '../metrics/metrics.registry';
import { READ_DB } from '../projections/projections.tokens';
import { SecurityEventsModule } from '../security-events/security-events.module';
import { SecurityEvents } from '../security-events/security-events.service';
import { checkpointWitnessing } from './checkpoint-witnessing.factory';
import { CHECKPOINT_KEY, CHECKPOINT_NOTARY, LOG_TAMPER_ALARM, LOG_VERIFIER_KEY, PUBLISHED_CHECKPOINTS, type PublishedCheckpoints } from './notary.tokens';
import { recordTamperedLeaf } from './tampered-leaf.record';

/**
 * The notary (SPEC §4): the Merkle-log projection feeds the tree (registered with the other read
 * models); this module's CheckpointNotary signs checkpoints every CHECKPOINT_INTERVAL_MS when the
 * tree grew. Only instances with WORKER on have one, and the WorkerRole runs it under leadership.
 */
@Global()
@Module({
  imports: [SecurityEventsModule],
  providers: [
    { provide: CHECKPOINT_KEY, inject: [APP_CONFIG, LOGGER], useFactory: (config: AppConfig, logger: winston.Logger) => loadCheckpointKey(config, logger) },
    {
      provide: LOG_VERIFIER_KEY,
      inject: [APP_CONFIG, CHECKPOINT_KEY],
      useFactory: (config: AppConfig, key: KeyObject) => encodeVerifierKey(config.auditLogOrigin, createPublicKey(key)),
    },
    {
      provide: LOG_TAMPER_ALARM,
      inject: [LEDGER_WRITER, LOGGER],
      useFactory: (writer: LedgerWriter, logger: winston.Logger) => new LogTamperAlarm(recordTamperedLeaf(writer, logger)),
    },
    {
      provide: PUBLISHED_CHECKPOINTS,
      inject: [APP_CONFIG, EVENT_STORE],
      useFactory: (config: AppConfig, store: EventStore): PublishedCheckpoints => ({ latest: () => publishedCheckpoint(store, config.witnessQuorum) }),
    },
    {
      provide: CHECKPOINT_NOTARY,
      inject: [APP_CONFIG, LOGGER, EVENT_STORE, LEDGER_WRITER, READ_DB, CHECKPOINT_KEY, LedgerlineMetrics, LOG_TAMPER_ALARM, SecurityEvents],
      useFactory: (
        config: AppConfig,
        logger: winston.Logger,
        store: EventStore,
        writer: LedgerWriter,
        db: ReadDb,
        key: KeyObject,
        metrics: LedgerlineMetrics,
        tamperAlarm: LogTamperAlarm,
        security: SecurityEvents,
      ) =>
        config.worker
          ? new CheckpointNotary(store, writer, db, {
              origin: config.auditLogOrigin,
              checkpointKey: key,
              intervalMs: config.checkpointIntervalMs,
              logger: logger.child({ context: 'notary' }),
              tamperAlarm,
              onSigned: (treeSize) => {
                metrics.notaryTreeSize.set(treeSize);
                metrics.notaryCheckpointSignedAt.set(Date.now() / 1000);
              },
              witnessing: checkpointWitnessing(config, { store, writer, db, logger: logger.child({ context: 'witnessing' }), metrics, security }),
            })
          : null,
    },
  ],
  exports: [CHECKPOINT_KEY, LOG_VERIFIER_KEY, CHECKPOINT_NOTARY, LOG_TAMPER_ALARM, PUBLISHED_CHECKPOINTS],
})
export class NotaryModule {}
