import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config.errors';
import type { AppConfig, AuthMode, LogFormat, WitnessConfig, WitnessCrashPoint } from './config.schema';

type Env = Record<string, string | undefined>;

/** Variables that may instead be given as `<NAME>_FILE` (Docker/Kubernetes secrets), so no secret sits in the environment. */
export const FILE_BACKED_VARIABLES = [
  'EVENTSTORE_URL',
  'READ_DB_URL',
  'REDIS_URL',
  'CLERK_JWT_KEY',
  'CLERK_SECRET_KEY',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'METRICS_TOKEN',
  // Public vkeys, but generated with the deployment's keys: a mounted file saves copying them by hand.
  'WITNESS_KEYS',
] as const;

function withFileSecrets(env: Env, readFile: (path: string) => string): Env {
  const out: Env = { ...env };
  for (const name of FILE_BACKED_VARIABLES) {
    const file = env[`${name}_FILE`]?.trim();
    if (!file) continue;
    if (env[name]?.trim()) throw new ConfigError(`${name}_FILE`, `set either ${name} or ${name}_FILE, not both`);
    try {
      out[name] = readFile(file).trim();
    } catch {
      throw new ConfigError(`${name}_FILE`, 'cannot be read');
    }
  }
  return out;
}

const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, 'must be a whole number');
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}`);
  return value;
}

function list(env: Env, name: string, fallback: string[] = []): string[] {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = text(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  }
  return raw;
}

/** WITNESS_URLS and WITNESS_KEYS go together, one key per URL; WITNESS_QUORUM (1..n) is required with them, so the policy is always explicit. */
function witnesses(env: Env): Pick<AppConfig, 'witnessUrls' | 'witnessKeys' | 'witnessQuorum'> {
  const witnessUrls = list(env, 'WITNESS_URLS');
  const witnessKeys = list(env, 'WITNESS_KEYS');
  if (witnessUrls.length !== witnessKeys.length) throw new ConfigError('WITNESS_KEYS', `must name one vkey per WITNESS_URLS entry (${witnessUrls.length} URLs, ${witnessKeys.length} keys)`);
  witnessUrls.forEach((item, i) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(item);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || !['http:', 'https:'].includes(parsed.protocol)) throw new ConfigError('WITNESS_URLS', `entry ${i + 1} is not an http(s) URL`);
  });
  if (witnessUrls.length === 0) {
    if (text(env, 'WITNESS_QUORUM') !== undefined) throw new ConfigError('WITNESS_QUORUM', 'needs WITNESS_URLS and WITNESS_KEYS');
    return { witnessUrls, witnessKeys, witnessQuorum: 0 };
  }
  if (text(env, 'WITNESS_QUORUM') === undefined) throw new ConfigError('WITNESS_QUORUM', 'is required with WITNESS_URLS (how many cosignatures a published checkpoint needs)');
  return { witnessUrls, witnessKeys, witnessQuorum: integer(env, 'WITNESS_QUORUM', 0, 1, witnessUrls.length) };
}

function plans(env: Env): Record<string, string> {
  const raw = text(env, 'STRIPE_PLANS');
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('STRIPE_PLANS', 'must be a JSON object mapping price id to plan name');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('STRIPE_PLANS', 'must be a JSON object mapping price id to plan name');
  }
  for (const plan of Object.values(parsed)) {
    if (typeof plan !== 'string' || plan === '' || plan === 'free') {
      throw new ConfigError('STRIPE_PLANS', 'every plan must be a non-empty name other than "free"');
    }
  }
  return parsed as Record<string, string>;
}

function trustProxy(env: Env): boolean | string {
  const raw = text(env, 'TRUST_PROXY');
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  return raw;
}

/** Production refuses dev auth, generated keys and missing required secrets, naming the variable. */
function assertProductionReady(config: AppConfig): void {
  if (!config.production) return;
  if (config.authMode === 'dev') throw new ConfigError('AUTH_MODE', 'dev auth is refused when NODE_ENV=production');
  const required: [string, unknown][] = [
    ['SIGNING_KEY_FILE', config.signingKeyFile],
    ['CHECKPOINT_KEY_FILE', config.checkpointKeyFile],
    ['MASTER_KEY_FILE', config.masterKeyFile],
    ['CLERK_JWT_KEY or CLERK_SECRET_KEY', config.clerkJwtKey ?? config.clerkSecretKey],
    ['STRIPE_SECRET_KEY', config.stripeSecretKey],
    ['STRIPE_WEBHOOK_SECRET', config.stripeWebhookSecret],
  ];
  for (const [name, value] of required) {
    if (value === undefined) throw new ConfigError(name, 'is required when NODE_ENV=production (keys are never generated in production)');
  }
  if (config.clerkAuthorizedParties.length === 0) {
    throw new ConfigError('CLERK_AUTHORIZED_PARTIES', 'is required when NODE_ENV=production');
  }
}

/** A Clerk publishable key (`pk_test_…`/`pk_live_…`) is the base64 of its Frontend API host and a `$`. */
function clerkFrontendApi(env: Env): string | undefined {
  const key = text(env, 'CLERK_PUBLISHABLE_KEY');
  if (key === undefined) return undefined;
  const match = /^pk_(test|live)_([A-Za-z0-9+/]+={0,2})$/.exec(key);
  const host = match ? Buffer.from(match[2], 'base64').toString('utf8') : '';
  if (!/^[a-z0-9.-]+\.[a-z]{2,}\$$/i.test(host)) throw new ConfigError('CLERK_PUBLISHABLE_KEY', 'is not a Clerk publishable key (pk_test_… or pk_live_…)');
  return host.slice(0, -1);
}

/** Parses and validates the environment. The only place in Ledgerline that reads process.env. */
export function loadConfig(rawEnv: Env = process.env, readFile = (file: string) => readFileSync(file, 'utf8')): AppConfig {
  const env = withFileSecrets(rawEnv, readFile);
  const nodeEnv = text(env, 'NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  const authMode = oneOf<AuthMode>(env, 'AUTH_MODE', ['clerk', 'dev'], production ? 'clerk' : 'dev');
  const config: AppConfig = {
    nodeEnv,
    production,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: text(env, 'HOST') ?? '127.0.0.1',
    dataDir: text(env, 'DATA_DIR') ?? './data',
    eventStoreUrl: url(env, 'EVENTSTORE_URL', ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:', 'sqlite:']),
    // KurrentDB's own bounds for MaxAppendSize: 1 MiB by default, at most 16 MiB (ClusterVNodeOptions.cs).
    eventStoreMaxAppendBytes: integer(env, 'EVENTSTORE_MAX_APPEND_BYTES', 1_048_576, 1024, 16 * 1024 * 1024),
    readDbUrl: url(env, 'READ_DB_URL', ['postgres:', 'postgresql:', 'sqlite:']),
    readDbMigrate: oneOf(env, 'READ_DB_MIGRATE', ['on', 'off'], 'on') === 'on',
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    authMode,
    clerkJwtKey: text(env, 'CLERK_JWT_KEY'),
    clerkSecretKey: text(env, 'CLERK_SECRET_KEY'),
    clerkAuthorizedParties: list(env, 'CLERK_AUTHORIZED_PARTIES'),
    clerkPublishableKey: text(env, 'CLERK_PUBLISHABLE_KEY'),
    clerkFrontendApi: clerkFrontendApi(env),
    stripeSecretKey: text(env, 'STRIPE_SECRET_KEY'),
    stripeWebhookSecret: text(env, 'STRIPE_WEBHOOK_SECRET'),
    stripeApiUrl: url(env, 'STRIPE_API_URL', ['http:', 'https:']),
    stripePlans: plans(env),
    signingKeyFile: text(env, 'SIGNING_KEY_FILE'),
    retiredKeysFile: text(env, 'RETIRED_KEYS_FILE'),
    checkpointKeyFile: text(env, 'CHECKPOINT_KEY_FILE'),
    masterKeyFile: text(env, 'MASTER_KEY_FILE'),
    auditLogOrigin: text(env, 'AUDIT_LOG_ORIGIN') ?? 'localhost/ledgerline',
    checkpointIntervalMs: integer(env, 'CHECKPOINT_INTERVAL_MS', 2000, 50, 86_400_000),
    ...witnesses(env),
    tlsCertFile: text(env, 'TLS_CERT_FILE'),
    tlsKeyFile: text(env, 'TLS_KEY_FILE'),
    corsOrigins: list(env, 'CORS_ORIGINS'),
    bootstrapAdmins: list(env, 'BOOTSTRAP_ADMINS', production ? [] : ['user_admin']),
    bootstrapCompliance: list(env, 'BOOTSTRAP_COMPLIANCE', production ? [] : ['user_compliance']),
    mfaMaxAgeMinutes: integer(env, 'MFA_MAX_AGE_MINUTES', 10, 1, 1440),
    rateLimitUserPerMin: integer(env, 'RATE_LIMIT_USER_PER_MIN', 600, 0, 1_000_000),
    rateLimitIpPerMin: integer(env, 'RATE_LIMIT_IP_PER_MIN', 300, 0, 1_000_000),
    metricsToken: text(env, 'METRICS_TOKEN'),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: oneOf<LogFormat>(env, 'LOG_FORMAT', ['json', 'pretty'], production ? 'json' : 'pretty'),
    worker: oneOf(env, 'WORKER', ['on', 'off'], 'on') === 'on',
    trustProxy: trustProxy(env),
  };
  if (/[\s\n]/.test(config.auditLogOrigin)) throw new ConfigError('AUDIT_LOG_ORIGIN', 'must not contain white space');
  if ((config.tlsCertFile === undefined) !== (config.tlsKeyFile === undefined)) {
    throw new ConfigError(config.tlsCertFile ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE', 'TLS_CERT_FILE and TLS_KEY_FILE go together');
  }
  if (authMode === 'clerk' && config.clerkJwtKey === undefined && config.clerkSecretKey === undefined) {
    throw new ConfigError('CLERK_JWT_KEY', 'AUTH_MODE=clerk needs CLERK_JWT_KEY or CLERK_SECRET_KEY');
  }
  assertProductionReady(config);
  return config;
}

/** The worker process (`npm run worker`): the same configuration with WORKER forced on. */
export function loadWorkerConfig(rawEnv: Env = process.env): AppConfig {
  return loadConfig({ ...rawEnv, WORKER: 'on' });
}

/**
 * The witness's configuration: WITNESS_HOST/PORT (127.0.0.1:3100), WITNESS_NAME, WITNESS_KEY_FILE
 * (required in production), WITNESS_DATA_DIR (./data/witness), WITNESS_LOG_KEYS or WITNESS_LOG_KEYS_FILE
 * (comma- or newline-separated vkeys, at least one). The vkeys are parsed by the witness itself.
 */
export function loadWitnessConfig(rawEnv: Env = process.env, readFile = (file: string) => readFileSync(file, 'utf8')): WitnessConfig {
  const production = text(rawEnv, 'NODE_ENV') === 'production';
  const name = text(rawEnv, 'WITNESS_NAME') ?? 'localhost/witness';
  if (/[\s+]/u.test(name)) throw new ConfigError('WITNESS_NAME', 'must have no white space and no "+"');
  const keyFile = text(rawEnv, 'WITNESS_KEY_FILE');
  if (production && keyFile === undefined) throw new ConfigError('WITNESS_KEY_FILE', 'is required in production (a generated key is for development only)');
  const logKeysFile = text(rawEnv, 'WITNESS_LOG_KEYS_FILE');
  if (logKeysFile !== undefined && text(rawEnv, 'WITNESS_LOG_KEYS') !== undefined) throw new ConfigError('WITNESS_LOG_KEYS_FILE', 'set either WITNESS_LOG_KEYS or WITNESS_LOG_KEYS_FILE, not both');
  let logKeysText = text(rawEnv, 'WITNESS_LOG_KEYS') ?? '';
  if (logKeysFile !== undefined) {
    try {
      logKeysText = readFile(logKeysFile);
    } catch {
      throw new ConfigError('WITNESS_LOG_KEYS_FILE', 'cannot be read');
    }
  }
  const logKeys = logKeysText
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (logKeys.length === 0) throw new ConfigError('WITNESS_LOG_KEYS', 'must name at least one log verifier key (GET /v1/audit/log-key of each log)');
  const crashPoint = oneOf<WitnessCrashPoint | 'none'>(rawEnv, 'WITNESS_TEST_CRASH_POINT', ['after-verify', 'after-store', 'none'], 'none');
  if (crashPoint !== 'none' && production) throw new ConfigError('WITNESS_TEST_CRASH_POINT', 'is a test fault and refused in production');
  return {
    production,
    host: text(rawEnv, 'WITNESS_HOST') ?? '127.0.0.1',
    port: integer(rawEnv, 'WITNESS_PORT', 3100, 0, 65535),
    name,
    keyFile,
    dataDir: path.resolve(text(rawEnv, 'WITNESS_DATA_DIR') ?? './data/witness'),
    logKeys,
    crashPoint: crashPoint === 'none' ? undefined : crashPoint,
  };
}
