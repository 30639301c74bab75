import { bootApp, type BootedApp } from '../../apps/api/test/app-boot';
import { allEvents, call, flushSecurityEvents, securityIncidents } from './support/auth-client';
import { b64url, rsaKeyPair, sessionClaims, signHs256, signRs256, unsigned, withPayload } from './support/token-forge';

const APP = 'https://app.example.test';
const ROUTE = '/v1/admin/users/user_bob/roles';
const issuer = rsaKeyPair();
const attacker = rsaKeyPair();
const big = rsaKeyPair(4096);
const now = () => Math.floor(Date.now() / 1000);
const admin = (overrides: Record<string, unknown> = {}) => sessionClaims({ sub: 'user_admin', sid: 'sess_admin1', azp: APP, fva: [0, 0], ...overrides });

/** Each attack → [description, Authorization header value, reason the security event names]. */
const ATTACKS: [string, () => string | undefined, string][] = [
  ['unsigned alg none', () => `Bearer ${unsigned(admin())}`, 'token-invalid-algorithm'],
  ['HS256 keyed with the public key PEM (alg confusion)', () => `Bearer ${signHs256(issuer.publicKeyPem, admin())}`, 'token-invalid-algorithm'],
  ['RS256 signed by another key', () => `Bearer ${signRs256(attacker.privateKey, admin())}`, 'token-invalid-signature'],
  ['RS256 signed by a 4096-bit key', () => `Bearer ${signRs256(big.privateKey, admin())}`, 'token-invalid-signature'],
  ['expired', () => `Bearer ${signRs256(issuer.privateKey, admin({ iat: now() - 600, nbf: now() - 600, exp: now() - 60 }))}`, 'token-expired'],
  ['not yet valid', () => `Bearer ${signRs256(issuer.privateKey, admin({ nbf: now() + 600 }))}`, 'token-not-active-yet'],
  ['wrong azp', () => `Bearer ${signRs256(issuer.privateKey, admin({ azp: 'https://evil.example' }))}`, 'token-invalid-authorized-parties'],
  ['missing sub', () => `Bearer ${signRs256(issuer.privateKey, admin({ sub: undefined }))}`, 'token-verification-failed'],
  ['pending session', () => `Bearer ${signRs256(issuer.privateKey, admin({ sts: 'pending' }))}`, 'session-not-active'],
  ['tampered payload', () => `Bearer ${withPayload(signRs256(issuer.privateKey, admin({ sub: 'user_bob' })), admin())}`, 'token-invalid-signature'],
  ['truncated', () => `Bearer ${signRs256(issuer.privateKey, admin()).slice(0, -12)}`, 'token-invalid-signature'],
  ['two segments only', () => `Bearer ${signRs256(issuer.privateKey, admin()).split('.').slice(0, 2).join('.')}`, 'malformed-token'],
  ['garbage', () => 'Bearer garbage', 'malformed-token'],
  ['garbage JSON segments', () => `Bearer ${b64url('null')}.${b64url('[]')}.AAAA`, 'token-invalid'],
  ['missing header', () => undefined, 'missing-token'],
  ['Basic scheme', () => `Basic ${Buffer.from('user_admin:password').toString('base64')}`, 'unsupported-scheme'],
  ['empty Bearer', () => 'Bearer ', 'missing-token'],
];

describe('token attack battery (e2e, AUTH_MODE=clerk with a local CLERK_JWT_KEY)', () => {
  let booted: BootedApp;
  let goodToken: string;
  beforeAll(async () => {
    booted = await bootApp({ AUTH_MODE: 'clerk', CLERK_JWT_KEY: issuer.publicKeyPem, CLERK_AUTHORIZED_PARTIES: APP, BOOTSTRAP_ADMINS: 'user_admin' });
    goodToken = signRs256(issuer.privateKey, admin());
  });
  afterAll(async () => {
    await booted.close();
  });

  it('accepts the genuine token (the control case)', async () => {
    const answer = await call(booted.baseUrl, 'GET', ROUTE, { token: goodToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ userId: 'user_bob', roles: ['user'] });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('answers every forged, stale or malformed credential with a bare 401 and writes no domain event', async () => {
    await flushSecurityEvents(booted.app);
    const before = await allEvents(booted.app);
    const sent: string[] = [];
    for (const [what, header] of ATTACKS) {
      const authorization = header();
      if (authorization !== undefined) sent.push(authorization);
      const answer = await call(booted.baseUrl, 'GET', ROUTE, { authorization });
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(Object.keys(answer.body ?? {}).sort()).toEqual(['errorId', 'status', 'title', 'type']);
      expect(answer.body).toMatchObject({ type: 'https://ledgerline.dev/problems/unauthorized', title: 'Unauthorized', status: 401 });
      expect(answer.text).not.toMatch(/clerk|jwt|signature|expired|azp|alg|token|stack|node_modules/i);
    }
    // The same routes with a write method: still 401 before any command runs.
    const put = await call(booted.baseUrl, 'PUT', '/v1/admin/users/user_bob/roles/admin', { authorization: `Bearer ${signRs256(attacker.privateKey, admin())}` });
    expect(put.status).toBe(401);

    await flushSecurityEvents(booted.app);
    const after = await allEvents(booted.app);
    const added = after.slice(before.length);
    expect(added.length).toBeGreaterThan(0);
    for (const event of added) {
      expect(event.stream).toMatch(/^security-\d{4}-\d{2}-\d{2}$/);
      expect(event.type).toBe('SecurityIncidentObserved');
      expect(event.metadata.actor).toEqual({ kind: 'system', id: 'security-monitor' });
    }
    expect(after.filter((event) => event.stream === 'access-roles')).toEqual(before.filter((event) => event.stream === 'access-roles'));

    const incidents = await securityIncidents(booted.app);
    const reasons = new Set(incidents.map((incident) => incident.reason));
    for (const [, , reason] of ATTACKS) expect(reasons).toContain(reason);
    for (const incident of incidents) {
      expect(incident).toMatchObject({ category: 'authentication', source: '127.0.0.0/24', routes: expect.arrayContaining([expect.stringMatching(/^(GET|PUT) \/v1\/admin/)]) });
    }
    // Neither the stored events nor the log carry any credential that was sent.
    const stored = JSON.stringify(after, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
    const logs = booted.logs();
    for (const authorization of sent) {
      const secret = authorization.replace(/^\S+\s*/, '');
      if (secret.length < 8) continue;
      expect(stored).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(logs).not.toContain(secret.split('.')[1] ?? secret);
    }
  });
});
