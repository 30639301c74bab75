import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rsaKeyPair, sessionClaims, signHs256, signRs256, unsigned, withPayload } from '../../../../../../test/security/support/token-forge';
import { AuthenticationFailure, AuthenticationUnavailable } from './authentication.errors';
import { loadOrCreateDevAuthKey } from './dev-auth-key';
import { mintDevToken } from './dev-token';
import { clerkVerdict, type TokenVerifierSettings } from './clerk-verdict';
import { TokenVerifier } from './token-verifier';

const APP = 'https://app.example.test';
const issuer = rsaKeyPair();
const attacker = rsaKeyPair();
const verifier = new TokenVerifier({ key: { jwtKey: issuer.publicKeyPem }, authorizedParties: [APP] });
const now = () => Math.floor(Date.now() / 1000);

async function reasonOf(token: string, v = verifier): Promise<string> {
  try {
    await v.verify(token);
  } catch (error) {
    if (error instanceof AuthenticationFailure || error instanceof AuthenticationUnavailable) return `${error.name}:${error.reason}`;
    throw error;
  }
  return 'accepted';
}

describe('TokenVerifier', () => {
  it('accepts a well-formed RS256 session token and returns its session', async () => {
    const token = signRs256(issuer.privateKey, sessionClaims({ fva: [3, 1] }));
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'user_alice', sessionId: 'sess_alice1', secondFactorAgeMinutes: 1 });
  });

  it('reuses a verified token without weakening any check: a tampered copy is refused, MFA age follows the clock', async () => {
    let clock = Date.now();
    const timed = new TokenVerifier({ key: { jwtKey: issuer.publicKeyPem }, authorizedParties: [APP] }, () => clock);
    const token = signRs256(issuer.privateKey, sessionClaims({ fva: [3, 1] }));
    await expect(timed.verify(token)).resolves.toMatchObject({ secondFactorAgeMinutes: 1 });
    clock += 2 * 60_000;
    // Served from the cache, yet the step-up age is computed for now.
    await expect(timed.verify(token)).resolves.toMatchObject({ userId: 'user_alice', secondFactorAgeMinutes: 3 });
    expect(await reasonOf(withPayload(token, sessionClaims({ sub: 'user_admin' })), timed)).toBe('AuthenticationFailure:token-invalid-signature');
    expect(await reasonOf(token.slice(0, -4), timed)).toMatch(/^AuthenticationFailure:token-invalid/);
  });

  it('tolerates 5 s of clock skew but no more', async () => {
    expect(await reasonOf(signRs256(issuer.privateKey, sessionClaims({ exp: now() - 2 })))).toBe('accepted');
    expect(await reasonOf(signRs256(issuer.privateKey, sessionClaims({ nbf: now() + 2 })))).toBe('accepted');
    expect(await reasonOf(signRs256(issuer.privateKey, sessionClaims({ exp: now() - 30 })))).toBe('AuthenticationFailure:token-expired');
    expect(await reasonOf(signRs256(issuer.privateKey, sessionClaims({ nbf: now() + 30 })))).toBe('AuthenticationFailure:token-not-active-yet');
  });

  it.each<[string, () => string, string]>([
    ['alg none', () => unsigned(sessionClaims()), 'token-invalid-algorithm'],
    ['HS256 keyed with the public key PEM', () => signHs256(issuer.publicKeyPem, sessionClaims()), 'token-invalid-algorithm'],
    ['RS256 by another key', () => signRs256(attacker.privateKey, sessionClaims()), 'token-invalid-signature'],
    ['RS256 by a 4096-bit key', () => signRs256(rsaKeyPair(4096).privateKey, sessionClaims()), 'token-invalid-signature'],
    ['a tampered payload', () => withPayload(signRs256(issuer.privateKey, sessionClaims()), sessionClaims({ sub: 'user_admin' })), 'token-invalid-signature'],
    ['a truncated signature', () => signRs256(issuer.privateKey, sessionClaims()).slice(0, -10), 'token-invalid-signature'],
    ['RS512 header over an RS256 key', () => signRs256(issuer.privateKey, sessionClaims(), { alg: 'RS512' }), 'token-verification-failed'],
    ['a wrong typ', () => signRs256(issuer.privateKey, sessionClaims(), { typ: 'at+jwt' }), 'token-invalid'],
    ['a wrong azp', () => signRs256(issuer.privateKey, sessionClaims({ azp: 'https://evil.example' })), 'token-invalid-authorized-parties'],
    ['no azp', () => signRs256(issuer.privateKey, sessionClaims({ azp: undefined })), 'token-invalid-authorized-parties'],
    ['no exp', () => signRs256(issuer.privateKey, sessionClaims({ exp: undefined })), 'token-verification-failed'],
    ['iat in the future', () => signRs256(issuer.privateKey, sessionClaims({ iat: now() + 120 })), 'token-iat-in-the-future'],
    ['no sub', () => signRs256(issuer.privateKey, sessionClaims({ sub: undefined })), 'token-verification-failed'],
    ['an empty sub', () => signRs256(issuer.privateKey, sessionClaims({ sub: '' })), 'invalid-subject'],
    ['no sid', () => signRs256(issuer.privateKey, sessionClaims({ sid: undefined })), 'invalid-session-id'],
    ['a pending session', () => signRs256(issuer.privateKey, sessionClaims({ sts: 'pending' })), 'session-not-active'],
    ['garbage', () => 'not-a-token', 'token-invalid'],
    ['garbage segments', () => '%%%.***.$$$', 'token-invalid'],
    ['a null header', () => `${Buffer.from('null').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.AAAA`, 'token-invalid'],
    ['an array payload', () => `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('[1]').toString('base64url')}.AAAA`, 'token-invalid'],
  ])('refuses %s', async (_what, token, reason) => {
    expect(await reasonOf(token())).toBe(`AuthenticationFailure:${reason}`);
  });

  it('checks no azp when no authorized parties are configured', async () => {
    const open = new TokenVerifier({ key: { jwtKey: issuer.publicKeyPem }, authorizedParties: [] });
    expect(await reasonOf(signRs256(issuer.privateKey, sessionClaims({ azp: 'https://anything.example' })), open)).toBe('accepted');
  });

  it('reports an unreachable JWKS as unavailable, not as a bad token', async () => {
    const remote = new TokenVerifier({ key: { secretKey: 'sk_test_unreachable', apiUrl: 'http://127.0.0.1:9' }, authorizedParties: [] });
    const token = signRs256(issuer.privateKey, sessionClaims(), { kid: 'ins_unknown' });
    const started = Date.now();
    const reason = await reasonOf(token, remote);
    expect(reason).toBe('AuthenticationUnavailable:jwks-unreachable');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  describe("with Clerk's verification on another thread", () => {
    // The other thread's side: Clerk's own verdict, as the worker thread gives it (clerkVerdict).
    const worker = (settingsSeen: unknown[]) => async (token: string, settings: TokenVerifierSettings) => {
      settingsSeen.push(settings);
      return clerkVerdict(token, settings);
    };

    it("decides as on its own thread: the other thread is asked once per new token, with this verifier's settings", async () => {
      const seen: unknown[] = [];
      const settings = { key: { jwtKey: issuer.publicKeyPem }, authorizedParties: [APP] };
      const offloaded = new TokenVerifier(settings);
      offloaded.verifyOnAnotherThread(worker(seen));
      const token = signRs256(issuer.privateKey, sessionClaims({ fva: [3, 1] }));
      await expect(offloaded.verify(token)).resolves.toEqual({ userId: 'user_alice', sessionId: 'sess_alice1', secondFactorAgeMinutes: 1 });
      await offloaded.verify(token);
      expect(seen).toEqual([settings]);
      expect(await reasonOf(signRs256(attacker.privateKey, sessionClaims()), offloaded)).toBe('AuthenticationFailure:token-invalid-signature');
      expect(await reasonOf(signRs256(issuer.privateKey, sessionClaims({ exp: now() - 60 })), offloaded)).toBe('AuthenticationFailure:token-expired');
      // Claims Clerk accepts still pass the checks Clerk leaves to us.
      expect(await reasonOf(signRs256(issuer.privateKey, sessionClaims({ sts: 'pending' })), offloaded)).toBe(await reasonOf(signRs256(issuer.privateKey, sessionClaims({ sts: 'pending' }))));
      // Four tokens went to the other thread; a malformed one never leaves this thread.
      expect(await reasonOf('not-a-jwt', offloaded)).toBe('AuthenticationFailure:token-invalid');
      expect(seen).toHaveLength(4);
    });

    it('maps the other thread\'s "cannot check" to unavailable, and verifies here when that thread gives no verdict', async () => {
      const unavailable = new TokenVerifier({ key: { jwtKey: issuer.publicKeyPem }, authorizedParties: [APP] });
      unavailable.verifyOnAnotherThread(async () => ({ unavailable: 'jwk-local-missing' }));
      expect(await reasonOf(signRs256(issuer.privateKey, sessionClaims()), unavailable)).toBe('AuthenticationUnavailable:jwk-local-missing');

      const silent = new TokenVerifier({ key: { jwtKey: issuer.publicKeyPem }, authorizedParties: [APP] });
      silent.verifyOnAnotherThread(async () => undefined);
      expect(await reasonOf(signRs256(issuer.privateKey, sessionClaims()), silent)).toBe('accepted');
      expect(await reasonOf(signRs256(attacker.privateKey, sessionClaims()), silent)).toBe('AuthenticationFailure:token-invalid-signature');
    });
  });

  describe('dev auth', () => {
    let dataDir: string;
    beforeAll(() => {
      dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-devauth-'));
    });
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    it('creates one 0600 key and verifies its tokens through the same Clerk path', async () => {
      const first = loadOrCreateDevAuthKey(dataDir);
      const again = loadOrCreateDevAuthKey(dataDir);
      expect(first.generated).toBe(true);
      expect(again.generated).toBe(false);
      expect(again.publicKeyPem).toBe(first.publicKeyPem);
      expect(statSync(first.file).mode & 0o777).toBe(0o600);
      const dev = new TokenVerifier({ key: { jwtKey: first.publicKeyPem }, authorizedParties: ['http://localhost:3000'] });
      const token = mintDevToken(first.privateKey, { userId: 'user_dev', azp: 'http://localhost:3000', ttlSeconds: 60, secondFactorAgeMinutes: 0 });
      const [, payload] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      expect(Object.keys(claims).sort()).toEqual(['azp', 'exp', 'fva', 'iat', 'iss', 'nbf', 'sid', 'sts', 'sub', 'v']);
      expect(claims).toMatchObject({ v: 2, sub: 'user_dev', azp: 'http://localhost:3000', fva: [0, 0], sts: 'active' });
      expect(claims.sid).toMatch(/^sess_[A-Za-z0-9]+$/);
      await expect(dev.verify(token)).resolves.toMatchObject({ userId: 'user_dev', secondFactorAgeMinutes: 0 });
      const noMfa = mintDevToken(first.privateKey, { userId: 'user_dev', azp: 'http://localhost:3000', ttlSeconds: 60, secondFactorAgeMinutes: null });
      await expect(dev.verify(noMfa)).resolves.toMatchObject({ secondFactorAgeMinutes: null });
      expect(await reasonOf(mintDevToken(attacker.privateKey, { userId: 'user_dev', azp: 'http://localhost:3000', ttlSeconds: 60, secondFactorAgeMinutes: 0 }), dev)).toBe(
        'AuthenticationFailure:token-invalid-signature',
      );
    });
  });
});
