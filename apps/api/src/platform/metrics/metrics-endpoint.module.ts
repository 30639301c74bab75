import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** The /metrics scrape route; apart from MetricsModule so the worker thread gets the registry without routes. */
@Module({ controllers: [MetricsController] })
export class MetricsEndpointModule {}
