import type { LedgerWriter } from '@ledgerline/ledger';
import { jwksKeyMap, verifyChain, type Jwks } from '@ledgerline/integrity';
import { LEDGER_WRITER } from '../src/platform/ledger/ledger.tokens';
import { flushSecurityEvents, securityIncidents } from '../../../test/security/support/auth-client';
import { billingEnv, deliver, postWebhook, readStream, WEBHOOK_SECRET } from '../../../test/stripe/billing-test-support';
import { checkoutSession, invoice, signedDelivery, stripeEvent, stripeTestId, subscription } from '../../../test/stripe/stripe-payloads';
import { startStripeStandIn, type StripeStandIn } from '../../../test/stripe/stripe-stand-in';
import { bootApp, type BootedApp } from './app-boot';

const T0 = Math.floor(Date.now() / 1000) - 3600;
const MONTH = 30 * 24 * 3600;

/** One user's Stripe objects, with fresh ids per test so tests do not share streams. */
function customerOf(userId: string) {
  const customer = stripeTestId('cus');
  const sub = stripeTestId('sub');
  const base = { id: sub, customer, priceId: 'price_pro', created: T0, periodStart: T0, periodEnd: T0 + MONTH, userId };
  return {
    customer,
    sub,
    checkoutCompleted: (created = T0 + 5) =>
      stripeEvent('checkout.session.completed', checkoutSession({ id: stripeTestId('cs_test'), customer, clientReferenceId: userId, subscription: sub, created: T0 }), { created }),
    subscriptionEvent: (type: 'created' | 'updated' | 'deleted', status: string, created: number, extra: Partial<Parameters<typeof subscription>[0]> = {}) =>
      stripeEvent(`customer.subscription.${type}`, subscription({ ...base, status, ...extra }), { created }),
    invoicePaid: (created: number) =>
      stripeEvent('invoice.paid', invoice({ id: stripeTestId('in'), customer, subscription: sub, status: 'paid', created, userId }), { created }),
  };
}

const ACTOR = (eventId: string) => ({ kind: 'webhook', id: 'stripe', ref: eventId });

describe('POST /webhooks/stripe (e2e)', () => {
  let stripe: StripeStandIn;
  let booted: BootedApp;

  beforeAll(async () => {
    stripe = await startStripeStandIn({ secretKey: 'sk_unused' });
    booted = await bootApp(billingEnv(stripe.url));
  });
  afterAll(async () => {
    await booted.close();
    await stripe.close();
  });

  describe('a valid delivery', () => {
    it('links the customer from checkout, with the Stripe event as actor, claim and outcome recorded', async () => {
      const alice = customerOf('user_whalice');
      const event = alice.checkoutCompleted();
      const answer = await deliver(booted.baseUrl, event);
      expect(answer).toMatchObject({ status: 200, body: { received: true, outcome: 'applied' } });

      const billing = await readStream(booted.app, 'billing-user_whalice');
      expect(billing.map((e) => e.type)).toEqual(['StripeCustomerLinked']);
      expect(billing[0].data).toMatchObject({ userId: 'user_whalice', customerId: alice.customer, subscriptionId: alice.sub, stripeEventId: event.id });
      expect(billing[0].metadata.actor).toEqual(ACTOR(String(event.id)));

      const claim = await readStream(booted.app, `stripe-event-${String(event.id)}`);
      expect(claim.map((e) => [e.type, e.data])).toEqual([
        ['StripeEventReceived', { id: event.id, type: 'checkout.session.completed', created: event.created }],
        ['StripeEventApplied', { id: event.id, outcome: 'applied', userId: 'user_whalice' }],
      ]);
      expect((await readStream(booted.app, `stripe-customer-${alice.customer}`)).map((e) => e.data.userId)).toEqual(['user_whalice']);
      // Every event a delivery causes shares a causation id derived from the Stripe event id.
      expect(new Set([...billing, ...claim].map((e) => e.metadata.$causationId)).size).toBe(1);
    });

    it('records an unhandled type by id and type only, and acknowledges it', async () => {
      const event = stripeEvent('customer.created', { id: stripeTestId('cus'), object: 'customer', email: 'someone@example.test' }, { created: T0 });
      expect(await deliver(booted.baseUrl, event)).toMatchObject({ status: 200, body: { outcome: 'ignored' } });
      const stored = await readStream(booted.app, `stripe-event-${String(event.id)}`);
      expect(stored.map((e) => [e.type, e.data])).toEqual([
        ['StripeEventReceived', { id: event.id, type: 'customer.created', created: T0 }],
        ['StripeEventApplied', { id: event.id, outcome: 'ignored', reason: 'unhandled-type' }],
      ]);
      expect(JSON.stringify(stored.map((e) => [e.data, e.metadata]))).not.toContain('someone@example.test');
    });

    it('finds the user of an event that overtakes checkout through the subscription metadata our checkout set', async () => {
      const early = customerOf('user_whearly');
      expect(await deliver(booted.baseUrl, early.subscriptionEvent('created', 'active', T0))).toMatchObject({ status: 200, body: { outcome: 'applied' } });
      expect((await readStream(booted.app, 'billing-user_whearly')).map((e) => e.type)).toEqual(['SubscriptionStarted']);
    });

    it('never moves a linked customer to another user', async () => {
      const owner = customerOf('user_whowner');
      await deliver(booted.baseUrl, owner.checkoutCompleted());
      const hijack = stripeEvent(
        'checkout.session.completed',
        checkoutSession({ id: stripeTestId('cs_test'), customer: owner.customer, clientReferenceId: 'user_whhijack', subscription: null, created: T0 }),
        { created: T0 + 50 },
      );
      expect(await deliver(booted.baseUrl, hijack)).toMatchObject({ status: 200, body: { outcome: 'customer-linked-elsewhere' } });
      expect(await readStream(booted.app, 'billing-user_whhijack')).toEqual([]);
      expect((await readStream(booted.app, `stripe-customer-${owner.customer}`)).map((e) => e.data.userId)).toEqual(['user_whowner']);
    });

    it('acknowledges a subscription event for a customer nobody linked, as unlinked', async () => {
      const stranger = customerOf('user_whnobody');
      const event = stripeEvent('customer.subscription.updated', subscription({ id: stranger.sub, customer: stranger.customer, status: 'active', priceId: 'price_pro', created: T0, periodStart: T0, periodEnd: T0 + MONTH, userId: null }), { created: T0 });
      expect(await deliver(booted.baseUrl, event)).toMatchObject({ status: 200, body: { outcome: 'unlinked' } });
    });

    it('answers an event it cannot read 422 and logs which member was missing or malformed, never the payload', async () => {
      const erin = customerOf('user_wherin');
      const body = subscription({ id: erin.sub, customer: erin.customer, status: 'active', priceId: 'price_pro', created: T0, periodStart: T0, periodEnd: T0 + MONTH, userId: null });
      const canary = 'Canary Description 7731';
      const missing = stripeEvent('customer.subscription.updated', { ...body, status: null, description: canary }, { created: T0 });
      const answer = await deliver(booted.baseUrl, missing);
      expect(answer).toMatchObject({ status: 422, body: { type: expect.stringContaining('stripe-event-unreadable'), detail: expect.stringContaining('data.object.status is missing') } });
      const malformed = stripeEvent('customer.subscription.updated', { ...body, created: 'yesterday', description: canary }, { created: T0 });
      expect((await deliver(booted.baseUrl, malformed)).status).toBe(422);

      const lines = booted.logs().split('\n').filter((line) => line.includes('verified Stripe event not applied'));
      expect(lines.map((line) => JSON.parse(line))).toEqual([
        expect.objectContaining({ stripeEventId: missing.id, member: 'data.object.status', problem: 'missing', expected: expect.any(String) }),
        expect.objectContaining({ stripeEventId: malformed.id, member: 'data.object.created', problem: 'malformed', expected: 'an integer ≥ 0' }),
      ]);
      expect(booted.logs()).not.toContain(canary);
      expect(booted.logs()).not.toContain('yesterday');
    });
  });

  describe('exactly once', () => {
    it('answers a replayed delivery (same bytes, same signature) 200 with no second effect', async () => {
      const bob = customerOf('user_whbob');
      const { body, headers } = signedDelivery(bob.checkoutCompleted(), WEBHOOK_SECRET);
      expect(await postWebhook(booted.baseUrl, body, headers)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
      expect(await postWebhook(booted.baseUrl, body, headers)).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
      expect(await readStream(booted.app, 'billing-user_whbob')).toHaveLength(1);
    });

    it('applies one of 20 concurrent copies of an event, and answers every copy 200', async () => {
      const carol = customerOf('user_whcarol');
      await deliver(booted.baseUrl, carol.checkoutCompleted());
      const event = carol.subscriptionEvent('created', 'active', T0 + 10);
      // Each copy is signed separately, as Stripe signs each delivery attempt.
      const answers = await Promise.all(Array.from({ length: 20 }, () => deliver(booted.baseUrl, event)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(answers.filter((a) => a.body?.outcome === 'applied').length).toBeGreaterThanOrEqual(1);
      expect(answers.every((a) => a.body?.outcome === 'applied' || a.body?.outcome === 'duplicate')).toBe(true);

      const billing = await readStream(booted.app, 'billing-user_whcarol');
      expect(billing.map((e) => e.type)).toEqual(['StripeCustomerLinked', 'SubscriptionStarted']);
      expect((await readStream(booted.app, `stripe-event-${String(event.id)}`)).map((e) => e.type)).toEqual(['StripeEventReceived', 'StripeEventApplied']);
    });

    /** Fault injection on the real writer: the first append matching `fails` throws, every other append goes through. */
    function failOnce(fails: (stream: string, types: string[]) => boolean): () => void {
      const writer = booted.app.get<LedgerWriter>(LEDGER_WRITER);
      const append = writer.append.bind(writer);
      let failed = false;
      const spy = jest.spyOn(writer, 'append').mockImplementation(async (stream, events, expected, context) => {
        if (!failed && fails(stream, events.map((e) => e.type))) {
          failed = true;
          throw new Error('disk full');
        }
        return append(stream, events, expected, context);
      });
      return () => spy.mockRestore();
    }

    it('answers 5xx when applying fails after the claim, and applies cleanly on redelivery', async () => {
      const dave = customerOf('user_whdave');
      const event = dave.checkoutCompleted();
      const restore = failOnce((stream) => stream === 'billing-user_whdave');
      try {
        const failed = await deliver(booted.baseUrl, event);
        expect(failed.status).toBe(500);
        expect(JSON.stringify(failed.body)).not.toContain('disk full');
      } finally {
        restore();
      }
      expect((await readStream(booted.app, `stripe-event-${String(event.id)}`)).map((e) => e.type)).toEqual(['StripeEventReceived']);
      expect(await readStream(booted.app, 'billing-user_whdave')).toHaveLength(0);

      expect(await deliver(booted.baseUrl, event)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
      expect(await deliver(booted.baseUrl, event)).toMatchObject({ status: 200, body: { outcome: 'duplicate' } });
      expect((await readStream(booted.app, 'billing-user_whdave')).map((e) => e.type)).toEqual(['StripeCustomerLinked']);
    });

    it('completes a claim whose effect landed before the failure, without applying twice', async () => {
      const erin = customerOf('user_wherin');
      const event = erin.checkoutCompleted();
      const restore = failOnce((stream, types) => stream === `stripe-event-${String(event.id)}` && types[0] === 'StripeEventApplied');
      try {
        expect((await deliver(booted.baseUrl, event)).status).toBe(500);
      } finally {
        restore();
      }
      expect((await readStream(booted.app, 'billing-user_wherin')).map((e) => e.type)).toEqual(['StripeCustomerLinked']);

      expect(await deliver(booted.baseUrl, event)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
      expect((await readStream(booted.app, 'billing-user_wherin')).map((e) => e.type)).toEqual(['StripeCustomerLinked']);
      expect((await readStream(booted.app, `stripe-event-${String(event.id)}`)).map((e) => e.type)).toEqual(['StripeEventReceived', 'StripeEventApplied']);
    });
  });

  describe('out of order', () => {
    it('never lets an older subscription state overwrite a newer one', async () => {
      const frank = customerOf('user_whfrank');
      const token = booted.token('user_whfrank');
      await deliver(booted.baseUrl, frank.checkoutCompleted());
      const created = frank.subscriptionEvent('created', 'incomplete', T0);
      const updated = frank.subscriptionEvent('updated', 'active', T0);
      const paid = frank.invoicePaid(T0);
      expect(await deliver(booted.baseUrl, updated)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
      expect(await deliver(booted.baseUrl, paid)).toMatchObject({ status: 200, body: { outcome: 'applied' } });
      expect(await deliver(booted.baseUrl, created)).toMatchObject({ status: 200, body: { outcome: 'superseded' } });

      const view = await fetch(`${booted.baseUrl}/v1/billing/subscription`, { headers: { authorization: `Bearer ${token}` } });
      expect(view.status).toBe(200);
      expect(await view.json()).toEqual({
        plan: 'pro',
        status: 'active',
        currentPeriodEnd: new Date((T0 + MONTH) * 1000).toISOString(),
        cancelAtPeriodEnd: false,
        subscriptionId: frank.sub,
        priceId: 'price_pro',
      });
      expect((await readStream(booted.app, 'billing-user_whfrank')).map((e) => e.type)).toEqual(['StripeCustomerLinked', 'SubscriptionUpdated', 'InvoicePaid']);
    });
  });

  describe('refused deliveries: 400, a security event, nothing else stored', () => {
    async function expectRefused(answer: Promise<Awaited<ReturnType<typeof postWebhook>>>, reason: string, eventId?: string): Promise<void> {
      const { status, headers, body } = await answer;
      expect(status).toBe(400);
      expect(headers.get('content-type')).toContain('application/problem+json');
      expect(body).toMatchObject({ status: 400, type: `https://ledgerline.dev/problems/${reason}` });
      if (eventId !== undefined) expect(await readStream(booted.app, `stripe-event-${eventId}`)).toEqual([]);
    }

    it('refuses a stale signature (timestamp older than 300 s)', async () => {
      const event = customerOf('user_whstale').checkoutCompleted();
      await expectRefused(deliver(booted.baseUrl, event, { timestamp: Math.floor(Date.now() / 1000) - 301 }), 'webhook-signature-stale', String(event.id));
      expect(await readStream(booted.app, 'billing-user_whstale')).toEqual([]);
    });

    it('refuses a delivery signed with another secret (forged)', async () => {
      const event = customerOf('user_whforged').checkoutCompleted();
      await expectRefused(deliver(booted.baseUrl, event, { secret: 'whsec_attacker' }), 'webhook-signature-invalid', String(event.id));
    });

    it('refuses a body changed after signing', async () => {
      const event = customerOf('user_whtamper').checkoutCompleted();
      const { body, headers } = signedDelivery(event, WEBHOOK_SECRET);
      await expectRefused(postWebhook(booted.baseUrl, body.replace('user_whtamper', 'user_whmallory'), headers), 'webhook-signature-invalid', String(event.id));
    });

    it('refuses a delivery without Stripe-Signature', async () => {
      const event = customerOf('user_whnosig').checkoutCompleted();
      await expectRefused(postWebhook(booted.baseUrl, JSON.stringify(event), { 'content-type': 'application/json' }), 'webhook-signature-missing', String(event.id));
    });

    it('refuses a non-JSON body with a bad signature at the signature check, not the JSON parser', async () => {
      await expectRefused(
        postWebhook(booted.baseUrl, '{"id": "evt_x", oops', { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=deadbeef' }),
        'webhook-signature-invalid',
      );
    });

    it('refuses an empty body, signed or not', async () => {
      await expectRefused(postWebhook(booted.baseUrl, '', { 'stripe-signature': signedDelivery('', 'whsec_other').headers['stripe-signature'] }), 'webhook-signature-invalid');
      await expectRefused(postWebhook(booted.baseUrl, '', { 'stripe-signature': signedDelivery('', WEBHOOK_SECRET).headers['stripe-signature'] }), 'webhook-payload-malformed');
    });

    it('refuses malformed JSON even when it is signed correctly', async () => {
      for (const [body, contentType] of [
        ['{"id": "evt_x", oops', 'application/json'],
        ['not json at all', 'text/plain'],
        ['{"object":"event","id":"evt_1NoData","type":"invoice.paid","created":1}', 'application/json'],
      ]) {
        const { headers } = signedDelivery(body, WEBHOOK_SECRET);
        await expectRefused(postWebhook(booted.baseUrl, body, { ...headers, 'content-type': contentType }), 'webhook-payload-malformed');
      }
    });

    it('stores each refusal as a security event', async () => {
      await flushSecurityEvents(booted.app);
      const reasons = (await securityIncidents(booted.app)).filter((incident) => incident.category === 'webhook').map((incident) => incident.reason);
      expect(new Set(reasons)).toEqual(
        new Set(['webhook-signature-stale', 'webhook-signature-invalid', 'webhook-signature-missing', 'webhook-payload-malformed']),
      );
    });

    it('holds webhook bodies to a tighter limit than the global 256 KiB', async () => {
      const large = JSON.stringify({ id: 'evt_large', filler: 'x'.repeat(80 * 1024) });
      const { headers } = signedDelivery(large, WEBHOOK_SECRET);
      expect((await postWebhook(booted.baseUrl, large, headers)).status).toBe(413);
    });

    it('refuses a 2 MB body with 413 before reading it', async () => {
      const huge = JSON.stringify({ id: 'evt_huge', filler: 'x'.repeat(2 * 1024 * 1024) });
      const { headers } = signedDelivery(huge, WEBHOOK_SECRET);
      const answer = await postWebhook(booted.baseUrl, huge, headers);
      expect(answer.status).toBe(413);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    });
  });

  it('seals every billing event like any other: the stream verifies against the published keys', async () => {
    const gina = customerOf('user_whgina');
    for (const event of [gina.checkoutCompleted(), gina.subscriptionEvent('created', 'incomplete', T0), gina.subscriptionEvent('updated', 'active', T0 + 1), gina.invoicePaid(T0 + 1)]) {
      expect((await deliver(booted.baseUrl, event)).status).toBe(200);
    }
    const jwks = (await (await fetch(`${booted.baseUrl}/.well-known/jwks.json`)).json()) as Jwks;
    const billing = await readStream(booted.app, 'billing-user_whgina');
    expect(billing).toHaveLength(4);
    expect(verifyChain(billing, await jwksKeyMap(jwks))).toMatchObject({ ok: true, count: 4 });
    const tampered = billing.map((event, i) => (i === 2 ? { ...event, data: { ...event.data, subscription: { ...(event.data.subscription as object), status: 'canceled' } } } : event));
    expect(verifyChain(tampered, await jwksKeyMap(jwks))).toMatchObject({ ok: false, revision: 2 });
  });
});
