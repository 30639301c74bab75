import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { LedgerlineMetrics } from './metrics.registry';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [LedgerlineMetrics],
  exports: [LedgerlineMetrics],
})
export class MetricsModule {}
