import { ApiProblem, ReverificationRequired } from './api-client';
import { byId, notify, show } from './dom';
import { signedIn } from './session/session';

/** Every failed action ends here: a stale second factor becomes the MFA prompt, anything else a plain notice. */
export function reportError(error: unknown): void {
  if (error instanceof ReverificationRequired) {
    notify(undefined);
    if (error.afterMinutes !== undefined) byId('mfa-minutes').textContent = String(error.afterMinutes);
    show(byId('mfa-dev-hint'), signedIn()?.kind === 'dev');
    show(byId('mfa-prompt'));
    byId('mfa-reverify').focus();
    return;
  }
  if (error instanceof ApiProblem) {
    notify(error.status === 401 ? 'Your session has ended or the token was refused: sign in again.' : error.message);
    return;
  }
  notify(error instanceof Error ? error.message : 'Something went wrong');
}

/** Runs an action from a button or form, reporting its failure instead of leaving it unhandled. */
export function guarded(action: () => Promise<void>): () => void {
  return () => {
    notify(undefined);
    action().catch(reportError);
  };
}

export function wireMfaPrompt(): void {
  byId('mfa-dismiss').addEventListener('click', () => show(byId('mfa-prompt'), false));
  byId('mfa-reverify').addEventListener(
    'click',
    guarded(async () => {
      show(byId('mfa-prompt'), false);
      await signedIn()?.reverify();
    }),
  );
}
