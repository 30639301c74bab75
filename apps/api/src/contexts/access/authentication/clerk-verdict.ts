import { verifyToken } from '@clerk/backend';

/** The key Clerk's verifyToken checks against: a PEM (networkless) or a secret key (JWKS fetched and cached). */
export type VerificationKey = { jwtKey: string } | { secretKey: string; apiUrl?: string };

export interface TokenVerifierSettings {
  key: VerificationKey;
  /** Allowed `azp` origins; empty → azp is not checked (production config requires a list). */
  authorizedParties: string[];
}

/** exp/nbf/iat tolerance; SPEC §7.1 asks for a small skew. */
export const CLOCK_SKEW_MS = 5_000;

/**
 * What Clerk said of a token, as data (it crosses to the worker thread and back): its claims, a
 * reason the token is refused, or a reason the server could not check it (no key to check with).
 */
export type ClerkVerdict = { claims: Record<string, unknown> } | { refused: string } | { unavailable: string };

/** Clerk reasons that mean the server could not get a key, not that the token is bad. */
const UNAVAILABLE_REASONS = new Set(['secret-key-invalid', 'jwk-local-missing', 'jwk-remote-failed-to-load', 'jwk-remote-invalid', 'jwk-failed-to-resolve']);

/**
 * Clerk's `verifyToken` (RS256 only, signature, exp/nbf/iat with 5 s skew, azp) on a token whose
 * header and payload are already known to be JSON objects (see TokenVerifier).
 */
export async function clerkVerdict(token: string, settings: TokenVerifierSettings): Promise<ClerkVerdict> {
  try {
    return {
      claims: await verifyToken(token, {
        ...settings.key,
        authorizedParties: settings.authorizedParties.length > 0 ? settings.authorizedParties : undefined,
        clockSkewInMs: CLOCK_SKEW_MS,
      }),
    };
  } catch (error) {
    const reason = clerkReason(error);
    if (reason === undefined) {
      // With object-shaped segments, only key loading throws something other than Clerk's
      // TokenVerificationError: a JWKS fetch that failed on the network.
      return 'secretKey' in settings.key ? { unavailable: 'jwks-unreachable' } : { refused: 'token-verification-failed' };
    }
    return UNAVAILABLE_REASONS.has(reason) ? { unavailable: reason } : { refused: reason };
  }
}

/** Clerk's TokenVerificationError carries a kebab-case `reason`; other errors have none. */
function clerkReason(error: unknown): string | undefined {
  const reason = typeof error === 'object' && error !== null ? (error as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' && /^[a-z0-9-]{1,64}$/.test(reason) ? reason : undefined;
}

/** Whether a value posted back by another thread is a ClerkVerdict (anything else is not trusted as one). */
export function isClerkVerdict(value: unknown): value is ClerkVerdict {
  if (typeof value !== 'object' || value === null) return false;
  const verdict = value as Record<string, unknown>;
  const keys = Object.keys(verdict);
  if (keys.length !== 1) return false;
  if (keys[0] === 'claims') return typeof verdict.claims === 'object' && verdict.claims !== null && !Array.isArray(verdict.claims);
  return (keys[0] === 'refused' || keys[0] === 'unavailable') && typeof verdict[keys[0]] === 'string';
}
