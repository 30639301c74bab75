import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { allEvents, call, devTokenMinter, flushSecurityEvents, securityIncidents } from '../../../test/security/support/auth-client';
import { bootApp, type BootedApp } from './app-boot';

const roles = (userId: string) => `/v1/admin/users/${userId}/roles`;

describe('admin role routes and MFA step-up (e2e, dev auth)', () => {
  let booted: BootedApp;
  let token: ReturnType<typeof devTokenMinter>;
  beforeAll(async () => {
    booted = await bootApp({ BOOTSTRAP_ADMINS: 'user_admin', BOOTSTRAP_COMPLIANCE: 'user_compliance', MFA_MAX_AGE_MINUTES: '10' });
    token = devTokenMinter(booted.dataDir);
  });
  afterAll(async () => {
    await booted.close();
  });

  it('bootstraps the configured roles as system events', async () => {
    const events = (await allEvents(booted.app)).filter((event) => event.stream === 'access-roles');
    expect(events.map((event) => event.data)).toEqual([
      { userId: 'user_admin', role: 'admin', grantedBy: { kind: 'system', id: 'bootstrap' } },
      { userId: 'user_compliance', role: 'compliance', grantedBy: { kind: 'system', id: 'bootstrap' } },
    ]);
    expect(events[0].metadata.actor).toEqual({ kind: 'system', id: 'bootstrap' });
  });

  it('asks an admin without a recent second factor to re-verify, in Clerk reverification shape', async () => {
    for (const mfaAgeMinutes of [null, 11, 60]) {
      const answer = await call(booted.baseUrl, 'GET', roles('user_bob'), { token: token('user_admin', { mfaAgeMinutes }) });
      expect(answer.status).toBe(403);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({
        type: 'https://ledgerline.dev/problems/reverification-required',
        status: 403,
        clerk_error: { type: 'forbidden', reason: 'reverification-error', metadata: { reverification: { level: 'second_factor', afterMinutes: 10 } } },
      });
    }
    const fresh = await call(booted.baseUrl, 'GET', roles('user_bob'), { token: token('user_admin', { mfaAgeMinutes: 10 }) });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toEqual({ userId: 'user_bob', roles: ['user'] });
  });

  it('refuses non-admins with 403 (not a reverification prompt), whatever their MFA', async () => {
    for (const who of ['user_bob', 'user_compliance']) {
      for (const mfaAgeMinutes of [0, null]) {
        const answer = await call(booted.baseUrl, 'PUT', `${roles('user_bob')}/admin`, { token: token(who, { mfaAgeMinutes }) });
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ type: 'https://ledgerline.dev/problems/forbidden', detail: 'this route needs the admin role' });
        expect(answer.body).not.toHaveProperty('clerk_error');
      }
    }
  });

  it('refuses a self-grant', async () => {
    const answer = await call(booted.baseUrl, 'PUT', `${roles('user_admin')}/compliance`, { token: token('user_admin') });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ type: 'https://ledgerline.dev/problems/self-grant', status: 403 });
  });

  it('validates the route parameters before any command runs', async () => {
    const admin = token('user_admin');
    const cases: [string, string, string][] = [
      ['PUT', `${roles('user%20bob')}/admin`, 'invalid-user-id'],
      ['PUT', `${roles('u'.repeat(65))}/admin`, 'invalid-user-id'],
      ['PUT', `${roles('user_bob')}/superuser`, 'invalid-role'],
      ['PUT', `${roles('user_bob')}/user`, 'invalid-role'],
      ['DELETE', `${roles('user_bob')}/__proto__`, 'invalid-role'],
      ['GET', roles('user.bob'), 'invalid-user-id'],
    ];
    for (const [method, url, type] of cases) {
      const answer = await call(booted.baseUrl, method, url, { token: admin });
      expect({ url, status: answer.status, type: answer.body?.type }).toEqual({ url, status: 400, type: `https://ledgerline.dev/problems/${type}` });
    }
  });

  it('grants through a command: the grantee acts as admin at once; a repeat grant changes nothing', async () => {
    const requestId = randomUUID();
    const before = await allEvents(booted.app);
    const granted = await call(booted.baseUrl, 'PUT', `${roles('user_carol')}/admin`, { token: token('user_admin'), headers: { 'x-request-id': requestId } });
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({ userId: 'user_carol', roles: ['user', 'admin'], position: expect.stringMatching(/^\d+$/) });
    expect(granted.headers.get('x-position')).toBe(granted.body?.position);

    const written = (await allEvents(booted.app)).slice(before.length).filter((event) => event.stream === 'access-roles');
    expect(written).toHaveLength(1);
    expect(String(written[0].position)).toBe(granted.body?.position);
    expect(written[0]).toMatchObject({ type: 'RoleGranted', data: { userId: 'user_carol', role: 'admin', grantedBy: { kind: 'user', id: 'user_admin' } } });
    expect(written[0].metadata).toMatchObject({
      actor: { kind: 'user', id: 'user_admin', session: expect.stringMatching(/^sess_/), mfa: true },
      $correlationId: requestId,
      $causationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(written[0].metadata.$causationId).not.toBe(requestId);

    const asCarol = await call(booted.baseUrl, 'PUT', `${roles('user_bob')}/compliance`, { token: token('user_carol') });
    expect(asCarol.status).toBe(200);
    expect(asCarol.body).toMatchObject({ userId: 'user_bob', roles: ['user', 'compliance'] });

    const again = await call(booted.baseUrl, 'PUT', `${roles('user_bob')}/compliance`, { token: token('user_carol') });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ userId: 'user_bob', roles: ['user', 'compliance'] });
    expect(again.headers.get('x-position')).toBeNull();
  });

  it('revokes with 204 and a position; a revoked admin loses the role on the next request', async () => {
    const revoked = await call(booted.baseUrl, 'DELETE', `${roles('user_carol')}/admin`, { token: token('user_admin') });
    expect(revoked.status).toBe(204);
    expect(revoked.text).toBe('');
    expect(revoked.headers.get('x-position')).toMatch(/^\d+$/);
    const carol = await call(booted.baseUrl, 'GET', roles('user_bob'), { token: token('user_carol') });
    expect(carol.status).toBe(403);
    const noop = await call(booted.baseUrl, 'DELETE', `${roles('user_carol')}/admin`, { token: token('user_admin') });
    expect(noop.status).toBe(204);
    expect(noop.headers.get('x-position')).toBeNull();
  });

  it('never removes the last admin', async () => {
    const answer = await call(booted.baseUrl, 'DELETE', `${roles('user_admin')}/admin`, { token: token('user_admin') });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ type: 'https://ledgerline.dev/problems/last-admin', title: 'Conflict' });
    expect((await call(booted.baseUrl, 'GET', roles('user_admin'), { token: token('user_admin') })).body).toEqual({ userId: 'user_admin', roles: ['user', 'admin'] });
  });

  it('serialises concurrent grants on the one access stream without losing any', async () => {
    const admin = token('user_admin');
    const users = Array.from({ length: 12 }, (_, i) => `user_c${i}`);
    const answers = await Promise.all(users.map((user) => call(booted.baseUrl, 'PUT', `${roles(user)}/compliance`, { token: admin })));
    expect(answers.map((answer) => answer.status)).toEqual(users.map(() => 200));
    for (const user of users) {
      expect((await call(booted.baseUrl, 'GET', roles(user), { token: admin })).body).toEqual({ userId: user, roles: ['user', 'compliance'] });
    }
  });

  it('records MFA refusals and access denials as security events, never as access events', async () => {
    await flushSecurityEvents(booted.app);
    const incidents = await securityIncidents(booted.app);
    const byReason = new Map(incidents.map((incident) => [incident.reason, incident]));
    expect(byReason.get('mfa-required')).toMatchObject({ category: 'mfa', users: ['user_admin'] });
    expect(byReason.get('missing-role')).toMatchObject({ category: 'authorization', users: expect.arrayContaining(['user_bob', 'user_compliance', 'user_carol']) });
    const access = (await allEvents(booted.app)).filter((event) => event.stream === 'access-roles');
    expect(access.every((event) => event.type === 'RoleGranted' || event.type === 'RoleRevoked')).toBe(true);
  });
});

describe('restarts (e2e)', () => {
  it('grants bootstrap roles once, and flushes pending security incidents at shutdown', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-bootstrap-'));
    try {
      const env = { DATA_DIR: dataDir, BOOTSTRAP_ADMINS: 'user_a,user_b', BOOTSTRAP_COMPLIANCE: 'user_c' };
      const first = await bootApp(env);
      const count = (await allEvents(first.app)).filter((event) => event.stream === 'access-roles').length;
      // Recorded just before shutdown: the final flush must still reach the store before it closes.
      expect((await call(first.baseUrl, 'GET', roles('user_a'), { authorization: 'Bearer garbage' })).status).toBe(401);
      await first.close();
      const second = await bootApp({ ...env, BOOTSTRAP_COMPLIANCE: 'user_c,user_d' });
      const stored = await allEvents(second.app);
      const events = stored.filter((event) => event.stream === 'access-roles');
      await second.close();
      expect(stored.filter((event) => event.stream.startsWith('security-')).map((event) => event.data)).toEqual([
        expect.objectContaining({ reason: 'malformed-token', count: 1, routes: ['GET /v1/admin/users/:userId/roles'] }),
      ]);
      expect(count).toBe(3);
      expect(events).toHaveLength(4);
      expect(events[3].data).toEqual({ userId: 'user_d', role: 'compliance', grantedBy: { kind: 'system', id: 'bootstrap' } });
      expect(second.logs()).toContain('bootstrap roles: 1 granted, 3 already held');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
