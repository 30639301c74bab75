import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { clerkJwtKeyPem } from './clerk-jwt-key';
import { loadOrCreateDevAuthKey } from './dev-auth-key';
import type { TokenVerifierSettings } from './clerk-verdict';

/** The azp dev tokens carry and dev auth accepts when CLERK_AUTHORIZED_PARTIES is unset. */
export const DEV_AUTHORIZED_PARTY = 'http://localhost:3000';

/** Authorized parties in effect: the configured list, or in dev mode the local default. */
export function authorizedParties(config: AppConfig): string[] {
  if (config.clerkAuthorizedParties.length > 0) return config.clerkAuthorizedParties;
  return config.authMode === 'dev' ? [DEV_AUTHORIZED_PARTY] : [];
}

/**
 * Clerk mode: CLERK_JWT_KEY (networkless) or CLERK_SECRET_KEY (JWKS). Dev mode: the local dev key
 * pair, generated on first start — passed as `jwtKey`, so both modes run the same verification.
 */
export function verifierSettings(config: AppConfig, logger: winston.Logger): TokenVerifierSettings {
  const parties = authorizedParties(config);
  if (config.authMode === 'dev') {
    // loadConfig already refuses dev auth in production; this is the second lock on that door.
    if (config.production) throw new Error('dev auth is refused when NODE_ENV=production');
    const devKey = loadOrCreateDevAuthKey(config.dataDir);
    logger.warn(
      `dev auth: tokens are minted locally; never use in production (key ${devKey.generated ? 'generated' : 'read'} at ${devKey.file}; mint one with \`npm run token -- --user <id>\`)`,
      { context: 'auth' },
    );
    return { key: { jwtKey: devKey.publicKeyPem }, authorizedParties: parties };
  }
  if (config.clerkJwtKey !== undefined) return { key: { jwtKey: clerkJwtKeyPem(config.clerkJwtKey) }, authorizedParties: parties };
  if (config.clerkSecretKey !== undefined) return { key: { secretKey: config.clerkSecretKey }, authorizedParties: parties };
  throw new Error('AUTH_MODE=clerk needs CLERK_JWT_KEY or CLERK_SECRET_KEY');
}
