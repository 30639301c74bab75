import path from 'node:path';
import { NoteError, parseVerifierKey, type NoteVerifierKey } from '@ledgerline/integrity';

/** Where a test may make the witness die with SIGKILL (kill -9), never honoured in production. */
export type CrashPoint = 'after-verify' | 'after-store';

/** The witness's configuration, read once from the environment (README "Witnesses"). */
export interface WitnessConfig {
  production: boolean;
  host: string;
  port: number;
  /** The cosigner name its signature lines carry (a schema-less URL, e.g. `witness.example.com/w1`). */
  name: string;
  /** Ed25519 PKCS#8 PEM; unset in development → generated under dataDir with a warning. */
  keyFile: string | undefined;
  dataDir: string;
  /** The logs it witnesses: note vkeys, their name being each log's origin (several per origin while a key rotates). */
  logKeys: NoteVerifierKey[];
  crashPoint: CrashPoint | undefined;
}

export class WitnessConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`);
  }
}

const NAME = /^[^\s+]+$/;

export function loadWitnessConfig(env: NodeJS.ProcessEnv = process.env): WitnessConfig {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.WITNESS_PORT ?? '3100');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new WitnessConfigError('WITNESS_PORT', 'must be a port number');
  const name = env.WITNESS_NAME ?? 'localhost/witness';
  if (!NAME.test(name)) throw new WitnessConfigError('WITNESS_NAME', 'must be non-empty, with no white space and no "+"');
  const keyFile = env.WITNESS_KEY_FILE || undefined;
  if (production && keyFile === undefined) throw new WitnessConfigError('WITNESS_KEY_FILE', 'is required in production (a generated key is for development only)');
  const logKeys = (env.WITNESS_LOG_KEYS ?? '')
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((vkey, i) => {
      try {
        return parseVerifierKey(vkey);
      } catch (error) {
        throw new WitnessConfigError('WITNESS_LOG_KEYS', `item ${i + 1} is not a log verifier key: ${(error as NoteError).message}`);
      }
    });
  if (logKeys.length === 0) throw new WitnessConfigError('WITNESS_LOG_KEYS', 'must name at least one log verifier key (GET /v1/audit/log-key of each log)');
  const crash = env.WITNESS_TEST_CRASH_POINT;
  if (crash !== undefined && crash !== 'after-verify' && crash !== 'after-store') throw new WitnessConfigError('WITNESS_TEST_CRASH_POINT', 'is after-verify or after-store');
  if (crash !== undefined && production) throw new WitnessConfigError('WITNESS_TEST_CRASH_POINT', 'is a test fault and refused in production');
  return {
    production,
    host: env.WITNESS_HOST ?? '127.0.0.1',
    port,
    name,
    keyFile,
    dataDir: path.resolve(env.WITNESS_DATA_DIR ?? './data/witness'),
    logKeys,
    crashPoint: crash,
  };
}
