import { Controller, Get, Header, Headers, Inject, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AppConfig } from '@ledgerline/config';
import { Access } from '../../contexts/access/authorization/access.decorator';
import { APP_CONFIG } from '../config/config.tokens';
import { ProjectionProgress } from '../projections/projection-progress';
import { MetricsExposition } from './metrics-exposition';
import { LedgerlineMetrics } from './metrics.registry';

function sameSecret(given: string, expected: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Prometheus scrape endpoint: off without METRICS_TOKEN, and then only for that bearer token. */
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: LedgerlineMetrics,
    private readonly progress: ProjectionProgress,
    private readonly exposition: MetricsExposition,
  ) {}

  @Get()
  @Access({ public: true })
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(@Headers('authorization') authorization: string | undefined): Promise<string> {
    const token = this.config.metricsToken;
    if (token === undefined) throw new NotFoundException();
    const given = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (given === undefined || !sameSecret(given, token)) throw new UnauthorizedException();
    // Lag is read at scrape time, from the same report /health/ready gives.
    for (const readModel of await this.progress.report()) {
      this.metrics.projectionLag.set({ projection: readModel.name }, Number(readModel.lag));
    }
    // Only now, past the token check, is the worker thread asked for anything.
    return this.exposition.render();
  }
}
