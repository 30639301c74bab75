import type Stripe from 'stripe';

let loaded: typeof Stripe | undefined;

/**
 * The Stripe SDK, loaded on first use (a checkout, a webhook): 219 modules and ~3 MB of heap that a
 * server never asked to bill does not carry. V8 lets the old generation grow to a multiple of what
 * is live before it collects, so what is loaded and never used costs several times its size at peak.
 */
export function stripeSdk(): typeof Stripe {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a deliberate lazy load (see above)
  loaded ??= require('stripe') as typeof Stripe;
  return loaded;
}

/** The SDK if something has loaded it; until then no Stripe error can exist. */
export function stripeSdkIfLoaded(): typeof Stripe | undefined {
  return loaded;
}
