import { problem, type Problem } from '../../../platform/errors/problem';

/** 401 reveals nothing: no reason, no detail (the reason goes to the log and the security events). */
export function unauthorizedProblem(): Problem {
  return problem(401);
}

export function forbiddenProblem(detail: string): Problem {
  return problem(403, { detail });
}

/**
 * 403 for a stale or missing second factor. Besides the problem members it carries Clerk's
 * `clerk_error` (as built by `reverificationError` in @clerk/shared/authorization-errors), so
 * Clerk's `useReverification` on the client recognises it and prompts for the second factor.
 */
export function reverificationProblem(afterMinutes: number, detail: string): Problem {
  return problem(403, {
    type: 'reverification-required',
    title: 'Reverification required',
    detail,
    extensions: {
      clerk_error: {
        type: 'forbidden',
        reason: 'reverification-error',
        metadata: { reverification: { level: 'second_factor', afterMinutes } },
      },
    },
  });
}

/** The verification key could not be loaded (JWKS unreachable): retry later, not sign in again. */
export function authenticationUnavailableProblem(): Problem {
  return problem(503, { detail: 'authentication is temporarily unavailable' });
}
