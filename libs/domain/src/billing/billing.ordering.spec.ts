import fc from 'fast-check';
import type { BillingCommand, StripeEventRef } from './billing.commands';
import { decideBilling, evolveBilling, initialBillingState, type BillingState } from './billing.decider';
import type { InvoiceSnapshot, SubscriptionSnapshot } from './billing.events';
import { isEntitling } from './billing.entitlement';
import { meta } from '../testing/fixtures';

const USER = 'user_alice';
const CUSTOMER = 'cus_alice';
const SUB = 'sub_alice';
const DAY = 24 * 3600;
const MONTH = 30 * DAY;
const T0 = 1_790_000_000;

/** How one renewal goes: paid at once, paid after a failed attempt, or never paid (unpaid). */
type Renewal = 'paid' | 'recovered' | 'lost';

interface Story {
  trial: boolean;
  renewals: Renewal[];
  canceled: boolean;
  /** Scrambles the event ids, so their order tells nothing about the events' order. */
  idSalt: number;
}

/**
 * The Stripe events of one realistic subscription life, in the order Stripe created them:
 * checkout (incomplete → active in the same second, or a trial), renewals with failed and retried
 * payments, and an optional cancellation. Same-second events are as Stripe stamps them.
 */
function series(story: Story): BillingCommand[] {
  const commands: BillingCommand[] = [];
  let n = 0;
  // An odd multiplier is a bijection on 32 bits: unique ids, in no particular order.
  const event = (type: string, created: number): StripeEventRef => ({
    id: `evt_${((Math.imul(++n, 0x9e3779b1) ^ story.idSalt) >>> 0).toString(36)}`,
    type,
    created,
  });
  const sub = (status: string, start: number, end: number, extra: Partial<SubscriptionSnapshot> = {}): SubscriptionSnapshot => ({
    subscriptionId: SUB,
    customerId: CUSTOMER,
    status,
    priceId: 'price_pro',
    created: T0,
    currentPeriodStart: start,
    currentPeriodEnd: end,
    cancelAtPeriodEnd: false,
    canceledAt: null,
    endedAt: null,
    ...extra,
  });
  const record = (change: 'created' | 'updated' | 'deleted', at: number, s: SubscriptionSnapshot) =>
    commands.push({ type: 'RecordSubscription', data: { userId: USER, change, subscription: s, stripeEvent: event(`customer.subscription.${change}`, at) }, metadata: meta });
  const invoice = (id: string, outcome: 'paid' | 'payment_failed', at: number, attemptCount: number, period: number) => {
    const snapshot: InvoiceSnapshot = {
      invoiceId: id,
      customerId: CUSTOMER,
      subscriptionId: SUB,
      status: outcome === 'paid' ? 'paid' : 'open',
      currency: 'eur',
      amountDue: 900,
      amountPaid: outcome === 'paid' ? 900 : 0,
      attemptCount,
      periodStart: period,
      periodEnd: period,
      paidAt: outcome === 'paid' ? at : null,
      nextPaymentAttempt: outcome === 'paid' ? null : at + 3 * DAY,
    };
    commands.push({ type: 'RecordInvoice', data: { userId: USER, outcome, invoice: snapshot, stripeEvent: event(`invoice.${outcome}`, at) }, metadata: meta });
  };

  let start = T0;
  let end = T0 + (story.trial ? 14 * DAY : MONTH);
  record('created', T0, sub(story.trial ? 'trialing' : 'incomplete', start, end));
  commands.push({
    type: 'LinkStripeCustomer',
    data: { userId: USER, customerId: CUSTOMER, checkoutSessionId: 'cs_alice', subscriptionId: SUB, stripeEvent: event('checkout.session.completed', T0 + 1) },
    metadata: meta,
  });
  if (!story.trial) {
    invoice('in_000', 'paid', T0, 1, T0);
    record('updated', T0, sub('active', start, end));
  }
  let status = story.trial ? 'trialing' : 'active';
  for (const [k, renewal] of story.renewals.entries()) {
    start = end;
    end = start + MONTH;
    const id = `in_${String(k + 1).padStart(3, '0')}`;
    if (renewal === 'paid') {
      invoice(id, 'paid', start, 1, start);
      record('updated', start, sub((status = 'active'), start, end));
      continue;
    }
    invoice(id, 'payment_failed', start, 1, start);
    record('updated', start, sub((status = 'past_due'), start, end));
    if (renewal === 'recovered') {
      invoice(id, 'paid', start + 3 * DAY, 2, start);
      record('updated', start + 3 * DAY, sub((status = 'active'), start, end));
    } else {
      invoice(id, 'payment_failed', start + 3 * DAY, 2, start);
      record('updated', start + 7 * DAY, sub((status = 'unpaid'), start, end));
    }
  }
  if (story.canceled) {
    const at = end - DAY;
    record('updated', at - DAY, sub(status, start, end, { cancelAtPeriodEnd: true }));
    record('deleted', at, sub('canceled', start, end, { cancelAtPeriodEnd: true, canceledAt: at, endedAt: at }));
  }
  return commands;
}

/** What a handler does per delivery: decide against the current state, then fold what was decided. */
function deliver(commands: Iterable<BillingCommand>): BillingState {
  let state = initialBillingState();
  for (const command of commands) state = decideBilling(command, state).reduce(evolveBilling, state);
  return state;
}

/** The state that matters for entitlement and audit (which event ids were applied may differ with order). */
function observable(state: BillingState) {
  return {
    userId: state.userId,
    customer: state.customer?.customerId ?? null,
    subscriptions: new Map([...state.subscriptions].map(([id, v]) => [id, v.subscription])),
    invoices: new Map([...state.invoices].map(([id, v]) => [id, v.invoice])),
  };
}

/** The truth: what Stripe last said about each object, taking the series in the order Stripe created it. */
function lastWords(commands: BillingCommand[]): ReturnType<typeof observable> {
  const truth: ReturnType<typeof observable> = { userId: USER, customer: null, subscriptions: new Map(), invoices: new Map() };
  for (const command of commands) {
    if (command.type === 'LinkStripeCustomer') truth.customer = command.data.customerId;
    if (command.type === 'RecordSubscription') truth.subscriptions.set(command.data.subscription.subscriptionId, command.data.subscription);
    if (command.type === 'RecordInvoice') truth.invoices.set(command.data.invoice.invoiceId, command.data.invoice);
  }
  return truth;
}

const story: fc.Arbitrary<Story> = fc.record({
  trial: fc.boolean(),
  renewals: fc.array(fc.constantFrom<Renewal>('paid', 'recovered', 'lost'), { maxLength: 4 }),
  canceled: fc.boolean(),
  idSalt: fc.integer(),
});

/** A delivery order: every event at least once, some twice (Stripe retries), shuffled. */
function deliveries(commands: BillingCommand[]): fc.Arbitrary<BillingCommand[]> {
  return fc
    .tuple(fc.shuffledSubarray(commands, { minLength: commands.length, maxLength: commands.length }), fc.subarray(commands))
    .chain(([all, again]) => fc.shuffledSubarray([...all, ...again], { minLength: all.length + again.length, maxLength: all.length + again.length }));
}

describe('billing under out-of-order and repeated delivery', () => {
  it("ends in Stripe's last word on every object whatever the delivery order, duplicates included", () => {
    fc.assert(
      fc.property(
        story.chain((s) => {
          const commands = series(s);
          return fc.tuple(fc.constant(commands), deliveries(commands));
        }),
        ([inOrder, shuffled]) => {
          const truth = lastWords(inOrder);
          expect(observable(deliver(inOrder))).toEqual(truth);
          expect(observable(deliver(shuffled))).toEqual(truth);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('in order, ends where the story does', () => {
    const at = (state: BillingState, now: number) => {
      const s = state.subscriptions.get(SUB)!.subscription;
      return { status: s.status, entitled: isEntitling(s, now) };
    };
    const canceled = deliver(series({ trial: false, renewals: ['paid', 'recovered'], canceled: true, idSalt: 0 }));
    expect(at(canceled, T0 + 2 * MONTH)).toEqual({ status: 'canceled', entitled: false });
    expect(canceled.invoices.get('in_002')?.outcome).toBe('paid');

    const lost = deliver(series({ trial: true, renewals: ['lost'], canceled: false, idSalt: 0 }));
    const periodEnd = lost.subscriptions.get(SUB)!.subscription.currentPeriodEnd!;
    expect(at(lost, periodEnd - 1)).toEqual({ status: 'unpaid', entitled: true });
    expect(at(lost, periodEnd)).toEqual({ status: 'unpaid', entitled: false });
  });

  it('applies each Stripe event at most once', () => {
    const commands = series({ trial: false, renewals: ['recovered'], canceled: true, idSalt: 7 });
    let state = initialBillingState();
    let emitted = 0;
    for (const command of [...commands, ...commands]) {
      const events = decideBilling(command, state);
      emitted += events.length;
      state = events.reduce(evolveBilling, state);
    }
    expect(emitted).toBe(commands.length);
    expect(state.appliedStripeEvents.size).toBe(commands.length);
  });
});
