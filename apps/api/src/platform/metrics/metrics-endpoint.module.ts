import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsExposition } from './metrics-exposition';

/** The /metrics scrape route; apart from MetricsModule so the worker thread gets the registry without routes. */
@Module({ controllers: [MetricsController], providers: [MetricsExposition] })
export class MetricsEndpointModule {}
