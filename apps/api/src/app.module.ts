import { DynamicModule, Module } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { AccessModule } from './access/access.module';
import { AccountsModule } from './accounts/accounts.module';
import { AuditModule } from './audit/audit.module';
import { CheckpointsModule } from './audit/checkpoints/checkpoints.module';
import { BillingModule } from './billing/billing.module';
import { ConfigModule } from './config/config.module';
import { CryptoModule } from './crypto/crypto.module';
import { DocumentsModule } from './documents/documents.module';
import { ErrorsModule } from './errors/errors.module';
import { EventStoreModule } from './event-store/event-store.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { LeadershipModule } from './leadership/leadership.module';
import { LedgerModule } from './ledger/ledger.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotaryModule } from './notary/notary.module';
import { ApiContractModule } from './openapi/api-contract.module';
import { ProjectionsModule } from './projections/projections.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: winston.Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        ErrorsModule,
        MetricsModule,
        EventStoreModule,
        LedgerModule,
        HealthModule,
        AccessModule,
        RateLimitModule,
        ProjectionsModule,
        NotaryModule,
        LeadershipModule,
        CryptoModule,
        // Provides PLAN_DIRECTORY (accounts and documents read plans through it) from the billing read model.
        BillingModule,
        AccountsModule,
        DocumentsModule,
        IdempotencyModule,
        CheckpointsModule,
        AuditModule,
        ApiContractModule.forRoot(config),
      ],
    };
  }
}
