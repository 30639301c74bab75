import type Stripe from 'stripe';
import type { AppConfig } from '@ledgerline/config';
import { stripeSdk } from './stripe-sdk';

/** Calls to Stripe from a request handler must not hang the request (the server's own timeout is 30 s). */
const STRIPE_TIMEOUT_MS = 10_000;

/** The SDK's host/port/protocol for STRIPE_API_URL (a local stand-in in tests); Stripe's own API otherwise. */
export function stripeEndpoint(apiUrl: string | undefined): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  if (apiUrl === undefined) return {};
  const url = new URL(apiUrl);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}

/**
 * The Stripe client for STRIPE_SECRET_KEY, or null when billing is not configured. The API version
 * is the one the SDK pins (no override), so request and webhook payload shapes match its types.
 */
export function createStripeClient(config: AppConfig): Stripe | null {
  if (config.stripeSecretKey === undefined) return null;
  const StripeClient = stripeSdk();
  return new StripeClient(config.stripeSecretKey, {
    ...stripeEndpoint(config.stripeApiUrl),
    timeout: STRIPE_TIMEOUT_MS,
    maxNetworkRetries: 2,
    telemetry: false,
    appInfo: { name: 'ledgerline' },
  });
}
