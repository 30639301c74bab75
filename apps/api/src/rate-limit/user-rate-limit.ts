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
import { SecurityEvents, routeOf } from '../security-events/security-events.service';
import { RATE_LIMIT_METADATA, USER_THROTTLER, type RateLimitPolicy } from './rate-limit.policy';
import { decisionOf } from './rate-limiter';

/** The signed-in user a request is counted for, set by check() just before the throttler runs. */
const usersOf = new WeakMap<object, string>();

/**
 * Per-user limit: @nestjs/throttler's guard with the user as tracker, run by the AccessGuard right
 * after authentication and before authorization (so requests that will be refused count too).
 * Public routes have no user: the per-IP limit covers them. Limits and windows come from the
 * throttler's options (RATE_LIMIT_USER_PER_MIN) and per-route @RateLimit (@Throttle) metadata; the
 * answer carries IETF RateLimit headers and a 429 problem, not the throttler's X-RateLimit ones.
 */
@Injectable()
export class UserRateLimit extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  /** One budget per policy and user across routes (the throttler's default is one per handler). */
  protected override generateKey(context: ExecutionContext, tracker: string): string {
    return `${this.policyOf(context, 0, 0).name}:${tracker}`;
  }

  protected override async handleRequest({ context, limit, ttl, throttler, blockDuration, getTracker, generateKey }: ThrottlerRequest): Promise<boolean> {
    if (limit === 0) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const tracker = await getTracker(request, context);
    const record = await this.storageService.increment(generateKey(context, tracker, throttler.name ?? USER_THROTTLER), ttl, limit, blockDuration, throttler.name ?? USER_THROTTLER);
    const policy = this.policyOf(context, limit, ttl);
    const decision = decisionOf(policy, record.totalHits, record.timeToExpire);
    void reply.headers(decision.headers);
    if (!record.isBlocked) return true;
    this.metrics.rateLimitRejections.inc({ limit: policy.name });
    this.security.record({ category: 'rate-limit', reason: `rate-limited-${policy.name}`, ip: request.ip, route: routeOf(request), userId: tracker });
    void reply.header('retry-after', String(Math.max(1, record.timeToBlockExpire)));
    throw new ProblemException(problem(429, { type: 'rate-limited', detail: 'too many requests; retry after the indicated time' }));
  }

  /** The route's @RateLimit policy, or the general per-user one with the throttler's limit and window. */
  private policyOf(context: ExecutionContext, limit: number, windowMs: number): RateLimitPolicy {
    const routePolicy = this.reflector.getAllAndOverride<RateLimitPolicy | undefined>(RATE_LIMIT_METADATA, [context.getHandler(), context.getClass()]);
    return routePolicy ?? { name: USER_THROTTLER, limit, windowMs };
  }
}
