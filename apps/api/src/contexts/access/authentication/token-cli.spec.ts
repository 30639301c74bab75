import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '@ledgerline/config';
import { loadOrCreateDevAuthKey } from './dev-auth-key';
import { parseTokenCliArgs, runTokenCli, UsageError } from './token-cli';
import { TokenVerifier } from './token-verifier';

const claimsOf = (token: string): Record<string, unknown> => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;

describe('token CLI', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-token-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('parses flags', () => {
    expect(parseTokenCliArgs(['--user', 'user_admin'])).toEqual({ userId: 'user_admin', secondFactorAgeMinutes: null, ttlSeconds: 3600 });
    expect(parseTokenCliArgs(['--user', 'u1', '--mfa', '--ttl', '15m', '--azp', 'https://app.example:8443', '--org', 'org_1'])).toEqual({
      userId: 'u1',
      secondFactorAgeMinutes: 0,
      ttlSeconds: 900,
      azp: 'https://app.example:8443',
      org: 'org_1',
    });
    expect(parseTokenCliArgs(['--user', 'u1', '--mfa-age', '30', '--ttl', '90']).secondFactorAgeMinutes).toBe(30);
  });

  it.each([
    [[]],
    [['--user']],
    [['--user', 'has space']],
    [['--user', 'u', '--ttl', '2d']],
    [['--user', 'u', '--ttl', '25h']],
    [['--user', 'u', '--ttl', '0']],
    [['--user', 'u', '--azp', 'https://app.example/path']],
    [['--user', 'u', '--mfa-age', '-1']],
    [['--user', 'u', '--admin']],
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseTokenCliArgs(argv)).toThrow(UsageError);
  });

  it('mints with the dev key under DATA_DIR a token the dev verifier accepts, default azp http://localhost:3000', async () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    const token = runTokenCli(['--user', 'user_admin', '--mfa'], config);
    expect(claimsOf(token)).toMatchObject({ v: 2, sub: 'user_admin', azp: 'http://localhost:3000', fva: [0, 0], sts: 'active' });
    const { publicKeyPem } = loadOrCreateDevAuthKey(dataDir);
    const verifier = new TokenVerifier({ key: { jwtKey: publicKeyPem }, authorizedParties: ['http://localhost:3000'] });
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user_admin', secondFactorAgeMinutes: 0 });
  });

  it('uses the first configured authorized party and the requested lifetime', () => {
    const config = loadConfig({ DATA_DIR: dataDir, CLERK_AUTHORIZED_PARTIES: 'https://a.example,https://b.example' });
    const claims = claimsOf(runTokenCli(['--user', 'u', '--ttl', '2m'], config, Date.parse('2026-11-28T00:00:00Z')));
    expect(claims.azp).toBe('https://a.example');
    expect((claims.exp as number) - (claims.iat as number)).toBe(120);
    expect(claims.fva).toEqual([0, -1]);
  });

  it('refuses to mint when AUTH_MODE is clerk', () => {
    const config = loadConfig({ DATA_DIR: dataDir, AUTH_MODE: 'clerk', CLERK_SECRET_KEY: 'sk_test_x' });
    expect(() => runTokenCli(['--user', 'u'], config)).toThrow(/AUTH_MODE=dev/);
  });

  it('cannot be configured in production with dev auth', () => {
    expect(() => loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', AUTH_MODE: 'dev' })).toThrow(/AUTH_MODE/);
  });
});
