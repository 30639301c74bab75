import { Global, Module } from '@nestjs/common';
import { LedgerlineMetrics } from './metrics.registry';

/** The process's Prometheus metrics; the scrape route is MetricsEndpointModule's. */
@Global()
@Module({
  providers: [LedgerlineMetrics],
  exports: [LedgerlineMetrics],
})
export class MetricsModule {}
