import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rateLimitSubject } from '../security-events/client-source';
import { AuthFailureBlockList } from './auth-failure-block-list';
import type { RateLimitPolicy } from './rate-limit.policy';
import { sendTooManyRequests } from './rate-limit.problem';
import type { RateLimiter } from './rate-limiter';

const MINUTE = 60_000;
/** Probes must keep answering under a flood, or the orchestrator would kill a healthy instance. */
const EXEMPT = /^\/health\/(live|ready)(\?|$)/;
/** Stripe retries in bursts from a few addresses; the webhook has its own signature check. */
const WEBHOOK = /^\/webhooks\//;
/** Failed authentications per client IP before its requests are refused for the rest of the window. */
const AUTH_FAILURES_PER_MINUTE = 60;

export interface IpRateLimitOptions {
  limiter: RateLimiter;
  perMinute: number;
  onRejected(request: FastifyRequest, policy: RateLimitPolicy): void;
  /** Sources blocked after too many failed authentications (a bounded LRU by default). */
  blockList?: AuthFailureBlockList;
}

/**
 * The per-IP limit, before authentication and before the body is read (Fastify onRequest), plus a
 * tighter limit on failed authentications per IP, counted when a 401 goes out. IPv6 clients are
 * counted per /64 (rateLimitSubject).
 */
export function registerIpRateLimit(fastify: FastifyInstance, options: IpRateLimitOptions): void {
  if (options.perMinute === 0) return;
  const general: RateLimitPolicy = { name: 'ip', limit: options.perMinute, windowMs: MINUTE };
  const webhook: RateLimitPolicy = { name: 'webhook-ip', limit: options.perMinute * 10, windowMs: MINUTE };
  const authFailures: RateLimitPolicy = { name: 'auth-failures-ip', limit: AUTH_FAILURES_PER_MINUTE, windowMs: MINUTE };
  const blockList = options.blockList ?? new AuthFailureBlockList();

  fastify.addHook('onRequest', async (request, reply) => {
    if (EXEMPT.test(request.url)) return;
    const subject = rateLimitSubject(request.ip);
    const left = blockList.remainingMs(subject);
    if (left > 0) {
      options.onRejected(request, authFailures);
      sendTooManyRequests(reply, { allowed: false, headers: {}, retryAfterSeconds: Math.ceil(left / 1000) });
      return reply;
    }
    const policy = WEBHOOK.test(request.url) ? webhook : general;
    const decision = await options.limiter.check(subject, policy);
    if (decision.allowed) return;
    options.onRejected(request, policy);
    sendTooManyRequests(reply, decision);
    return reply;
  });

  fastify.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401) return;
    const subject = rateLimitSubject(request.ip);
    const decision = await options.limiter.check(subject, authFailures);
    if (!decision.allowed) blockList.block(subject, decision.retryAfterSeconds * 1000);
  });
}
