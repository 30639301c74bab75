import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
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
 * `Idempotency-Key` on POST routes (SPEC §7.3), per signed-in caller: the handler of every `@Idempotent()`
 * route runs its work through `run`. The first request runs and its successful response is kept for
 * 24 h; a retry with the same body gets that response back, marked `Idempotent-Replayed: true`, with no
 * second effect. A retry that arrives while the first is still running is answered 409 with Retry-After
 * at once rather than held open: the client retries and then gets the stored response. The same key with
 * another body is 422. A request that fails (4xx or 5xx: nothing was appended) or whose response cannot
 * be stored (a stream) frees the key, so a retry runs again.
 *
 * A call in the handler rather than a Nest interceptor: Nest runs a route with an interceptor through
 * rxjs on every request, key or not; without it the request thread took 5–30 % less per create in 6 of 8
 * same-minute pairs (docs/benchmarks.md).
 */
@Injectable()
export class Idempotency {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  /** `work`'s result, or the stored response of the first request with the same key (only POST handlers call this). */
  run<T>(request: FastifyRequest, reply: FastifyReply, work: () => Promise<T>): Promise<T> {
    const header = request.headers['idempotency-key'];
    if (header === undefined || request.principal === undefined) return work();
    return this.runOnce(request, reply, header, request.principal.userId, work);
  }

  private async runOnce<T>(request: FastifyRequest, reply: FastifyReply, header: string | string[], owner: string, work: () => Promise<T>): Promise<T> {
    const key = typeof header === 'string' ? header : undefined;
    if (key === undefined || key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
      throw new ProblemException(problem(400, { detail: `Idempotency-Key must be 1-${IDEMPOTENCY_KEY_MAX_LENGTH} visible ASCII characters` }));
    }
    const recordKey = idempotencyRecordKey(owner, key);
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const outcome = await this.store.begin(owner, recordKey, fingerprint, IDEMPOTENCY_LEASE_MS);
    switch (outcome.kind) {
      case 'mismatch':
        throw new ProblemException(problem(422, { type: 'idempotency-key-reused', detail: 'this Idempotency-Key was used with a different request' }));
      case 'in-progress':
        void reply.header('retry-after', '1');
        throw new ProblemException(
          problem(409, { type: 'idempotency-key-in-use', detail: 'a request with this Idempotency-Key is still being processed; retry shortly' }),
        );
      case 'replay':
        return replay(outcome.response, reply) as T;
      case 'started':
        return this.runClaimed(work, reply, { owner, key: recordKey, lease: outcome.lease }, fingerprint);
    }
  }

  private async runClaimed<T>(work: () => Promise<T>, reply: FastifyReply, claim: { owner: string; key: string; lease: string }, fingerprint: string): Promise<T> {
    const { owner, key, lease } = claim;
    let result: T;
    try {
      result = await work();
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
}

/** Only successes are stored, and a route answers success with one status, which Nest sets again. */
function replay(response: StoredResponse, reply: FastifyReply): unknown {
  void reply.header('idempotent-replayed', 'true');
  for (const [name, value] of Object.entries(response.headers)) void reply.header(name, value);
  return JSON.parse(response.body) as unknown;
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
