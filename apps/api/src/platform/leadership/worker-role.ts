import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import type { CheckpointNotary } from '@ledgerline/ledger';
import type { ProjectionSet } from '@ledgerline/projections';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from '../config/config.tokens';
import { CHECKPOINT_NOTARY } from '../notary/notary.tokens';
import { PROJECTION_SET } from '../projections/projections.tokens';
import type { LeadershipCallbacks, PostgresLeaderElection } from './leader-election';

/** Loaded only with PostgreSQL read models: its driver (pg) is never needed by the embedded default. */
function loadLeaderElection(): typeof PostgresLeaderElection {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (see above)
  return (require('./leader-election') as { PostgresLeaderElection: typeof PostgresLeaderElection }).PostgresLeaderElection;
}

/**
 * The worker's singleton work — projections and the notary — under leadership. With PostgreSQL
 * read models (scale-out) one worker leads at a time by advisory lock; the embedded default is one
 * process, which leads at once.
 */
@Injectable()
export class WorkerRole implements OnApplicationBootstrap, OnModuleDestroy {
  private election: PostgresLeaderElection | undefined;
  private readonly work: LeadershipCallbacks;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: winston.Logger,
    @Inject(PROJECTION_SET) private readonly projections: ProjectionSet | null,
    @Inject(CHECKPOINT_NOTARY) private readonly notary: CheckpointNotary | null,
  ) {
    this.work = {
      elected: async () => {
        await this.projections?.start();
        this.notary?.start();
      },
      deposed: async () => {
        await this.notary?.stop();
        await this.projections?.stop();
      },
    };
  }

  /** Resolves once this instance leads (embedded) or has made its first election attempt (PostgreSQL). */
  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.worker) return;
    const url = this.config.readDbUrl;
    if (url !== undefined && /^postgres(ql)?:/.test(url)) {
      this.election = new (loadLeaderElection())(url, this.work, this.logger);
      await this.election.start();
      return;
    }
    await this.work.elected();
  }

  isLeader(): boolean {
    return this.config.worker && (this.election === undefined || this.election.isLeader());
  }

  /** Stops the singleton work before the store closes (which happens in onApplicationShutdown). */
  async onModuleDestroy(): Promise<void> {
    if (!this.config.worker) return;
    if (this.election) await this.election.stop();
    else await this.work.deposed();
  }
}
