import type { AppConfig } from '@ledgerline/config';
import { loadOrCreateDevAuthKey } from './dev-auth-key';
import { mintDevToken } from './dev-token';
import { USER_ID_PATTERN } from './session-claims';
import { authorizedParties } from './verifier-settings';

export const TOKEN_CLI_USAGE = `usage: npm run token -- --user <id> [--mfa | --mfa-age <minutes>] [--ttl <n>[s|m|h]] [--azp <origin>] [--org <id>]
  Prints a dev session token (Clerk v2 claims) signed with DATA_DIR/keys/dev-auth.pem.
  --mfa            second factor verified just now (fva [0, 0]); without it fva is [0, -1]
  --mfa-age <m>    second factor verified <m> minutes ago
  --ttl            lifetime, default 1h, at most 24h
  --azp            authorized party, default the first of CLERK_AUTHORIZED_PARTIES or http://localhost:3000`;

/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface TokenCliOptions {
  userId: string;
  secondFactorAgeMinutes: number | null;
  ttlSeconds: number;
  azp?: string;
  org?: string;
}

const MAX_TTL_SECONDS = 24 * 3600;

export function parseTokenCliArgs(argv: string[]): TokenCliOptions {
  let userId: string | undefined;
  let secondFactorAgeMinutes: number | null = null;
  let ttlSeconds = 3600;
  let azp: string | undefined;
  let org: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--user':
        userId = value();
        break;
      case '--mfa':
        secondFactorAgeMinutes = 0;
        break;
      case '--mfa-age':
        secondFactorAgeMinutes = wholeNumber(flag, value());
        break;
      case '--ttl':
        ttlSeconds = duration(value());
        break;
      case '--azp':
        azp = origin(value());
        break;
      case '--org':
        org = value();
        if (!USER_ID_PATTERN.test(org)) throw new UsageError('--org must be 1-64 letters, digits, _ or -');
        break;
      default:
        throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
    }
  }
  if (userId === undefined) throw new UsageError('--user is required');
  if (!USER_ID_PATTERN.test(userId)) throw new UsageError('--user must be 1-64 letters, digits, _ or - (e.g. user_admin)');
  return { userId, secondFactorAgeMinutes, ttlSeconds, azp, org };
}

/** Mints the token for `argv` with the configured dev key; refuses unless AUTH_MODE=dev. */
export function runTokenCli(argv: string[], config: AppConfig, now = Date.now()): string {
  const options = parseTokenCliArgs(argv);
  if (config.authMode !== 'dev') throw new UsageError('the token CLI mints dev tokens only; set AUTH_MODE=dev (never in production)');
  const { privateKey } = loadOrCreateDevAuthKey(config.dataDir);
  return mintDevToken(privateKey, {
    userId: options.userId,
    azp: options.azp ?? authorizedParties(config)[0],
    ttlSeconds: options.ttlSeconds,
    secondFactorAgeMinutes: options.secondFactorAgeMinutes,
    org: options.org,
    now,
  });
}

function wholeNumber(flag: string, text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError(`${flag} must be a whole number of minutes`);
  return Number(text);
}

function duration(text: string): number {
  const match = /^(\d{1,6})(s|m|h)?$/.exec(text);
  if (match === null) throw new UsageError('--ttl must look like 90s, 15m or 1h');
  const unit = match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1;
  const seconds = Number(match[1]) * unit;
  if (seconds < 1 || seconds > MAX_TTL_SECONDS) throw new UsageError('--ttl must be between 1s and 24h');
  return seconds;
}

function origin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('--azp must be an origin such as http://localhost:3000');
  }
  if (url.origin !== text.replace(/\/$/, '')) throw new UsageError('--azp must be an origin (scheme, host, port), not a path');
  return url.origin;
}
