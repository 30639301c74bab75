import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { ConsoleModule } from './console/console.module';
import { AccessModule } from './contexts/access/access.module';
import { AccessGuard } from './contexts/access/authorization/access.guard';
import { AccountsModule } from './contexts/accounts/accounts.module';
import { AuditModule } from './contexts/audit/audit.module';
import { CheckpointsModule } from './contexts/audit/checkpoints/checkpoints.module';
import { TilesModule } from './contexts/audit/tiles/tiles.module';
import { BillingModule } from './contexts/billing/billing.module';
import { ConfigModule } from './platform/config/config.module';
import { CryptoModule } from './platform/crypto/crypto.module';
import { DocumentsModule } from './contexts/documents/documents.module';
import { ErrorsModule } from './platform/errors/errors.module';
import { GuardsInOrder } from './platform/http/guards-in-order';
import { EventStoreModule } from './platform/event-store/event-store.module';
import { HealthModule } from './platform/health/health.module';
import { IdempotencyModule } from './platform/idempotency/idempotency.module';
import { LeadershipModule } from './platform/leadership/leadership.module';
import { JwksModule } from './platform/ledger/jwks.module';
import { LedgerModule } from './platform/ledger/ledger.module';
import { MetricsEndpointModule } from './platform/metrics/metrics-endpoint.module';
import { MetricsModule } from './platform/metrics/metrics.module';
import { NotaryModule } from './platform/notary/notary.module';
import { ApiContractModule } from './platform/openapi/api-contract.module';
import { ConsistentAfterGuard } from './platform/projections/consistent-after.guard';
import { ProjectionsModule } from './platform/projections/projections.module';
import { RateLimitModule } from './platform/rate-limit/rate-limit.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: winston.Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config, logger),
        ErrorsModule,
        MetricsModule.forRoot('main'),
        MetricsEndpointModule,
        EventStoreModule,
        LedgerModule,
        JwksModule,
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
        TilesModule,
        AuditModule,
        ConsoleModule,
        ApiContractModule.forRoot(config),
      ],
      providers: [
        // HTTP only, so here rather than in ProjectionsModule, which the worker role shares.
        ConsistentAfterGuard,
        // The one global guard: the caller is authenticated and authorized first, and only then may a
        // read make the server wait for the read models.
        {
          provide: APP_GUARD,
          inject: [AccessGuard, ConsistentAfterGuard],
          useFactory: (access: AccessGuard, consistency: ConsistentAfterGuard) => new GuardsInOrder(access, consistency),
        },
      ],
    };
  }
}
