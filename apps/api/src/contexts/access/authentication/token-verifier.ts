import { sha256Hex } from '@ledgerline/integrity';
import { AuthenticationFailure, AuthenticationUnavailable } from './authentication.errors';
import { clerkVerdict, type ClerkVerdict, type TokenVerifierSettings } from './clerk-verdict';
import { sessionFromClaims, type VerifiedSession } from './session-claims';
import { UnknownKeyIdGate } from './unknown-key-gate';

/**
 * Asks another thread for Clerk's verdict on a token; undefined when it cannot answer (busy past its
 * deadline, stopping, gone), and the token is then verified on the calling thread.
 */
export type OffThreadClerk = (token: string, settings: TokenVerifierSettings) => Promise<ClerkVerdict | undefined>;

/** How long a verified token's claims are reused (never past the token's own `exp`). */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX_ENTRIES = 10_000;

/**
 * Verifies Clerk session tokens with `@clerk/backend` (RS256 only, signature, exp/nbf/iat with 5 s
 * skew, azp), then the claims Clerk leaves to us (sub, sid, sts, fva). Dev auth uses this same
 * class with the dev public key as `jwtKey`.
 */
export class TokenVerifier {
  private readonly keyIds: UnknownKeyIdGate | undefined;
  private offThread: OffThreadClerk | undefined;
  /**
   * Claims of tokens already verified, keyed by the token's SHA-256: a client sends the same session
   * token on every request, and the RSA signature check (with Clerk's per-call key import) was ~13 % of
   * a create-document's CPU. Entries end at the token's `exp`, so no expired token is ever accepted;
   * failures are never cached.
   */
  private readonly verified = new Map<string, { claims: Record<string, unknown>; until: number }>();

  constructor(
    private readonly settings: TokenVerifierSettings,
    private readonly clock: () => number = Date.now,
  ) {
    this.keyIds = 'secretKey' in settings.key ? new UnknownKeyIdGate(10_000, clock) : undefined;
  }

  async verify(token: string): Promise<VerifiedSession> {
    // One-shot SHA-256 (every request pays it): several times cheaper than createHash on Node 20.
    const cacheKey = sha256Hex(token);
    const now = this.clock();
    const cached = this.verified.get(cacheKey);
    if (cached !== undefined && cached.until > now) return sessionFromClaims(cached.claims, now);
    if (cached !== undefined) this.verified.delete(cacheKey);

    const header = jsonObjectSegments(token);
    const claims = this.keyIds
      ? await this.keyIds.run(typeof header.kid === 'string' ? header.kid : '', () => this.clerkVerify(token))
      : await this.clerkVerify(token);
    const session = sessionFromClaims(claims, this.clock());
    this.remember(cacheKey, claims);
    return session;
  }

  private remember(cacheKey: string, claims: Record<string, unknown>): void {
    const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
    const until = Math.min(exp, this.clock() + VERIFIED_TTL_MS);
    if (until <= this.clock()) return;
    if (this.verified.size >= VERIFIED_MAX_ENTRIES) {
      // Map order is insertion order: drop the oldest entry.
      const oldest = this.verified.keys().next().value;
      if (oldest !== undefined) this.verified.delete(oldest);
    }
    this.verified.set(cacheKey, { claims, until });
  }

  /**
   * Clerk's verification of a token not seen before runs on the worker thread where there is one
   * (`verifyOnAnotherThread`): on the request thread it took ~140 µs of a user's first request (its key
   * import on every call, WebCrypto's dispatch, decoding the JWT twice), what tipped the request thread
   * over at 1,000 first requests a second. The same SDK call either way, with the same settings.
   */
  verifyOnAnotherThread(offThread: OffThreadClerk): void {
    this.offThread = offThread;
  }

  private async clerkVerify(token: string): Promise<Record<string, unknown>> {
    const verdict = (await this.offThread?.(token, this.settings)) ?? (await clerkVerdict(token, this.settings));
    if ('claims' in verdict) return verdict.claims;
    if ('unavailable' in verdict) throw new AuthenticationUnavailable(verdict.unavailable);
    throw new AuthenticationFailure(verdict.refused);
  }
}

/**
 * Header and payload must be JSON objects before Clerk sees them: its decoder accepts `null` or
 * arrays and would then fail with a TypeError, indistinguishable from a network failure.
 * Returns the header.
 */
function jsonObjectSegments(token: string): Record<string, unknown> {
  const segments = token.split('.');
  if (segments.length !== 3) throw new AuthenticationFailure('token-invalid');
  const [header] = segments.slice(0, 2).map((segment) => {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    } catch {
      throw new AuthenticationFailure('token-invalid');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AuthenticationFailure('token-invalid');
    return value as Record<string, unknown>;
  });
  return header;
}
