import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@ledgerline/config';
import { sessionFromClaims } from '../../../apps/api/src/contexts/access/authentication/session-claims';
import { TokenVerifier } from '../../../apps/api/src/contexts/access/authentication/token-verifier';
import { verifierSettings } from '../../../apps/api/src/contexts/access/authentication/verifier-settings';
import { createLogger } from '../../../apps/api/src/platform/observability/logger';
import { benchClerkKey, benchUserId, sessionTokens } from '../../../bench/http/clerk-tokens';
import { AUTHORIZED_PARTY } from '../../../bench/http/targets';

const segment = (token: string, i: number) => JSON.parse(Buffer.from(token.split('.')[i], 'base64url').toString('utf8')) as Record<string, unknown>;

describe('bench/http session tokens', () => {
  const key = benchClerkKey();
  const now = Date.now();
  const tokens = sessionTokens(key.privateKey, 3, now);

  it('are RS256 JWTs in the Clerk session shape, one user each, valid for an hour', () => {
    expect(new Set(tokens).size).toBe(3);
    const header = segment(tokens[1], 0);
    expect(header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(typeof header.kid).toBe('string');
    const claims = segment(tokens[1], 1);
    const iat = Math.floor(now / 1000);
    expect(claims).toMatchObject({ sub: benchUserId(1), azp: AUTHORIZED_PARTY, sts: 'active', fva: [0, -1], iat, exp: iat + 3600 });
    expect(claims.nbf).toBeLessThanOrEqual(iat);
    expect(sessionFromClaims(claims, now)).toEqual({ userId: benchUserId(1), sessionId: claims.sid, secondFactorAgeMinutes: null });
  });

  it("are accepted by the API's own verifier configured from the environment the bench gives it", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-bench-tokens-'));
    try {
      const config = loadConfig({ DATA_DIR: dataDir, AUTH_MODE: 'clerk', CLERK_JWT_KEY: key.publicKeyPem, CLERK_AUTHORIZED_PARTIES: AUTHORIZED_PARTY });
      const verifier = new TokenVerifier(verifierSettings(config, createLogger({ level: 'error', format: 'json' })));
      await expect(verifier.verify(tokens[2])).resolves.toMatchObject({ userId: benchUserId(2), secondFactorAgeMinutes: null });
      const otherKey = benchClerkKey();
      await expect(verifier.verify(sessionTokens(otherKey.privateKey, 1)[0])).rejects.toThrow();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
