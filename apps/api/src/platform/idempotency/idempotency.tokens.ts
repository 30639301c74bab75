/** The IdempotencyStore (memory, or Redis with REDIS_URL). */
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');
