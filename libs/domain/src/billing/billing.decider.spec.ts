import type { BillingCommand, StripeEventRef } from './billing.commands';
import { billingDecider, initialBillingState, type BillingState } from './billing.decider';
import { billingStreamName, isBillingEvent, type BillingEvent, type InvoiceSnapshot, type SubscriptionSnapshot } from './billing.events';
import { deciderSpec, rejected } from '../testing/decider-spec';
import { meta } from '../testing/fixtures';

const given = deciderSpec(billingDecider);
const USER = 'user_alice';
const CUSTOMER = 'cus_Q1alice';
const SUB = 'sub_1alice';
const T0 = 1_790_000_000;
const MONTH = 30 * 24 * 3600;

const ref = (id: string, created: number, type = 'customer.subscription.updated'): StripeEventRef => ({ id, type, created });
const snapshot = (overrides: Partial<SubscriptionSnapshot> = {}): SubscriptionSnapshot => ({
  subscriptionId: SUB,
  customerId: CUSTOMER,
  status: 'active',
  priceId: 'price_pro',
  created: T0,
  currentPeriodStart: T0,
  currentPeriodEnd: T0 + MONTH,
  cancelAtPeriodEnd: false,
  canceledAt: null,
  endedAt: null,
  ...overrides,
});
const invoice = (overrides: Partial<InvoiceSnapshot> = {}): InvoiceSnapshot => ({
  invoiceId: 'in_1',
  customerId: CUSTOMER,
  subscriptionId: SUB,
  status: 'paid',
  currency: 'eur',
  amountDue: 900,
  amountPaid: 900,
  attemptCount: 1,
  periodStart: T0,
  periodEnd: T0,
  paidAt: T0,
  nextPaymentAttempt: null,
  ...overrides,
});

const link = (stripeEvent: StripeEventRef, customerId = CUSTOMER, userId = USER): BillingCommand => ({
  type: 'LinkStripeCustomer',
  data: { userId, customerId, checkoutSessionId: 'cs_test_1', subscriptionId: SUB, stripeEvent },
  metadata: meta,
});
const subscription = (change: 'created' | 'updated' | 'deleted', stripeEvent: StripeEventRef, s: SubscriptionSnapshot): BillingCommand => ({
  type: 'RecordSubscription',
  data: { userId: USER, change, subscription: s, stripeEvent },
  metadata: meta,
});
const invoiceCommand = (outcome: 'paid' | 'payment_failed', stripeEvent: StripeEventRef, i: InvoiceSnapshot): BillingCommand => ({
  type: 'RecordInvoice',
  data: { userId: USER, outcome, invoice: i, stripeEvent },
  metadata: meta,
});

const linked = (stripeEvent: StripeEventRef, customerId = CUSTOMER): BillingEvent => ({
  type: 'StripeCustomerLinked',
  data: { userId: USER, customerId, checkoutSessionId: 'cs_test_1', subscriptionId: SUB, stripeEventId: stripeEvent.id, stripeEventCreated: stripeEvent.created },
});
const recorded = (type: 'SubscriptionStarted' | 'SubscriptionUpdated' | 'SubscriptionEnded', stripeEvent: StripeEventRef, s: SubscriptionSnapshot): BillingEvent => ({
  type,
  data: { userId: USER, subscription: s, stripeEventId: stripeEvent.id, stripeEventCreated: stripeEvent.created },
});

const statusOf = (state: BillingState): string | undefined => state.subscriptions.get(SUB)?.subscription.status;

describe('billing decider', () => {
  it('names the stream after the user and recognises its events', () => {
    expect(billingStreamName(USER)).toBe('billing-user_alice');
    expect(isBillingEvent({ type: 'InvoicePaid' })).toBe(true);
    expect(isBillingEvent({ type: 'DocumentCreated' })).toBe(false);
  });

  describe('LinkStripeCustomer', () => {
    it('links the customer from a completed checkout', () => {
      const e = ref('evt_link', T0, 'checkout.session.completed');
      const state = given([]).when(link(e)).then([linked(e)]);
      expect(state.customer?.customerId).toBe(CUSTOMER);
      expect(state.userId).toBe(USER);
    });

    it('ignores a redelivery of the same Stripe event', () => {
      const e = ref('evt_link', T0, 'checkout.session.completed');
      given([linked(e)]).when(link(e)).then([]);
    });

    it('keeps the newer link when an older checkout arrives late', () => {
      const newer = ref('evt_new', T0 + 100, 'checkout.session.completed');
      const older = ref('evt_old', T0, 'checkout.session.completed');
      const state = given([linked(newer, 'cus_new')]).when(link(older, 'cus_old')).then([]);
      expect(state.customer?.customerId).toBe('cus_new');
    });

    it('refuses a command for another user than the stream holds', () => {
      const e = ref('evt_link', T0, 'checkout.session.completed');
      given([linked(e)]).when(link(ref('evt_other', T0 + 1), CUSTOMER, 'user_bob')).then(rejected('stream-mismatch'));
    });

    it.each([
      ['an empty user id', { userId: '' }],
      ['an empty customer id', { customerId: '' }],
      ['a fractional event time', { stripeEvent: ref('evt_x', 1.5) }],
      ['a missing event id', { stripeEvent: { type: 'x', created: T0 } as StripeEventRef }],
    ])('rejects %s', (_label, override) => {
      const command = link(ref('evt_link', T0));
      const data = { ...command.data, ...override } as typeof command.data;
      const code = 'stripeEvent' in override && override.stripeEvent.id !== undefined ? 'invalid-time' : 'invalid-id';
      given([]).when({ ...command, data } as BillingCommand).then(rejected(code));
    });
  });

  describe('RecordSubscription', () => {
    it('records a new subscription as started', () => {
      const e = ref('evt_created', T0, 'customer.subscription.created');
      const s = snapshot({ status: 'incomplete' });
      const state = given([]).when(subscription('created', e, s)).then([recorded('SubscriptionStarted', e, s)]);
      expect(statusOf(state)).toBe('incomplete');
    });

    it('takes a same-second update that moved the status forward (incomplete → active)', () => {
      const created = ref('evt_created', T0, 'customer.subscription.created');
      const updated = ref('evt_updated', T0);
      const active = snapshot();
      given([recorded('SubscriptionStarted', created, snapshot({ status: 'incomplete' }))])
        .when(subscription('updated', updated, active))
        .then([recorded('SubscriptionUpdated', updated, active)]);
    });

    it('never lets an older state overwrite a newer one', () => {
      const created = ref('evt_created', T0, 'customer.subscription.created');
      const updated = ref('evt_updated', T0);
      const state = given([recorded('SubscriptionUpdated', updated, snapshot())])
        .when(subscription('created', created, snapshot({ status: 'incomplete' })))
        .then([]);
      expect(statusOf(state)).toBe('active');
    });

    it('orders by the billing period before the event time', () => {
      // A renewal (next period) whose event carries an earlier timestamp still wins.
      const renewal = snapshot({ currentPeriodStart: T0 + MONTH, currentPeriodEnd: T0 + 2 * MONTH });
      const e1 = ref('evt_1', T0 + 10);
      const e2 = ref('evt_2', T0 + 5);
      given([recorded('SubscriptionUpdated', e1, snapshot({ cancelAtPeriodEnd: true }))])
        .when(subscription('updated', e2, renewal))
        .then([recorded('SubscriptionUpdated', e2, renewal)]);
    });

    it('treats a deleted subscription as final', () => {
      const deleted = ref('evt_deleted', T0 + 50, 'customer.subscription.deleted');
      const canceled = snapshot({ status: 'canceled', canceledAt: T0 + 50, endedAt: T0 + 50 });
      const state = given([recorded('SubscriptionEnded', deleted, canceled)])
        .when(subscription('updated', ref('evt_late', T0 + 60), snapshot({ currentPeriodStart: T0 + MONTH })))
        .then([]);
      expect(statusOf(state)).toBe('canceled');
    });

    it('ignores a redelivered subscription event', () => {
      const e = ref('evt_updated', T0);
      given([recorded('SubscriptionUpdated', e, snapshot())]).when(subscription('updated', e, snapshot())).then([]);
    });

    it('copies only the snapshot members it knows', () => {
      const e = ref('evt_updated', T0);
      const smuggled = { ...snapshot(), email: 'alice@example.test' } as SubscriptionSnapshot;
      given([]).when(subscription('updated', e, smuggled)).then([recorded('SubscriptionUpdated', e, snapshot())]);
    });

    it.each([
      ['a negative period start', { currentPeriodStart: -1 }, 'invalid-time'],
      ['a status that is not a string', { status: 7 as unknown as string }, 'invalid-id'],
      ['a non-boolean cancelAtPeriodEnd', { cancelAtPeriodEnd: 'yes' as unknown as boolean }, 'invalid-id'],
    ] as const)('rejects %s', (_label, override, code) => {
      given([]).when(subscription('updated', ref('evt_x', T0), snapshot(override))).then(rejected(code));
    });
  });

  describe('RecordInvoice', () => {
    it('records a paid invoice', () => {
      const e = ref('evt_paid', T0, 'invoice.paid');
      const i = invoice();
      given([])
        .when(invoiceCommand('paid', e, i))
        .then([{ type: 'InvoicePaid', data: { userId: USER, invoice: i, stripeEventId: e.id, stripeEventCreated: T0 } }]);
    });

    it('keeps a paid invoice paid when a failed attempt arrives late', () => {
      const paid = ref('evt_paid', T0 + 100, 'invoice.paid');
      const failed = ref('evt_failed', T0, 'invoice.payment_failed');
      const paidInvoice = invoice({ attemptCount: 2 });
      const state = given([{ type: 'InvoicePaid', data: { userId: USER, invoice: paidInvoice, stripeEventId: paid.id, stripeEventCreated: paid.created } }])
        .when(invoiceCommand('payment_failed', failed, invoice({ status: 'open', amountPaid: 0, attemptCount: 1, paidAt: null })))
        .then([]);
      expect(state.invoices.get('in_1')?.outcome).toBe('paid');
    });

    it('records a later failed attempt over an earlier one', () => {
      const first = ref('evt_f1', T0, 'invoice.payment_failed');
      const second = ref('evt_f2', T0 + 86_400, 'invoice.payment_failed');
      const failed = (attemptCount: number) => invoice({ status: 'open', amountPaid: 0, attemptCount, paidAt: null });
      given([{ type: 'InvoicePaymentFailed', data: { userId: USER, invoice: failed(1), stripeEventId: first.id, stripeEventCreated: first.created } }])
        .when(invoiceCommand('payment_failed', second, failed(2)))
        .then([{ type: 'InvoicePaymentFailed', data: { userId: USER, invoice: failed(2), stripeEventId: second.id, stripeEventCreated: second.created } }]);
    });

    it('rejects a fractional amount', () => {
      given([]).when(invoiceCommand('paid', ref('evt_paid', T0), invoice({ amountPaid: 9.5 }))).then(rejected('invalid-id'));
    });

    it('rejects an unknown outcome', () => {
      const command = invoiceCommand('paid', ref('evt_paid', T0), invoice());
      given([]).when({ ...command, data: { ...command.data, outcome: 'refunded' } } as unknown as BillingCommand).then(rejected('unknown-command'));
    });
  });

  it('starts empty', () => {
    expect(initialBillingState()).toEqual({ userId: null, customer: null, subscriptions: new Map(), invoices: new Map(), appliedStripeEvents: new Set() });
  });
});
