import { checkoutSession, invoice, stripeEvent, subscription } from '../../../../../../test/stripe/stripe-payloads';
import { translateStripeEvent, USER_METADATA_KEY } from './stripe-event-translation';
import { StripePayloadError } from './stripe-payload';

const T = 1_790_000_000;
const sub = { id: 'sub_1Alice', customer: 'cus_Alice', status: 'active', priceId: 'price_pro', created: T, periodStart: T, periodEnd: T + 100, userId: 'user_alice' };
const translate = (event: Record<string, unknown>) => translateStripeEvent(event as { type: string; data: { object: unknown } });

describe('translateStripeEvent', () => {
  it('links the customer of a completed subscription checkout to its client_reference_id', () => {
    const session = checkoutSession({ id: 'cs_test_1', customer: 'cus_Alice', clientReferenceId: 'user_alice', subscription: 'sub_1Alice', created: T });
    expect(translate(stripeEvent('checkout.session.completed', session, { created: T }))).toEqual({
      kind: 'link',
      userId: 'user_alice',
      customerId: 'cus_Alice',
      checkoutSessionId: 'cs_test_1',
      subscriptionId: 'sub_1Alice',
    });
  });

  it.each([
    ['a payment-mode session', { mode: 'payment' as const }, 'not-a-subscription-checkout'],
    ['a session without client_reference_id', { clientReferenceId: null }, 'no-client-reference'],
    ['a client_reference_id that is no user id', { clientReferenceId: '../admin' }, 'no-client-reference'],
  ])('ignores %s', (_label, override, reason) => {
    const session = checkoutSession({ id: 'cs_test_1', customer: 'cus_Alice', clientReferenceId: 'user_alice', subscription: 'sub_1Alice', created: T, ...override });
    expect(translate(stripeEvent('checkout.session.completed', session, { created: T }))).toEqual({ kind: 'ignored', reason });
  });

  it('reads the billing period from the subscription items (API 2025-03-31.basil and later)', () => {
    const intent = translate(stripeEvent('customer.subscription.updated', subscription(sub), { created: T }));
    expect(intent).toEqual({
      kind: 'subscription',
      change: 'updated',
      customerId: 'cus_Alice',
      userHint: 'user_alice',
      subscription: {
        subscriptionId: 'sub_1Alice',
        customerId: 'cus_Alice',
        status: 'active',
        priceId: 'price_pro',
        created: T,
        currentPeriodStart: T,
        currentPeriodEnd: T + 100,
        cancelAtPeriodEnd: false,
        canceledAt: null,
        endedAt: null,
      },
    });
  });

  it('falls back to the top-level period an older endpoint API version sends', () => {
    const legacy = subscription(sub);
    const items = legacy.items as { data: Record<string, unknown>[] };
    for (const item of items.data) {
      delete item.current_period_start;
      delete item.current_period_end;
    }
    const intent = translate(stripeEvent('customer.subscription.deleted', { ...legacy, current_period_start: T - 5, current_period_end: T + 5 }, { created: T }));
    expect(intent).toMatchObject({ kind: 'subscription', change: 'deleted', subscription: { currentPeriodStart: T - 5, currentPeriodEnd: T + 5 } });
  });

  it('takes the customer id of an expanded customer object', () => {
    const expanded = { ...subscription(sub), customer: { id: 'cus_Alice', object: 'customer' } };
    expect(translate(stripeEvent('customer.subscription.created', expanded, { created: T }))).toMatchObject({ customerId: 'cus_Alice', change: 'created' });
  });

  it('reads the subscription and its metadata from invoice.parent (and the legacy top-level field)', () => {
    const paid = invoice({ id: 'in_1', customer: 'cus_Alice', subscription: 'sub_1Alice', status: 'paid', created: T, userId: 'user_alice', paidAt: T + 1 });
    expect(translate(stripeEvent('invoice.paid', paid, { created: T }))).toEqual({
      kind: 'invoice',
      outcome: 'paid',
      customerId: 'cus_Alice',
      userHint: 'user_alice',
      invoice: {
        invoiceId: 'in_1',
        customerId: 'cus_Alice',
        subscriptionId: 'sub_1Alice',
        status: 'paid',
        currency: 'eur',
        amountDue: 900,
        amountPaid: 900,
        attemptCount: 1,
        periodStart: T,
        periodEnd: T,
        paidAt: T + 1,
        nextPaymentAttempt: null,
      },
    });
    const legacy = { ...invoice({ id: 'in_2', customer: 'cus_Alice', subscription: null, status: 'open', created: T }), subscription: 'sub_1Alice' };
    expect(translate(stripeEvent('invoice.payment_failed', legacy, { created: T }))).toMatchObject({
      outcome: 'payment_failed',
      userHint: null,
      invoice: { subscriptionId: 'sub_1Alice', paidAt: null, amountPaid: 0 },
    });
  });

  it('ignores metadata that does not hold a user id', () => {
    const tampered = { ...subscription(sub), metadata: { [USER_METADATA_KEY]: 'user alice; drop' } };
    expect(translate(stripeEvent('customer.subscription.updated', tampered, { created: T }))).toMatchObject({ userHint: null });
  });

  it('acknowledges other types without reading them', () => {
    expect(translate(stripeEvent('charge.refunded', { id: 'ch_1', object: 'charge' }, { created: T }))).toEqual({ kind: 'ignored', reason: 'unhandled-type' });
  });

  it.each([
    ['a customer id outside the Stripe alphabet', { customer: 'cus_../x' }, 'data.object.customer', 'malformed'],
    ['a fractional created', { created: 1.5 }, 'data.object.created', 'malformed'],
    ['a missing items list', { items: null }, 'data.object.items', 'missing'],
    ['no status at all', { status: undefined }, 'data.object.status', 'missing'],
    ['a non-boolean cancel_at_period_end', { cancel_at_period_end: 'no' }, 'data.object.cancel_at_period_end', 'malformed'],
  ])('refuses a handled event with %s, naming the member and whether it is missing or malformed', (_label, override, path, problem) => {
    const broken = { ...subscription(sub), ...override };
    let thrown: unknown;
    try {
      translate(stripeEvent('customer.subscription.updated', broken, { created: T }));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StripePayloadError);
    expect(thrown).toMatchObject({ path, problem });
    // The message names the member and its expected form, never the value found.
    expect((thrown as Error).message.startsWith(`Stripe payload member ${path} is ${problem} (expected `)).toBe(true);
    expect((thrown as Error).message).not.toContain('cus_../x');
  });
});
