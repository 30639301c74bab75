import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AppConfig } from '@ledgerline/config';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG } from '../config/config.tokens';
import { LedgerlineMetrics } from '../metrics/metrics.registry';
import { SecurityEventsModule } from '../security-events/security-events.module';
import { SecurityEvents, routeOf } from '../security-events/security-events.service';
import { registerIpRateLimit } from './ip-rate-limit.hook';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import { RateLimiter } from './rate-limiter';
import { RATE_LIMITER } from './rate-limit.tokens';
import { UserRateLimit } from './user-rate-limit';

/**
 * Rate limits on every route (SPEC §7.5): per client IP before authentication, per user right after
 * it (UserRateLimit, called by the AccessGuard), shared through Redis when REDIS_URL is set.
 */
@Global()
@Module({
  imports: [SecurityEventsModule],
  providers: [
    {
      provide: RATE_LIMITER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new RateLimiter(config.redisUrl !== undefined ? new RedisRateLimitStore(config.redisUrl) : new MemoryRateLimitStore()),
    },
    UserRateLimit,
  ],
  exports: [RATE_LIMITER, UserRateLimit],
})
export class RateLimitModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: LedgerlineMetrics,
    private readonly security: SecurityEvents,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    registerIpRateLimit(fastify, {
      limiter: this.limiter,
      perMinute: this.config.rateLimitIpPerMin,
      onRejected: (request, policy) => {
        this.metrics.rateLimitRejections.inc({ limit: policy.name });
        this.security.record({ category: 'rate-limit', reason: `rate-limited-${policy.name}`, ip: request.ip, route: routeOf(request) });
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }
}
