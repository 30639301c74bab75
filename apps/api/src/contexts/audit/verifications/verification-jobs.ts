import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { AppConfig } from '@ledgerline/config';
import type { CommandContext } from '@ledgerline/ledger';
import type { ReadDb } from '@ledgerline/projections';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from '../../../platform/config/config.tokens';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import { VerificationJobRunner } from './verification-job.runner';
import { VerificationJobStore, type VerificationJobView } from './verification-job.store';

export type { JobState, VerificationJobView } from './verification-job.store';
export { LOG_VERIFICATION_COMPLETED } from './verification-job.runner';

/**
 * Whole-log verification jobs (SPEC §7.2), one at a time, stored in the read database: any instance
 * queues a job and answers for it, and only the worker role (WORKER on: `npm run worker`, or the worker
 * thread of `npm start`) runs it — an instance with WORKER=off never does. A job the worker was running
 * when it died is reported `interrupted`, and a new one can be started at once.
 */
@Injectable()
export class VerificationJobs implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly store: VerificationJobStore;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_DB) db: ReadDb,
    @Inject(LOGGER) private readonly logger: winston.Logger,
    private readonly runner: VerificationJobRunner,
  ) {
    this.store = new VerificationJobStore(db);
  }

  async onApplicationBootstrap(): Promise<void> {
    // READ_DB_MIGRATE=off: a runtime role that may not create tables; `npm run db:migrate` made this one.
    if (this.config.readDbMigrate) await VerificationJobStore.migrate(this.store.db);
    if (this.config.worker) this.runner.start(this.store);
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
  }

  /** Queues a job, or returns the one already queued or running; `requestId` is the asking request's, for the log. */
  async start(context: CommandContext, requestId?: string): Promise<{ started: boolean; job: VerificationJobView }> {
    const { queued, job } = await this.store.enqueue(randomUUID(), context);
    if (queued) this.logger.info('log verification queued', { context: 'audit', requestId, jobId: job.id, worker: this.config.worker });
    return { started: queued, job };
  }

  view(id: string): Promise<VerificationJobView | undefined> {
    return this.store.view(id);
  }
}
