import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { AppConfig } from '@ledgerline/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG } from '../config/config.tokens';
import { problem, ProblemException } from '../errors/problem';
import { LedgerlineMetrics } from '../metrics/metrics.registry';
import { SecurityEvents } from '../security-events/security-events.service';
import { RATE_LIMIT_METADATA, USER_THROTTLER, type RateLimitPolicy } from './rate-limit.policy';
import { RATE_LIMITER } from './rate-limit.tokens';
import type { RateLimiter } from './rate-limiter';

/** The signed-in user a request is counted for, set by check() just before the throttler runs. */
const usersOf = new WeakMap<object, string>();

/**
 * Per-user limit: @nestjs/throttler's guard with the user as tracker, run by the AccessGuard right
 * after authentication and before authorization (so requests that will be refused count too).
 * Public routes have no user: the per-IP limit covers them. Limits and windows come from the
 * throttler's options (RATE_LIMIT_USER_PER_MIN) and per-route @RateLimit (@Throttle) metadata; the
 * count goes through the RateLimiter (the throttler storage, one budget per policy and user across
 * routes), and the answer carries IETF RateLimit headers and a 429 problem, not X-RateLimit ones.
 */
@Injectable()
export class UserRateLimit extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(RATE_LIMITER) private readonly limiter: RateLimiter,
    private readonly metrics: LedgerlineMetrics,
    private readonly security: SecurityEvents,
  ) {
    super(options, storage, reflector);
  }

  /** Throws a 429 problem when the user is over the route's limit. */
  async check(context: ExecutionContext, userId: string): Promise<void> {
    // RATE_LIMIT_USER_PER_MIN=0 turns every per-user limit off, the tighter per-route ones too (benchmarks).
    if (this.config.rateLimitUserPerMin === 0) return;
    usersOf.set(context.switchToHttp().getRequest<FastifyRequest>(), userId);
    await this.canActivate(context);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const userId = usersOf.get(request);
    if (userId === undefined) throw new Error('per-user rate limit without an authenticated user');
    return userId;
  }

  protected override async handleRequest({ context, limit, ttl, getTracker }: ThrottlerRequest): Promise<boolean> {
    if (limit === 0) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const userId = await getTracker(request, context);
    // The throttler resolved limit and ttl (options, or the route's @Throttle); @RateLimit names the budget.
    const routePolicy = this.reflector.getAllAndOverride<RateLimitPolicy | undefined>(RATE_LIMIT_METADATA, [context.getHandler(), context.getClass()]);
    const policy: RateLimitPolicy = { name: routePolicy?.name ?? USER_THROTTLER, limit, windowMs: ttl };
    const decision = await this.limiter.check(userId, policy);
    void reply.headers(decision.headers);
    if (decision.allowed) return true;
    this.metrics.rateLimitRejections.inc({ limit: policy.name });
    this.security.recordRequest(request, 'rate-limit', `rate-limited-${policy.name}`, userId);
    void reply.header('retry-after', String(decision.retryAfterSeconds));
    throw new ProblemException(problem(429, { type: 'rate-limited', detail: 'too many requests; retry after the indicated time' }));
  }
}
