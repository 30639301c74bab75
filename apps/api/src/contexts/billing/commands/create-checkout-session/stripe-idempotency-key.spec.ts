import { stripeIdempotencyKey } from './create-checkout-session.handler';

describe('stripeIdempotencyKey', () => {
  it("derives the same Stripe key from the same caller and client key, so a client's retry reaches Stripe as a retry", () => {
    expect(stripeIdempotencyKey('user_a', 'k1')).toBe(stripeIdempotencyKey('user_a', 'k1'));
    expect(stripeIdempotencyKey('user_a', 'k1')).toMatch(/^checkout-[0-9a-f]{64}$/);
  });

  it('never gives two callers, or two client keys, the same Stripe key', () => {
    expect(stripeIdempotencyKey('user_a', 'k1')).not.toBe(stripeIdempotencyKey('user_b', 'k1'));
    expect(stripeIdempotencyKey('user_a', 'k1')).not.toBe(stripeIdempotencyKey('user_a', 'k2'));
    // The separator keeps (user, key) pairs from colliding by concatenation.
    expect(stripeIdempotencyKey('user_a', 'bk')).not.toBe(stripeIdempotencyKey('user_ab', 'k'));
  });

  it('makes a fresh key per request without a client key', () => {
    expect(stripeIdempotencyKey('user_a', undefined)).not.toBe(stripeIdempotencyKey('user_a', undefined));
  });
});
