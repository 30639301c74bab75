/** The Stripe API client (`stripe` SDK), or null when STRIPE_SECRET_KEY is unset. */
export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');
