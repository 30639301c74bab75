import { AuthenticationFailure } from './authentication.errors';

/** Reasons after which Clerk did not find the token's key at all; any other outcome proves the kid is Clerk's. */
const KEY_NOT_FOUND = new Set(['jwk-kid-mismatch', 'jwk-remote-missing']);
const MAX_KNOWN_KIDS = 32;

/**
 * JWKS mode (CLERK_SECRET_KEY): Clerk refetches the JWKS for every token whose `kid` is not in its
 * cache, so random kids would turn a bad-token flood into a flood of calls to Clerk. This gate lets
 * tokens with a known kid straight through and at most one unknown kid per interval (concurrent
 * tokens wait for that one probe, so a key rotation or a cold start costs one fetch, not a burst of 401s).
 */
export class UnknownKeyIdGate {
  private readonly known = new Set<string>();
  private lastProbe = Number.NEGATIVE_INFINITY;
  private probe: Promise<unknown> | undefined;

  constructor(
    private readonly intervalMs = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async run<T>(kid: string, verify: () => Promise<T>): Promise<T> {
    if (this.known.has(kid)) return verify();
    if (this.probe !== undefined) {
      await this.probe.catch(() => undefined);
      if (this.known.has(kid)) return verify();
    }
    const now = this.clock();
    if (now - this.lastProbe < this.intervalMs) throw new AuthenticationFailure('jwk-kid-unknown');
    this.lastProbe = now;
    const attempt = verify();
    this.probe = attempt;
    try {
      const result = await attempt;
      this.learn(kid);
      return result;
    } catch (error) {
      const reason = error instanceof AuthenticationFailure ? error.reason : undefined;
      if (reason !== undefined && !KEY_NOT_FOUND.has(reason)) this.learn(kid);
      throw error;
    } finally {
      if (this.probe === attempt) this.probe = undefined;
    }
  }

  private learn(kid: string): void {
    if (this.known.size >= MAX_KNOWN_KIDS) this.known.clear();
    this.known.add(kid);
  }
}
