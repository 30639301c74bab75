import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AppConfig } from '@ledgerline/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../config/config.tokens';
import { problem, ProblemException } from '../errors/problem';
import { LedgerlineMetrics } from '../metrics/metrics.registry';
import { SecurityEvents, routeOf } from '../security-events/security-events.service';
import { RATE_LIMIT_METADATA, type RateLimitPolicy } from './rate-limit.policy';
import { RATE_LIMITER } from './rate-limit.tokens';
import type { RateLimiter } from './rate-limiter';

const MINUTE = 60_000;

/**
 * Per-user limit. The AccessGuard calls it right after authentication and before authorization, so
 * requests that will be refused count too. Public routes have no user: the per-IP limit covers them.
 */
@Injectable()
export class UserRateLimit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
    private readonly metrics: LedgerlineMetrics,
    private readonly security: SecurityEvents,
  ) {}

  /** Throws a 429 problem when the user is over the route's limit. */
  async check(context: ExecutionContext, userId: string): Promise<void> {
    // RATE_LIMIT_USER_PER_MIN=0 turns every per-user limit off, the tighter per-route ones too (benchmarks).
    if (this.config.rateLimitUserPerMin === 0) return;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const policy = this.reflector.getAllAndOverride<RateLimitPolicy | undefined>(RATE_LIMIT_METADATA, [context.getHandler(), context.getClass()]) ?? {
      name: 'user',
      limit: this.config.rateLimitUserPerMin,
      windowMs: MINUTE,
    };
    if (policy.limit === 0) return;
    const decision = await this.limiter.check(userId, policy);
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.headers(decision.headers);
    if (decision.allowed) return;
    this.metrics.rateLimitRejections.inc({ limit: policy.name });
    this.security.record({ category: 'rate-limit', reason: `rate-limited-${policy.name}`, ip: request.ip, route: routeOf(request), userId });
    void reply.header('retry-after', String(decision.retryAfterSeconds));
    throw new ProblemException(problem(429, { type: 'rate-limited', detail: 'too many requests; retry after the indicated time' }));
  }
}
