import path from 'node:path';
import type { KeyObject } from 'node:crypto';
import { createPrivateKey } from 'node:crypto';
import type { AppConfig } from '@ledgerline/config';
import { Keyring, loadOrCreateKeyFile, readJwksFile } from '@ledgerline/integrity';
import type winston from 'winston';

/** Reads a configured key file, or (dev only: production config requires the variable) generates one under DATA_DIR/keys. */
function keyPem(configured: string | undefined, config: AppConfig, devName: string, logger: winston.Logger): string {
  const file = configured ?? path.resolve(config.dataDir, 'keys', devName);
  const { pem, generated } = loadOrCreateKeyFile(file);
  if (generated || configured === undefined) {
    logger.warn(`DEV KEY in use: ${devName} was generated under ${path.dirname(file)}; never use generated keys in production`, {
      context: 'keys',
    });
  }
  return pem;
}

/** The event-signing keyring: SIGNING_KEY_FILE (+ RETIRED_KEYS_FILE), or a generated dev key. */
export async function loadEventKeyring(config: AppConfig, logger: winston.Logger): Promise<Keyring> {
  const pem = keyPem(config.signingKeyFile, config, 'signing-key.pem', logger);
  return Keyring.create({ signingKey: pem, retired: config.retiredKeysFile ? readJwksFile(config.retiredKeysFile) : undefined });
}

/** The checkpoint (signed note) key: CHECKPOINT_KEY_FILE, or a generated dev key. */
export function loadCheckpointKey(config: AppConfig, logger: winston.Logger): KeyObject {
  return createPrivateKey(keyPem(config.checkpointKeyFile, config, 'checkpoint-key.pem', logger));
}
