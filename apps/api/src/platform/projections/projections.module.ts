import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import type { LogTamperAlarm } from '@ledgerline/ledger';
import { openReadDb, ProjectionSet, type Projector, type ReadDb } from '@ledgerline/projections';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from '../config/config.tokens';
import { EVENT_STORE } from '../event-store/event-store.tokens';
import { LOG_TAMPER_ALARM } from '../notary/notary.tokens';
import { ProjectionProgress } from './projection-progress';
import { allProjectors } from './projectors';
import { PROJECTION_SET, PROJECTORS, READ_DB } from './projections.tokens';

/**
 * The read database and the read models. With WORKER on (the embedded default) this instance runs
 * every projector from the store's global log; with WORKER=off it only reads what the worker wrote.
 */
@Global()
@Module({
  providers: [
    { provide: READ_DB, inject: [APP_CONFIG], useFactory: (config: AppConfig) => openReadDb(config.readDbUrl, config.dataDir) },
    {
      provide: PROJECTORS,
      inject: [APP_CONFIG, LOG_TAMPER_ALARM],
      useFactory: (config: AppConfig, tamperAlarm: LogTamperAlarm) => allProjectors({ config, tamperAlarm }),
    },
    {
      provide: PROJECTION_SET,
      inject: [APP_CONFIG, LOGGER, EVENT_STORE, READ_DB, PROJECTORS],
      useFactory: (config: AppConfig, logger: winston.Logger, store: EventStore, db: ReadDb, projectors: Projector[]) =>
        config.worker
          ? new ProjectionSet(store, db, projectors, { logger: logger.child({ context: 'projections' }), migrate: config.readDbMigrate })
          : null,
    },
    ProjectionProgress,
  ],
  exports: [READ_DB, PROJECTORS, PROJECTION_SET, ProjectionProgress],
})
export class ProjectionsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(PROJECTORS) private readonly projectors: Projector[],
  ) {}

  /**
   * Before the server listens, every read model's tables exist, so queries never race their creation
   * (IF NOT EXISTS: harmless on any instance). The runners themselves are started and stopped by the
   * WorkerRole, under leadership.
   */
  async onApplicationBootstrap(): Promise<void> {
    // READ_DB_MIGRATE=off: a runtime role that may not create tables; `npm run db:migrate` made them.
    if (!this.config.readDbMigrate) return;
    await this.db.transaction(async (tx) => {
      for (const projector of this.projectors) await projector.migrate(tx);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
