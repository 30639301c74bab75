import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, type AppConfig } from '@ledgerline/config';
import { createApp } from '../src/app.factory';
import { loadOrCreateDevAuthKey } from '../src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../src/contexts/access/authentication/dev-token';
import { authorizedParties } from '../src/contexts/access/authentication/verifier-settings';
import { createLogger } from '../src/platform/observability/logger';

export interface BootedApp {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  dataDir: string;
  /** Every byte the app logged so far. */
  logs(): string;
  /** A dev-auth session token for `userId` (Clerk's claim shape); `mfa` gives a fresh second factor. */
  token(userId: string, options?: { mfa?: boolean }): string;
  close(): Promise<void>;
}

/** Boots the real app on a random port with a fresh embedded data dir. */
export async function bootApp(env: Record<string, string> = {}): Promise<BootedApp> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-e2e-'));
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'debug', ...env });
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  const app = await createApp(config, createLogger({ level: config.logLevel, format: 'json', stream }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    dataDir,
    baseUrl: `http://127.0.0.1:${address.port}`,
    logs: () => chunks.join(''),
    token: (userId, options = {}) =>
      mintDevToken(loadOrCreateDevAuthKey(dataDir).privateKey, {
        userId,
        azp: authorizedParties(config)[0],
        ttlSeconds: 600,
        secondFactorAgeMinutes: options.mfa ? 0 : null,
      }),
    close: async () => {
      try {
        await app.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
