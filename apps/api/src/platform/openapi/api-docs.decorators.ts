import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';

const PROBLEMS: Record<number, string> = {
  400: 'invalid request (problem+json naming the members that failed)',
  401: 'no valid session token',
  403: 'not allowed (role, compliance separation of duties, quota, read-only share, or a second factor needed)',
  404: 'not found, or not visible to the caller',
  409: 'a request with the same Idempotency-Key is still running (Retry-After)',
  410: 'the data subject has been erased',
  412: 'If-Match names a stale revision, or another writer got there first',
  422: 'the Idempotency-Key was used with a different request',
  503: 'the read models did not reach X-Consistent-After within 5 s (Retry-After)',
};

/** Documents the problem+json answers a route may give. */
export function ApiProblems(...statuses: (keyof typeof PROBLEMS)[]): MethodDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: `application/problem+json: ${PROBLEMS[status]}` })));
}

/** Reads of read models accept X-Consistent-After. */
export function ApiConsistentAfter(): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'X-Consistent-After', required: false, description: 'a `position` from a command answer: wait (≤ 5 s) until the read models include it' }),
    ApiProblems(503),
  );
}

/** POST routes honour Idempotency-Key. */
export function ApiIdempotencyKey(): MethodDecorator {
  return applyDecorators(
    ApiHeader({ name: 'Idempotency-Key', required: false, description: '≤ 255 visible ASCII characters; a retry within 24 h returns the first answer' }),
    ApiProblems(409, 422),
  );
}

/** PATCH/DELETE of a document honour If-Match. */
export function ApiIfMatch(): MethodDecorator {
  return applyDecorators(ApiHeader({ name: 'If-Match', required: false, description: 'the ETag `"<revision>"` the change is based on' }), ApiProblems(412));
}
