import type { TokenSource } from './session';

/** The parts of Clerk's browser SDK (window.Clerk, from @clerk/clerk-js) the console uses. */
interface ClerkBrowser {
  load(options?: Record<string, unknown>): Promise<void>;
  session?: { getToken(): Promise<string | null> } | null;
  user?: unknown;
  mountSignIn(element: HTMLDivElement, props?: Record<string, unknown>): void;
  addListener(listener: (resources: { session?: unknown }) => void): void;
  signOut(): Promise<void>;
  __internal_openReverification?: (props?: Record<string, unknown>) => void;
}

/**
 * AUTH_MODE=clerk: Clerk's own SDK, bundled from npm into /console/assets/clerk/ (no CDN), with the
 * publishable key from the server's config. Clerk keeps its session; this page asks it for a short-lived
 * token per call and holds none itself.
 */
export async function loadClerk(publishableKey: string | null, mount: HTMLElement, onSession: (source: TokenSource) => Promise<void>): Promise<void> {
  if (!publishableKey) throw new Error('AUTH_MODE=clerk but the server has no CLERK_PUBLISHABLE_KEY: the console cannot offer Clerk sign-in');
  await new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/console/assets/clerk/clerk.browser.js';
    script.dataset.clerkPublishableKey = publishableKey;
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => reject(new Error('Clerk sign-in could not be loaded')));
    document.head.append(script);
  });
  const clerk = (window as unknown as { Clerk?: ClerkBrowser }).Clerk;
  if (!clerk) throw new Error('Clerk sign-in could not be started');
  await clerk.load();
  const source: TokenSource = {
    kind: 'clerk',
    token: async () => (await clerk.session?.getToken()) ?? undefined,
    reverify: async () => clerk.__internal_openReverification?.({ level: 'second_factor' }),
    signOut: () => clerk.signOut(),
  };
  if (clerk.session) {
    await onSession(source);
    return;
  }
  const div = document.createElement('div');
  mount.append(div);
  clerk.mountSignIn(div);
  let started = false;
  clerk.addListener(({ session }) => {
    if (session && !started) {
      started = true;
      void onSession(source);
    }
  });
}
