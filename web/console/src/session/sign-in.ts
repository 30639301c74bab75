import { apiJson } from '../api-client';
import { byId, el, show } from '../dom';
import { guarded } from '../errors';
import { signIn, signOut, type TokenSource } from './session';
import { loadClerk } from './clerk-sign-in';

/** What the page needs to know of the server's configuration (GET /console/config.json). */
export interface ConsoleConfig {
  authMode: 'dev' | 'clerk';
  clerkPublishableKey: string | null;
}

interface Me {
  id: string;
  roles: string[];
  mfa?: unknown;
}

/** Shows the sign-in that fits the server's AUTH_MODE and calls `onSignedIn` once /v1/me answers. */
export async function startSignIn(config: ConsoleConfig, onSignedIn: () => void): Promise<void> {
  const signedInAs = async (source: TokenSource) => {
    signIn(source);
    const me = await apiJson<Me>('/v1/me');
    const status = byId('session-status');
    status.replaceChildren(el('span', `Signed in as ${me.id} (${me.roles.join(', ')})`), source.kind === 'dev' ? el('strong', ' · DEV SIGN-IN', 'dev-mark') : '');
    show(byId('sign-in'), false);
    show(byId('sign-out'));
    show(byId('workspace'));
    onSignedIn();
  };
  byId('sign-out').addEventListener(
    'click',
    guarded(async () => {
      await signOut();
      location.reload();
    }),
  );

  if (config.authMode === 'clerk') {
    show(byId('clerk-sign-in'));
    await loadClerk(config.clerkPublishableKey, byId('clerk-sign-in'), (source) => signedInAs(source));
    return;
  }
  show(byId('dev-sign-in'));
  const field = byId<HTMLTextAreaElement>('dev-token');
  byId('dev-sign-in-button').addEventListener(
    'click',
    guarded(async () => {
      let token: string | undefined = field.value.trim();
      field.value = '';
      if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) throw new Error('That is not a token: paste the output of npm run --silent token -- --user <id> --mfa');
      await signedInAs({
        kind: 'dev',
        token: async () => token,
        reverify: async () => {
          // A dev token's second-factor age is fixed when it is minted: signing in again with a fresh one is the step-up.
          token = undefined;
          show(byId('workspace'), false);
          show(byId('sign-in'));
          field.focus();
        },
        signOut: async () => {
          token = undefined;
        },
      });
    }),
  );
}
