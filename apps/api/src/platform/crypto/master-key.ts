import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '@ledgerline/config';
import { loadOrCreateMasterKey, MasterKeyError } from '@ledgerline/crypto';
import type winston from 'winston';

/**
 * The master key that wraps every data key: MASTER_KEY_FILE, or (dev only; production config
 * requires the variable) a key generated under DATA_DIR/keys with a loud warning. A configured
 * file is never created: a fresh key there would silently orphan every wrapped data key.
 */
export function loadMasterKey(config: AppConfig, logger: winston.Logger): Buffer {
  if (config.masterKeyFile !== undefined) {
    if (!existsSync(config.masterKeyFile)) throw new MasterKeyError(config.masterKeyFile, 'does not exist');
    return loadOrCreateMasterKey(config.masterKeyFile).key;
  }
  const file = path.resolve(config.dataDir, 'keys', 'master.key');
  const { key, generated } = loadOrCreateMasterKey(file);
  logger.warn(
    `DEV KEY in use: the master key ${generated ? 'was generated' : 'is read'} under ${path.dirname(file)}; set MASTER_KEY_FILE, never use generated keys in production`,
    { context: 'keys' },
  );
  return key;
}
