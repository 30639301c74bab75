import type { AppConfig } from '@ledgerline/config';
import { authorizedParties, DEV_AUTHORIZED_PARTY } from '../../access/authentication/verifier-settings';

export interface CheckoutReturnUrls {
  successUrl: string;
  cancelUrl: string;
}

/**
 * Where Stripe Checkout sends the buyer back. SPEC §2 has no variable for it, so it is the client
 * app itself: the first CLERK_AUTHORIZED_PARTIES origin (the app users sign in from), else the dev
 * origin, at `/billing/success?session_id={CHECKOUT_SESSION_ID}` and `/billing/canceled`.
 */
export function checkoutReturnUrls(config: AppConfig): CheckoutReturnUrls {
  const origin = new URL(authorizedParties(config)[0] ?? DEV_AUTHORIZED_PARTY).origin;
  return {
    // Stripe replaces the literal {CHECKOUT_SESSION_ID}; it must stay unencoded.
    successUrl: `${origin}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: `${origin}/billing/canceled`,
  };
}
