/**
 * The signed-in officer's session token, held in this module's memory only: never localStorage,
 * sessionStorage or a cookie, so it leaves with the page. `tokenSource` is dev (a pasted token) or Clerk's SDK.
 */
export interface TokenSource {
  kind: 'dev' | 'clerk';
  token(): Promise<string | undefined>;
  /** Asks for a fresh second factor (Clerk's reverification), or explains how in dev mode. */
  reverify(): Promise<void>;
  signOut(): Promise<void>;
}

let current: TokenSource | undefined;

export function signIn(source: TokenSource): void {
  current = source;
}

export function signedIn(): TokenSource | undefined {
  return current;
}

export async function signOut(): Promise<void> {
  const source = current;
  current = undefined;
  await source?.signOut();
}
