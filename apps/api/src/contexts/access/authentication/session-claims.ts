import { AuthenticationFailure } from './authentication.errors';

/** Clerk-style identifiers (`user_2ab…`, `sess_…`): also safe in stream names and logs. */
export const USER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** What a verified session token says about its bearer. */
export interface VerifiedSession {
  userId: string;
  sessionId: string;
  org?: string;
  /** Minutes since the second factor was verified, as of now; null when there is none (`fva[1] === -1`). */
  secondFactorAgeMinutes: number | null;
}

/**
 * Checks the claims that Clerk's verifyToken leaves to the caller (signature, exp/nbf/iat and azp
 * are already checked): `sub` and `sid` well-formed, `sts` active when present (a `pending` session
 * has unfinished tasks), `fva` a pair of whole minutes.
 */
export function sessionFromClaims(claims: Record<string, unknown>, nowMs: number): VerifiedSession {
  const { sub, sid, sts, fva, iat } = claims;
  if (typeof sub !== 'string' || !USER_ID_PATTERN.test(sub)) throw new AuthenticationFailure('invalid-subject');
  if (typeof sid !== 'string' || !SESSION_ID_PATTERN.test(sid)) throw new AuthenticationFailure('invalid-session-id');
  if (sts !== undefined && sts !== 'active') throw new AuthenticationFailure('session-not-active');
  const org = organizationOf(claims);
  return {
    userId: sub,
    sessionId: sid,
    ...(org !== undefined ? { org } : {}),
    secondFactorAgeMinutes: secondFactorAge(fva, typeof iat === 'number' ? iat : undefined, nowMs),
  };
}

/**
 * `fva` is [minutes since first factor, minutes since second factor or -1], measured when the token
 * was issued; the token's own age is added so a long-lived token cannot stretch the step-up window.
 */
function secondFactorAge(fva: unknown, iat: number | undefined, nowMs: number): number | null {
  if (fva === undefined) return null;
  if (!Array.isArray(fva) || fva.length !== 2 || !fva.every((age) => Number.isInteger(age) && age >= -1)) {
    throw new AuthenticationFailure('invalid-factor-age');
  }
  const second = fva[1] as number;
  if (second < 0) return null;
  const tokenAgeMinutes = iat === undefined ? 0 : Math.max(0, Math.floor((nowMs / 1000 - iat) / 60));
  return second + tokenAgeMinutes;
}

/** Active organization: `o.id` in v2 tokens, `org_id` in v1. */
function organizationOf(claims: Record<string, unknown>): string | undefined {
  const o = claims.o;
  const id = typeof o === 'object' && o !== null ? (o as { id?: unknown }).id : claims.org_id;
  if (id === undefined) return undefined;
  if (typeof id !== 'string' || !SESSION_ID_PATTERN.test(id)) throw new AuthenticationFailure('invalid-organization');
  return id;
}
