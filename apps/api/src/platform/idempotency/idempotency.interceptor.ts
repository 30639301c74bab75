import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, StreamableFile } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { problem, ProblemException } from '../errors/problem';
import type { IdempotencyStore, StoredResponse } from './idempotency.store';
import { IDEMPOTENCY_STORE } from './idempotency.tokens';
import { idempotencyRecordKey, requestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** How long a key and its response are kept (SPEC §7.3). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** A claim outlives the request timeout (30 s): a crashed request frees its key after this. */
export const IDEMPOTENCY_LEASE_MS = 60_000;
const REPLAYED_HEADERS = ['location', 'etag'];

/**
 * `Idempotency-Key` on POST routes (SPEC §7.3), per signed-in caller. The first request runs and its
 * successful response is kept for 24 h; a retry with the same body gets that
 * response back, marked `Idempotent-Replayed: true`, with no second effect. A retry that arrives
 * while the first is still running is answered 409 with Retry-After at once rather than held open:
 * the client retries and then gets the stored response. The same key with another body is 422.
 * A request that fails (4xx or 5xx: nothing was appended) or whose response cannot be stored (a
 * stream) frees the key, so a retry runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || header === undefined || request.principal === undefined) return next.handle();
    const key = typeof header === 'string' ? header : undefined;
    if (key === undefined || key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
      throw new ProblemException(
        problem(400, { detail: `Idempotency-Key must be 1-${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters` }),
      );
    }
    const owner = request.principal.userId;
    const recordKey = idempotencyRecordKey(owner, key);
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const outcome = await this.store.begin(owner, recordKey, fingerprint, IDEMPOTENCY_LEASE_MS);
    switch (outcome.kind) {
      case 'mismatch':
        throw new ProblemException(
          problem(422, { type: 'idempotency-key-reused', detail: 'this Idempotency-Key was used with a different request' }),
        );
      case 'in-progress':
        void reply.header('retry-after', '1');
        throw new ProblemException(
          problem(409, { type: 'idempotency-key-in-use', detail: 'a request with this Idempotency-Key is still being processed; retry shortly' }),
        );
      case 'replay':
        return from([this.replay(outcome.response, reply)]);
      case 'started':
        return from(this.runOnce(next, reply, { owner, key: recordKey, lease: outcome.lease }, fingerprint));
    }
  }

  private async runOnce(
    next: CallHandler,
    reply: FastifyReply,
    claim: { owner: string; key: string; lease: string },
    fingerprint: string,
  ): Promise<unknown> {
    const { owner, key, lease } = claim;
    let result: unknown;
    try {
      result = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      // A refused or failed command appended nothing (appends are atomic), so a retry may run again.
      await this.store.release(owner, key, lease);
      throw error;
    }
    if (reply.sent || result instanceof StreamableFile || isStream(result)) {
      await this.store.release(owner, key, lease);
      return result;
    }
    await this.store.complete(owner, key, lease, fingerprint, { headers: kept(reply), body: JSON.stringify(result ?? null) }, IDEMPOTENCY_TTL_MS);
    return result;
  }

  /** Only successes are stored, and a route answers success with one status, which Nest sets again. */
  private replay(response: StoredResponse, reply: FastifyReply): unknown {
    void reply.header('idempotent-replayed', 'true');
    for (const [name, value] of Object.entries(response.headers)) void reply.header(name, value);
    return JSON.parse(response.body) as unknown;
  }
}

function kept(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

function isStream(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { pipe?: unknown }).pipe === 'function';
}
