import { loadConfig } from '@ledgerline/config';
import { createStripeClient, stripeEndpoint } from './stripe-client';

describe('Stripe client', () => {
  it.each([
    ['http://127.0.0.1:12111', { host: '127.0.0.1', port: '12111', protocol: 'http' }],
    ['https://stripe-proxy.internal', { host: 'stripe-proxy.internal', port: 443, protocol: 'https' }],
    ['http://localhost', { host: 'localhost', port: 80, protocol: 'http' }],
  ])('splits STRIPE_API_URL %s into host, port and protocol', (url, expected) => {
    expect(stripeEndpoint(url)).toEqual(expected);
  });

  it("talks to Stripe's own API without STRIPE_API_URL", () => {
    expect(stripeEndpoint(undefined)).toEqual({});
  });

  it('is off without STRIPE_SECRET_KEY', () => {
    expect(createStripeClient(loadConfig({}))).toBeNull();
    expect(createStripeClient(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_x' }))).not.toBeNull();
  });
});
