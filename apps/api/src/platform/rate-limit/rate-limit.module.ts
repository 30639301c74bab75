import { Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { getStorageToken, ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AppConfig } from '@ledgerline/config';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG } from '../config/config.tokens';
import { LedgerlineMetrics } from '../metrics/metrics.registry';
import { SecurityEventsModule } from '../security-events/security-events.module';
import { SecurityEvents } from '../security-events/security-events.service';
import { registerIpRateLimit } from './ip-rate-limit.hook';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import type { RedisRateLimitStore } from './redis-rate-limit.store';
import { RateLimiter } from './rate-limiter';
import { USER_THROTTLER } from './rate-limit.policy';
import type { RateLimitStore } from './rate-limit.store';
import { RATE_LIMITER } from './rate-limit.tokens';
import { UserRateLimit } from './user-rate-limit';

const MINUTE = 60_000;

/** Loaded only when REDIS_URL is set (ioredis: 45 modules the embedded default never uses; see idempotency.module). */
function loadRedisRateLimitStore(): typeof RedisRateLimitStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (see above)
  return (require('./redis-rate-limit.store') as { RedisRateLimitStore: typeof RedisRateLimitStore }).RedisRateLimitStore;
}

/** @nestjs/throttler's options: one `user` throttler, counted in Redis when REDIS_URL is set. */
function throttlerOptions(config: AppConfig): ThrottlerModuleOptions {
  const storage: RateLimitStore = config.redisUrl !== undefined ? new (loadRedisRateLimitStore())(config.redisUrl) : new MemoryRateLimitStore();
  return { throttlers: [{ name: USER_THROTTLER, limit: config.rateLimitUserPerMin, ttl: MINUTE }], storage };
}

/**
 * Rate limits on every route (SPEC §7.5): per client IP before authentication (a Fastify hook, so
 * it also covers unknown routes and runs before the body is read), per user right after it
 * (UserRateLimit, @nestjs/throttler's guard, called by the AccessGuard); both count in the
 * throttler's storage, shared through Redis when REDIS_URL is set.
 */
@Global()
@Module({
  imports: [SecurityEventsModule, ThrottlerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: throttlerOptions })],
  providers: [
    {
      provide: RATE_LIMITER,
      inject: [getStorageToken()],
      useFactory: (storage: RateLimitStore) => new RateLimiter(storage),
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
        this.security.recordRequest(request, 'rate-limit', `rate-limited-${policy.name}`);
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.limiter.close();
  }
}
