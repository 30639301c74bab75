import type { FastifyReply } from 'fastify';
import { problem } from '../errors/problem';
import { sendProblem } from '../errors/problem-details.filter';
import type { RateLimitDecision } from './rate-limiter';

/** 429 with Retry-After and the RateLimit headers (SPEC §7.5). */
export function sendTooManyRequests(reply: FastifyReply, decision: RateLimitDecision): void {
  void reply.headers(decision.headers).header('retry-after', String(decision.retryAfterSeconds));
  sendProblem(reply, problem(429, { type: 'rate-limited', detail: 'too many requests; retry after the indicated time' }));
}
