import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { AuthFailureBlockList } from './auth-failure-block-list';
import { registerIpRateLimit } from './ip-rate-limit.hook';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimiter } from './rate-limiter';

describe('per-IP limits (Fastify hook)', () => {
  let app: FastifyInstance;
  let rejected: string[];

  beforeEach(async () => {
    rejected = [];
    // The Fastify instance Nest serves with (its own dependency), bare: only the hook under test.
    app = new FastifyAdapter().getInstance() as unknown as FastifyInstance;
    registerIpRateLimit(app, {
      limiter: new RateLimiter(new MemoryRateLimitStore()),
      perMinute: 3,
      blockList: new AuthFailureBlockList(),
      onRejected: (_request, policy) => rejected.push(policy.name),
    });
    app.get('/ok', async () => ({ ok: true }));
    app.get('/denied', async (_request, reply) => reply.code(401).send({}));
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
  });

  const from = (remoteAddress: string, url = '/ok') => app.inject({ method: 'GET', url, remoteAddress });

  it('counts every address of one IPv6 /64 against one budget', async () => {
    const statuses = [];
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:aaaa::3', '2001:db8:1:2:ffff:ffff:ffff:ffff']) {
      statuses.push((await from(address)).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(rejected).toEqual(['ip']);
    // The next /64 is another client.
    expect((await from('2001:db8:1:3::1')).statusCode).toBe(200);
  });

  it('counts IPv4 addresses one by one', async () => {
    for (let i = 1; i <= 4; i++) expect((await from(`203.0.113.${i}`)).statusCode).toBe(200);
  });
});
