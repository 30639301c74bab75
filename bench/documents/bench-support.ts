import { loadOrCreateDevAuthKey } from '../../apps/api/src/contexts/access/authentication/dev-auth-key';
import { mintDevToken } from '../../apps/api/src/contexts/access/authentication/dev-token';
import { DEV_AUTHORIZED_PARTY } from '../../apps/api/src/contexts/access/authentication/verifier-settings';

/** `--name <number>` from the command line, or `fallback`. */
export function numberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

/** A port for one API child, away from the test suites' range. */
export function benchPort(): number {
  return 30_000 + Math.floor(Math.random() * 20_000);
}

/** JSON request headers with a dev-auth session token of `userId` for the API on `dataDir`. */
export function devAuthHeaders(dataDir: string, userId: string): Record<string, string> {
  const token = mintDevToken(loadOrCreateDevAuthKey(dataDir).privateKey, { userId, azp: DEV_AUTHORIZED_PARTY, ttlSeconds: 3600, secondFactorAgeMinutes: null });
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
}

/** `warmup` untimed GETs, then `count` sequential timed ones (each read to its end); throws on a non-200. */
export async function timedGets(url: string, headers: Record<string, string>, count: number, warmup: number): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await (await fetch(url, { headers })).arrayBuffer();
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (response.status !== 200) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`);
  }
  return latencies;
}
