import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@ledgerline/config';
import { APP_CONFIG } from '../config/config.tokens';
import { Idempotency } from './idempotency';
import type { IdempotencyStore } from './idempotency.store';
import { IDEMPOTENCY_STORE } from './idempotency.tokens';
import { MemoryIdempotencyStore } from './memory-idempotency.store';
import type { RedisIdempotencyStore } from './redis-idempotency.store';

/**
 * The Redis store is loaded only when REDIS_URL is set: ioredis is 45 modules and ~2 MB of heap that
 * the embedded default never uses (and V8 lets the old generation grow to a multiple of what is live).
 */
function loadRedisIdempotencyStore(): typeof RedisIdempotencyStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (see above)
  return (require('./redis-idempotency.store') as { RedisIdempotencyStore: typeof RedisIdempotencyStore }).RedisIdempotencyStore;
}

/** Idempotency-Key for every POST route of a signed-in caller (marked `@Idempotent()`, run through `Idempotency`). */
@Global()
@Module({
  providers: [
    {
      provide: IDEMPOTENCY_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): IdempotencyStore =>
        config.redisUrl ? new (loadRedisIdempotencyStore())(config.redisUrl) : new MemoryIdempotencyStore(),
    },
    Idempotency,
  ],
  exports: [IDEMPOTENCY_STORE, Idempotency],
})
export class IdempotencyModule implements OnApplicationShutdown {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
