import { isClerkVerdict, type ClerkVerdict, type TokenVerifierSettings } from './clerk-verdict';
import type { OffThreadClerk } from './token-verifier';

/** What a session-verdict question carries to the thread that answers it. */
export interface SessionVerdictQuestion {
  token: string;
  settings: TokenVerifierSettings;
}

/**
 * How long a user's first request waits for another thread's verdict on their token before verifying it
 * itself: the worker thread answers between projection batches, within a few ms.
 */
export const SESSION_VERDICT_TIMEOUT_MS = 200;
/** Verdicts asked and not yet answered, at most: past this the other thread is behind, and the asking thread verifies. */
export const MAX_VERDICTS_IN_FLIGHT = 128;

/**
 * TokenVerifier's way to another thread (`ask`: the worker thread's session-verdict question). Gives
 * up — undefined, so the token is verified on the asking thread — when that thread is behind or
 * silent, and takes back only a well-formed verdict.
 */
export function offThreadVerdicts(ask: (question: SessionVerdictQuestion, timeoutMs: number) => Promise<unknown>): OffThreadClerk {
  let inFlight = 0;
  return async (token, settings): Promise<ClerkVerdict | undefined> => {
    if (inFlight >= MAX_VERDICTS_IN_FLIGHT) return undefined;
    inFlight++;
    try {
      const answer = await ask({ token, settings }, SESSION_VERDICT_TIMEOUT_MS);
      return isClerkVerdict(answer) ? answer : undefined;
    } finally {
      inFlight--;
    }
  };
}
