import fc from 'fast-check';
import { isBillingEvent, type BillingEvent } from '@ledgerline/domain';
import { billingEnv, deliver, readStream } from '../../../test/stripe/billing-test-support';
import { checkoutSession, invoice, stripeEvent, stripeTestId, subscription } from '../../../test/stripe/stripe-payloads';
import { startStripeStandIn, type StripeStandIn } from '../../../test/stripe/stripe-stand-in';
import { bootApp, type BootedApp } from './app-boot';

const DAY = 24 * 3600;
const MONTH = 30 * DAY;

type Renewal = 'paid' | 'recovered' | 'lost';
interface Story {
  renewals: Renewal[];
  canceled: boolean;
}

type Json = Record<string, unknown>;

/**
 * The Stripe events of one subscription's life for `userId`, in the order Stripe created them,
 * ending near now: checkout (incomplete → active in the same second), renewals paid at once, after
 * a failed attempt, or never (unpaid), and an optional cancellation.
 */
function stripeSeries(userId: string, story: Story): Json[] {
  const now = Math.floor(Date.now() / 1000);
  const t0 = now - (story.renewals.length + 1) * MONTH + DAY;
  const customer = stripeTestId('cus');
  const sub = stripeTestId('sub');
  const events: Json[] = [];
  const state = (status: string, start: number, extra: Partial<Parameters<typeof subscription>[0]> = {}) =>
    subscription({ id: sub, customer, priceId: 'price_pro', created: t0, periodStart: start, periodEnd: start + MONTH, userId, status, ...extra });
  const bill = (id: string, paid: boolean, at: number, attemptCount: number, period: number) =>
    events.push(
      stripeEvent(paid ? 'invoice.paid' : 'invoice.payment_failed', invoice({ id, customer, subscription: sub, status: paid ? 'paid' : 'open', created: period, attemptCount, periodStart: period, periodEnd: period, paidAt: at, userId }), { created: at }),
    );

  events.push(stripeEvent('customer.subscription.created', state('incomplete', t0), { created: t0 }));
  events.push(stripeEvent('checkout.session.completed', checkoutSession({ id: stripeTestId('cs_test'), customer, clientReferenceId: userId, subscription: sub, created: t0 }), { created: t0 + 1 }));
  bill(stripeTestId('in'), true, t0, 1, t0);
  events.push(stripeEvent('customer.subscription.updated', state('active', t0), { created: t0 }));
  let start = t0;
  let status = 'active';
  for (const renewal of story.renewals) {
    start += MONTH;
    const invoiceId = stripeTestId('in');
    bill(invoiceId, renewal === 'paid', start, 1, start);
    status = renewal === 'paid' ? 'active' : 'past_due';
    events.push(stripeEvent('customer.subscription.updated', state(status, start), { created: start }));
    if (renewal === 'paid') continue;
    bill(invoiceId, renewal === 'recovered', start + 3 * DAY, 2, start);
    status = renewal === 'recovered' ? 'active' : 'unpaid';
    events.push(stripeEvent('customer.subscription.updated', state(status, start), { created: start + 3 * DAY }));
  }
  if (story.canceled) {
    const at = Math.min(start + 4 * DAY, now - 60);
    events.push(stripeEvent('customer.subscription.updated', state(status, start, { cancelAtPeriodEnd: true }), { created: at - 1 }));
    events.push(stripeEvent('customer.subscription.deleted', state('canceled', start, { cancelAtPeriodEnd: true, canceledAt: at, endedAt: at }), { created: at }));
  }
  return events;
}

/** What Stripe last said of the subscription and of each invoice, in creation order. */
function lastWords(events: Json[]) {
  const invoices = new Map<string, string>();
  let last: Json | undefined;
  for (const event of events) {
    const object = (event.data as { object: Json }).object;
    if (object.object === 'subscription') last = object;
    if (object.object === 'invoice') invoices.set(String(object.id), String(event.type));
  }
  return { status: last!.status, cancelAtPeriodEnd: last!.cancel_at_period_end, invoices };
}

/** The same, from what the billing stream holds after the deliveries. */
function fromStream(events: BillingEvent[]) {
  const invoices = new Map<string, string>();
  let last: { status: string; cancelAtPeriodEnd: boolean } | undefined;
  for (const event of events) {
    if (event.type === 'InvoicePaid' || event.type === 'InvoicePaymentFailed') {
      invoices.set(event.data.invoice.invoiceId, event.type === 'InvoicePaid' ? 'invoice.paid' : 'invoice.payment_failed');
    }
    if (event.type === 'SubscriptionStarted' || event.type === 'SubscriptionUpdated' || event.type === 'SubscriptionEnded') {
      last = { status: event.data.subscription.status, cancelAtPeriodEnd: event.data.subscription.cancelAtPeriodEnd };
    }
  }
  return { status: last?.status, cancelAtPeriodEnd: last?.cancelAtPeriodEnd, invoices };
}

describe('billing under shuffled, repeated and concurrent Stripe deliveries (e2e)', () => {
  let stripe: StripeStandIn;
  let booted: BootedApp;
  let run = 0;

  beforeAll(async () => {
    stripe = await startStripeStandIn({ secretKey: 'sk_unused' });
    booted = await bootApp(billingEnv(stripe.url));
  });
  afterAll(async () => {
    await booted.close();
    await stripe.close();
  });

  it("ends in Stripe's last word whatever order the deliveries come in", async () => {
    const story = fc.record({ renewals: fc.array(fc.constantFrom<Renewal>('paid', 'recovered', 'lost'), { maxLength: 3 }), canceled: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(
        story,
        fc.infiniteStream(fc.nat()),
        fc.integer({ min: 1, max: 3 }),
        async (s, randomness, parallel) => {
          const userId = `user_ord${++run}`;
          const inOrder = stripeSeries(userId, s);
          // Every event once, some twice (Stripe retries), in a random order.
          const deliveries = [...inOrder, ...inOrder.filter(() => randomness.next().value % 3 === 0)];
          for (let i = deliveries.length - 1; i > 0; i--) {
            const j = randomness.next().value % (i + 1);
            [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
          }
          for (let i = 0; i < deliveries.length; i += parallel) {
            const answers = await Promise.all(deliveries.slice(i, i + parallel).map((event) => deliver(booted.baseUrl, event)));
            expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
          }

          const stored = (await readStream(booted.app, `billing-${userId}`)).filter(isBillingEvent) as unknown as BillingEvent[];
          expect(fromStream(stored)).toEqual(lastWords(inOrder));
          // Each Stripe event took effect at most once.
          const causes = stored.map((e) => e.data.stripeEventId);
          expect(new Set(causes).size).toBe(causes.length);

          const view = (await (await fetch(`${booted.baseUrl}/v1/billing/subscription`, { headers: { authorization: `Bearer ${booted.token(userId)}` } })).json()) as Json;
          expect(view.status).toBe(lastWords(inOrder).status);
          // The last period runs until a day from now: even an unpaid subscription keeps its plan until then.
          expect(view.plan).toBe(s.canceled ? 'free' : 'pro');
        },
      ),
      { numRuns: 12 },
    );
  });
});
