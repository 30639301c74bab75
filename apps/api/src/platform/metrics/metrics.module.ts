import { DynamicModule, Global, Module } from '@nestjs/common';
import { LedgerlineMetrics, type MetricsThread } from './metrics.registry';

/** The thread's Prometheus metrics; the scrape route is MetricsEndpointModule's. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(thread: MetricsThread): DynamicModule {
    return {
      module: MetricsModule,
      providers: [{ provide: LedgerlineMetrics, useFactory: () => new LedgerlineMetrics(thread) }],
      exports: [LedgerlineMetrics],
    };
  }
}
