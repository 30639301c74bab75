import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { idempotencyStoreContract } from './idempotency-store.contract';
import { RedisIdempotencyStore } from './redis-idempotency.store';

const REDIS_URL = 'redis://127.0.0.1:6379';
// One prefix per run, so parallel runs and leftovers of earlier ones never meet.
const prefix = `ledgerline-test:idempotency:${randomUUID()}:`;

idempotencyStoreContract('RedisIdempotencyStore (real Redis)', async (options) => new RedisIdempotencyStore(REDIS_URL, { prefix, ...options }), randomUUID);

describe('RedisIdempotencyStore across instances', () => {
  afterAll(async () => {
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('lets exactly one of two instances claim a key and shows the other its response', async () => {
    const a = new RedisIdempotencyStore(REDIS_URL, { prefix });
    const b = new RedisIdempotencyStore(REDIS_URL, { prefix });
    try {
      const key = randomUUID();
      const [first, second] = await Promise.all([a.begin('u', key, 'fp', 10_000), b.begin('u', key, 'fp', 10_000)]);
      const kinds = [first.kind, second.kind].sort();
      expect(kinds).toEqual(['in-progress', 'started']);
      const [winner, claim] = first.kind === 'started' ? [a, first] : [b, second];
      if (claim.kind !== 'started') throw new Error('expected started');
      await winner.complete('u', key, claim.lease, 'fp', { headers: {}, body: '{"ok":true}' }, 60_000);
      expect(await (winner === a ? b : a).begin('u', key, 'fp', 10_000)).toEqual({ kind: 'replay', response: { headers: {}, body: '{"ok":true}' } });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
