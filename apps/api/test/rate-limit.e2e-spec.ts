import { randomInt } from 'node:crypto';
import { bootApp } from './app-boot';

/** A client address unique to this run, so counters shared through Redis never collide between runs. */
function clientIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

describe('rate limits (e2e)', () => {
  it('refuses a client IP over its limit with 429, Retry-After and RateLimit headers, while another IP still passes', async () => {
    const booted = await bootApp({ RATE_LIMIT_IP_PER_MIN: '5', TRUST_PROXY: 'true' });
    try {
      const noisy = clientIp();
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 7; i++) {
        last = await fetch(`${booted.baseUrl}/.well-known/jwks.json`, { headers: { 'x-forwarded-for': noisy } });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(last!.headers.get('ratelimit-policy')).toBe('"ip";q=5;w=60');
      expect(last!.headers.get('ratelimit')).toMatch(/^"ip";r=0;t=\d+$/);
      expect(last!.headers.get('content-type')).toContain('application/problem+json');
      const other = await fetch(`${booted.baseUrl}/.well-known/jwks.json`, { headers: { 'x-forwarded-for': clientIp() } });
      expect(other.status).toBe(200);
      // Health probes are never limited.
      expect((await fetch(`${booted.baseUrl}/health/live`, { headers: { 'x-forwarded-for': noisy } })).status).toBe(200);
    } finally {
      await booted.close();
    }
  });

  it('shares the counters of two instances through Redis', async () => {
    const env = { RATE_LIMIT_IP_PER_MIN: '4', TRUST_PROXY: 'true', REDIS_URL: 'redis://127.0.0.1:6379' };
    const first = await bootApp(env);
    const second = await bootApp(env);
    try {
      const ip = clientIp();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const target = i % 2 === 0 ? first : second;
        statuses.push((await fetch(`${target.baseUrl}/.well-known/jwks.json`, { headers: { 'x-forwarded-for': ip } })).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('can be turned off with 0', async () => {
    const booted = await bootApp({ RATE_LIMIT_IP_PER_MIN: '0' });
    try {
      const statuses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${booted.baseUrl}/.well-known/jwks.json`).then((r) => r.status)));
      expect(new Set(statuses)).toEqual(new Set([200]));
    } finally {
      await booted.close();
    }
  });

  it('limits each signed-in user separately, after authentication', async () => {
    const booted = await bootApp({ RATE_LIMIT_USER_PER_MIN: '3', RATE_LIMIT_IP_PER_MIN: '0' });
    try {
      const get = (token: string) => fetch(`${booted.baseUrl}/v1/admin/users/user_x/roles/admin`, { method: 'PUT', headers: { authorization: `Bearer ${token}` } });
      const alice = booted.token('user_alice');
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await get(alice)).status);
      // Alice is no admin: 403 while within her limit, then 429.
      expect(statuses).toEqual([403, 403, 403, 429, 429]);
      const bob = await get(booted.token('user_bob'));
      expect(bob.status).toBe(403);
      expect(bob.headers.get('ratelimit-policy')).toBe('"user";q=3;w=60');
    } finally {
      await booted.close();
    }
  });

  it('counts a user across instances through Redis (the throttler guard with the shared storage)', async () => {
    const env = { RATE_LIMIT_USER_PER_MIN: '3', RATE_LIMIT_IP_PER_MIN: '0', REDIS_URL: 'redis://127.0.0.1:6379' };
    const first = await bootApp(env);
    const second = await bootApp(env);
    try {
      const userId = `user_rl_${randomInt(1e9)}`;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const target = i % 2 === 0 ? first : second;
        const response = await fetch(`${target.baseUrl}/v1/admin/users/user_x/roles/admin`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${target.token(userId)}` },
        });
        statuses.push(response.status);
      }
      expect(statuses).toEqual([403, 403, 403, 429, 429]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
