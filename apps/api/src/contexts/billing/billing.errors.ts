import { problem, type Problem } from '../../platform/errors/problem';
import type { ErrorMapper } from '../../platform/errors/problem-details.filter';
import { stripeSdkIfLoaded } from './stripe/stripe-sdk';

/** STRIPE_SECRET_KEY (checkout) or STRIPE_WEBHOOK_SECRET (webhooks) is not set. */
export class BillingNotConfiguredError extends Error {
  constructor(readonly missing: 'STRIPE_SECRET_KEY' | 'STRIPE_WEBHOOK_SECRET') {
    super(`billing is not configured: ${missing} is unset`);
    this.name = 'BillingNotConfiguredError';
  }
}

/** The caller already holds an entitling subscription; a second checkout would bill them twice. */
export class AlreadySubscribedError extends Error {
  constructor() {
    super('the user already has an active subscription');
    this.name = 'AlreadySubscribedError';
  }
}

/**
 * Billing's typed errors → problem+json. Stripe's own errors never reach the client as they are
 * (their messages may name account details): an idempotency clash is 422, anything else 502.
 */
export const billingErrorMapper: ErrorMapper = (error: unknown): Problem | undefined => {
  if (error instanceof BillingNotConfiguredError) {
    return problem(503, { type: 'billing-not-configured', title: 'Billing Not Configured', detail: 'billing is not available on this server' });
  }
  if (error instanceof AlreadySubscribedError) {
    return problem(409, { type: 'already-subscribed', detail: 'you already have an active subscription' });
  }
  const stripe = stripeSdkIfLoaded();
  if (stripe === undefined) return undefined;
  if (error instanceof stripe.errors.StripeIdempotencyError) {
    return problem(422, { type: 'idempotency-key-reused', detail: 'this Idempotency-Key was used with a different request' });
  }
  if (error instanceof stripe.errors.StripeError) {
    return problem(502, { type: 'stripe-unavailable', title: 'Bad Gateway', detail: 'the payment provider did not complete the request; retry later' });
  }
  return undefined;
};
