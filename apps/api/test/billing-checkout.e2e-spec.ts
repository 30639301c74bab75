import { billingEnv, deliver, SECRET_KEY } from '../../../test/stripe/billing-test-support';
import { checkoutSession, invoice, stripeEvent, stripeTestId, subscription } from '../../../test/stripe/stripe-payloads';
import { startStripeStandIn, type StripeStandIn } from '../../../test/stripe/stripe-stand-in';
import { bootApp, type BootedApp } from './app-boot';

const NOW = () => Math.floor(Date.now() / 1000);
const MONTH = 30 * 24 * 3600;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('billing: Checkout and plan entitlements (e2e)', () => {
  let stripe: StripeStandIn;
  let booted: BootedApp;

  beforeAll(async () => {
    stripe = await startStripeStandIn({ secretKey: SECRET_KEY });
    booted = await bootApp(billingEnv(stripe.url));
  });
  afterAll(async () => {
    await booted.close();
    await stripe.close();
  });

  async function call(user: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${booted.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${booted.token(user)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
  }

  const createDocument = (user: string, n: number) => call(user, 'POST', '/v1/documents', { title: `doc ${n}`, body: 'text' });

  describe('POST /v1/billing/checkout-sessions', () => {
    it('creates a subscription Checkout Session through Stripe and answers { url, id } 201', async () => {
      const before = stripe.requests.length;
      const answer = await call('user_cohana', 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_pro' }, { 'idempotency-key': 'checkout-hana-1' });
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({ id: expect.stringMatching(/^cs_test_/), url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/) });
      expect(stripe.violations).toEqual([]);

      const [request] = stripe.requests.slice(before);
      expect(request.path).toBe('/v1/checkout/sessions');
      expect(request.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
      expect(request.headers['idempotency-key']).toMatch(/^checkout-[0-9a-f]{64}$/);
      expect(Object.fromEntries(request.form)).toMatchObject({
        mode: 'subscription',
        'line_items[0][price]': 'price_pro',
        'line_items[0][quantity]': '1',
        client_reference_id: 'user_cohana',
        success_url: 'http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}',
        cancel_url: 'http://localhost:3000/billing/canceled',
        'metadata[ledgerline_user_id]': 'user_cohana',
        'subscription_data[metadata][ledgerline_user_id]': 'user_cohana',
      });
      expect(request.form.has('customer')).toBe(false);
    });

    it('answers a retry with the same Idempotency-Key with the first session, without a second Stripe call', async () => {
      const before = stripe.requests.length;
      const first = await call('user_coivan', 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_team' }, { 'idempotency-key': 'same-key' });
      const again = await call('user_coivan', 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_team' }, { 'idempotency-key': 'same-key' });
      expect(first.status).toBe(201);
      expect(again).toEqual(first);
      expect(stripe.requests.length - before).toBe(1);
    });

    it('scopes the Stripe idempotency key to the caller', async () => {
      const before = stripe.requests.length;
      const a = await call('user_cojoy', 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_pro' }, { 'idempotency-key': 'shared-key' });
      const b = await call('user_cokim', 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_pro' }, { 'idempotency-key': 'shared-key' });
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(a.body.id).not.toBe(b.body.id);
      const keys = stripe.requests.slice(before).map((r) => r.headers['idempotency-key']);
      expect(new Set(keys).size).toBe(2);
    });

    it('uses a fresh Stripe idempotency key per request without an Idempotency-Key header', async () => {
      const before = stripe.requests.length;
      await call('user_colee', 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_pro' });
      await call('user_colee', 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_pro' });
      const keys = stripe.requests.slice(before).map((r) => r.headers['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(keys[0]).not.toBe(keys[1]);
    });

    it.each([
      ['an unknown price', { priceId: 'price_unknown' }],
      ['a missing priceId', {}],
      ['an unknown member', { priceId: 'price_pro', quantity: 3 }],
      ['a priceId of the wrong type', { priceId: 42 }],
      ['an oversized priceId', { priceId: `price_${'x'.repeat(300)}` }],
      ['an inherited property name', { priceId: 'toString' }],
    ])('refuses %s with 400 and calls Stripe for nothing', async (_label, body) => {
      const before = stripe.requests.length;
      const answer = await call('user_comia', 'POST', '/v1/billing/checkout-sessions', body);
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ status: 400, type: 'https://ledgerline.dev/problems/validation-failed' });
      expect(stripe.requests.length).toBe(before);
    });

    it('needs a signed-in user', async () => {
      const response = await fetch(`${booted.baseUrl}/v1/billing/checkout-sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ priceId: 'price_pro' }),
      });
      expect(response.status).toBe(401);
    });
  });

  describe('GET /v1/billing/subscription', () => {
    it('answers the free plan without a subscription', async () => {
      expect(await call('user_conone', 'GET', '/v1/billing/subscription')).toEqual({
        status: 200,
        body: { plan: 'free', status: null, currentPeriodEnd: null, cancelAtPeriodEnd: false, subscriptionId: null, priceId: null },
      });
    });
  });

  it('lifts the free-plan document quota after a completed Checkout and restores it when the subscription is deleted', async () => {
    const user = 'user_coflow';
    for (let n = 1; n <= 10; n++) expect((await createDocument(user, n)).status).toBe(201);
    expect(await createDocument(user, 11)).toMatchObject({ status: 403, body: { type: 'https://ledgerline.dev/problems/quota-exceeded' } });

    const checkout = await call(user, 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_pro' });
    expect(checkout.status).toBe(201);

    // What Stripe sends once the buyer has paid.
    const t = NOW() - 60;
    const customer = stripeTestId('cus');
    const sub = stripeTestId('sub');
    const state = { id: sub, customer, priceId: 'price_pro', created: t, periodStart: t, periodEnd: t + MONTH, userId: user };
    const deliveries = [
      stripeEvent('checkout.session.completed', checkoutSession({ id: String(checkout.body.id), customer, clientReferenceId: user, subscription: sub, created: t }), { created: t + 2 }),
      stripeEvent('customer.subscription.created', subscription({ ...state, status: 'incomplete' }), { created: t }),
      stripeEvent('customer.subscription.updated', subscription({ ...state, status: 'active' }), { created: t + 1 }),
      stripeEvent('invoice.paid', invoice({ id: stripeTestId('in'), customer, subscription: sub, status: 'paid', created: t + 1, userId: user }), { created: t + 1 }),
    ];
    for (const event of deliveries) expect(await deliver(booted.baseUrl, event)).toMatchObject({ status: 200, body: { outcome: 'applied' } });

    expect(await call(user, 'GET', '/v1/billing/subscription')).toEqual({
      status: 200,
      body: { plan: 'pro', status: 'active', currentPeriodEnd: new Date((t + MONTH) * 1000).toISOString(), cancelAtPeriodEnd: false, subscriptionId: sub, priceId: 'price_pro' },
    });
    expect((await call(user, 'GET', '/v1/me')).body).toMatchObject({ plan: 'pro' });
    expect((await createDocument(user, 11)).status).toBe(201);
    expect((await createDocument(user, 12)).status).toBe(201);

    // A second checkout while subscribed would bill twice.
    expect(await call(user, 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_team' })).toMatchObject({
      status: 409,
      body: { type: 'https://ledgerline.dev/problems/already-subscribed' },
    });

    const ended = t + 120;
    const deleted = stripeEvent('customer.subscription.deleted', subscription({ ...state, status: 'canceled', canceledAt: ended, endedAt: ended }), { created: ended });
    expect(await deliver(booted.baseUrl, deleted)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
    expect((await call(user, 'GET', '/v1/billing/subscription')).body).toMatchObject({ plan: 'free', status: 'canceled' });
    expect((await call(user, 'GET', '/v1/me')).body).toMatchObject({ plan: 'free' });
    expect(await createDocument(user, 13)).toMatchObject({ status: 403, body: { type: 'https://ledgerline.dev/problems/quota-exceeded' } });

    // Subscribing again reuses the Stripe customer the first checkout created.
    const before = stripe.requests.length;
    expect((await call(user, 'POST', '/v1/billing/checkout-sessions', { priceId: 'price_pro' })).status).toBe(201);
    expect(stripe.requests[before].form.get('customer')).toBe(customer);
  });

  it('keeps a past_due plan while its period runs, and drops an unpaid one past its period end', async () => {
    const user = 'user_copastdue';
    const t = NOW() - 2 * MONTH;
    const customer = stripeTestId('cus');
    const sub = stripeTestId('sub');
    const base = { id: sub, customer, priceId: 'price_pro', created: t, userId: user };
    await deliver(booted.baseUrl, stripeEvent('checkout.session.completed', checkoutSession({ id: stripeTestId('cs_test'), customer, clientReferenceId: user, subscription: sub, created: t }), { created: t }));
    // Renewal failed, period still running: paid plan.
    const running = { periodStart: NOW() - 100, periodEnd: NOW() + 3600 };
    await deliver(booted.baseUrl, stripeEvent('customer.subscription.updated', subscription({ ...base, ...running, status: 'past_due' }), { created: NOW() - 100 }));
    expect((await call(user, 'GET', '/v1/billing/subscription')).body).toMatchObject({ plan: 'pro', status: 'past_due' });

    const other = 'user_colapsed';
    const lapsedCustomer = stripeTestId('cus');
    await deliver(booted.baseUrl, stripeEvent('checkout.session.completed', checkoutSession({ id: stripeTestId('cs_test'), customer: lapsedCustomer, clientReferenceId: other, subscription: null, created: t }), { created: t }));
    const lapsed = { id: stripeTestId('sub'), customer: lapsedCustomer, priceId: 'price_pro', created: t, userId: other, periodStart: t, periodEnd: NOW() - 10 };
    await deliver(booted.baseUrl, stripeEvent('customer.subscription.updated', subscription({ ...lapsed, status: 'unpaid' }), { created: NOW() - 5 }));
    expect((await call(other, 'GET', '/v1/billing/subscription')).body).toMatchObject({ plan: 'free', status: 'unpaid' });
  });
});
