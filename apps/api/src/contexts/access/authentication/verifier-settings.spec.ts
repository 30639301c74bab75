import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { ConfigError, loadConfig, type AppConfig } from '@ledgerline/config';
import { rsaKeyPair } from '../../../../../../test/security/support/token-forge';
import { createLogger } from '../../../platform/observability/logger';
import { loadOrCreateDevAuthKey } from './dev-auth-key';
import { verifierSettings } from './verifier-settings';

function capturingLogger() {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return { logger: createLogger({ level: 'debug', format: 'json', stream }), output: () => out };
}

describe('verifierSettings', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-verifier-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('dev mode: the generated dev public key as jwtKey, localhost azp, and a loud warning', async () => {
    const { logger, output } = capturingLogger();
    const settings = verifierSettings(loadConfig({ DATA_DIR: dataDir }), logger);
    expect(settings).toEqual({ key: { jwtKey: loadOrCreateDevAuthKey(dataDir).publicKeyPem }, authorizedParties: ['http://localhost:3000'] });
    await new Promise((resolve) => setImmediate(resolve));
    expect(output()).toContain('dev auth: tokens are minted locally; never use in production');
    expect(output()).toContain('"level":"warn"');
  });

  it('dev mode honours CLERK_AUTHORIZED_PARTIES', () => {
    const { logger } = capturingLogger();
    expect(verifierSettings(loadConfig({ DATA_DIR: dataDir, CLERK_AUTHORIZED_PARTIES: 'https://a.example' }), logger).authorizedParties).toEqual(['https://a.example']);
  });

  it('clerk mode: CLERK_JWT_KEY normalised, or CLERK_SECRET_KEY for JWKS; azp only when configured', () => {
    const { logger, output } = capturingLogger();
    const { publicKeyPem } = rsaKeyPair();
    const withPem = verifierSettings(loadConfig({ DATA_DIR: dataDir, AUTH_MODE: 'clerk', CLERK_JWT_KEY: publicKeyPem.replace(/\n/g, '\\n') }), logger);
    expect(withPem).toEqual({ key: { jwtKey: publicKeyPem }, authorizedParties: [] });
    const withSecret = verifierSettings(
      loadConfig({ DATA_DIR: dataDir, AUTH_MODE: 'clerk', CLERK_SECRET_KEY: 'sk_test_abc', CLERK_AUTHORIZED_PARTIES: 'https://app.example' }),
      logger,
    );
    expect(withSecret).toEqual({ key: { secretKey: 'sk_test_abc' }, authorizedParties: ['https://app.example'] });
    expect(output()).not.toContain('dev auth');
  });

  it('refuses a CLERK_JWT_KEY Clerk cannot use, naming the variable', () => {
    const { logger } = capturingLogger();
    const config = loadConfig({ DATA_DIR: dataDir, AUTH_MODE: 'clerk', CLERK_JWT_KEY: rsaKeyPair(3072).publicKeyPem });
    expect(() => verifierSettings(config, logger)).toThrow(ConfigError);
    expect(() => verifierSettings(config, logger)).toThrow(/^CLERK_JWT_KEY: must be an RSA-2048/);
  });

  it('never runs dev auth in production, even if a config object claims it', () => {
    const { logger } = capturingLogger();
    const forged: AppConfig = { ...loadConfig({ DATA_DIR: dataDir }), production: true, nodeEnv: 'production' };
    expect(() => verifierSettings(forged, logger)).toThrow(/production/);
  });
});
