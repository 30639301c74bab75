import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { VerificationJobsModule } from './contexts/audit/verifications/verification-jobs.module';
import { ConfigModule } from './platform/config/config.module';
import { ErrorsModule } from './platform/errors/errors.module';
import { EventStoreModule } from './platform/event-store/event-store.module';
import { LeadershipModule } from './platform/leadership/leadership.module';
import { LedgerModule } from './platform/ledger/ledger.module';
import { MetricsModule } from './platform/metrics/metrics.module';
import { NotaryModule } from './platform/notary/notary.module';
import { ProjectionsModule } from './platform/projections/projections.module';

/**
 * The worker role alone, for the worker thread of `npm start` (worker-thread.ts): projections, the
 * notary (checkpoints, witnesses, tamper alarm) under the WorkerRole's leadership, and the runner of
 * whole-log verification jobs. No routes, no HTTP adapter, no OpenAPI: the API thread serves those,
 * and this thread costs only what folding the log needs. `npm run worker` listens for its health
 * and metrics, so it keeps the full AppModule.
 */
@Module({})
export class WorkerRoleModule {
  static forRoot(config: AppConfig, logger: winston.Logger): DynamicModule {
    return {
      module: WorkerRoleModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        // EventStoreModule registers the store's error mapper with the (unused here) problem filter.
        ErrorsModule,
        MetricsModule.forRoot('worker'),
        EventStoreModule,
        LedgerModule,
        ProjectionsModule,
        NotaryModule,
        LeadershipModule,
        VerificationJobsModule,
      ],
    };
  }
}
