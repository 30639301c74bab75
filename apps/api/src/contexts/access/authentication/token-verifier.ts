import { verifyToken } from '@clerk/backend';
import { sha256Hex } from '@ledgerline/integrity';
import { AuthenticationFailure, AuthenticationUnavailable } from './authentication.errors';
import { sessionFromClaims, type VerifiedSession } from './session-claims';
import { UnknownKeyIdGate } from './unknown-key-gate';

/** The key Clerk's verifyToken checks against: a PEM (networkless) or a secret key (JWKS fetched and cached). */
export type VerificationKey = { jwtKey: string } | { secretKey: string; apiUrl?: string };

export interface TokenVerifierSettings {
  key: VerificationKey;
  /** Allowed `azp` origins; empty → azp is not checked (production config requires a list). */
  authorizedParties: string[];
}

/** exp/nbf/iat tolerance; SPEC §7.1 asks for a small skew. */
export const CLOCK_SKEW_MS = 5_000;

/** How long a verified token's claims are reused (never past the token's own `exp`). */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX_ENTRIES = 10_000;

/** Clerk reasons that mean the server could not get a key, not that the token is bad. */
const UNAVAILABLE_REASONS = new Set(['secret-key-invalid', 'jwk-local-missing', 'jwk-remote-failed-to-load', 'jwk-remote-invalid', 'jwk-failed-to-resolve']);

/**
 * Verifies Clerk session tokens with `@clerk/backend` (RS256 only, signature, exp/nbf/iat with 5 s
 * skew, azp), then the claims Clerk leaves to us (sub, sid, sts, fva). Dev auth uses this same
 * class with the dev public key as `jwtKey`.
 */
export class TokenVerifier {
  private readonly keyIds: UnknownKeyIdGate | undefined;
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

  private async clerkVerify(token: string): Promise<Record<string, unknown>> {
    try {
      return await verifyToken(token, {
        ...this.settings.key,
        authorizedParties: this.settings.authorizedParties.length > 0 ? this.settings.authorizedParties : undefined,
        clockSkewInMs: CLOCK_SKEW_MS,
      });
    } catch (error) {
      const reason = clerkReason(error);
      if (reason === undefined) {
        // With object-shaped segments, only key loading throws something other than Clerk's
        // TokenVerificationError: a JWKS fetch that failed on the network.
        if ('secretKey' in this.settings.key) throw new AuthenticationUnavailable('jwks-unreachable');
        throw new AuthenticationFailure('token-verification-failed');
      }
      if (UNAVAILABLE_REASONS.has(reason)) throw new AuthenticationUnavailable(reason);
      throw new AuthenticationFailure(reason);
    }
  }
}

/** Clerk's TokenVerificationError carries a kebab-case `reason`; other errors have none. */
function clerkReason(error: unknown): string | undefined {
  const reason = typeof error === 'object' && error !== null ? (error as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' && /^[a-z0-9-]{1,64}$/.test(reason) ? reason : undefined;
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
