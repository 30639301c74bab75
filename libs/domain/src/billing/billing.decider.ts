import type { BillingCommand, LinkStripeCustomer, RecordInvoice, RecordSubscription, StripeEventRef } from './billing.commands';
import type { BillingEvent, InvoiceSnapshot, SubscriptionEvent, SubscriptionSnapshot } from './billing.events';
import { compareInvoiceVersions, compareLinks, compareSubscriptionVersions, type InvoiceVersion, type SubscriptionVersion } from './billing-order';
import { assertId } from '../shared/command-checks';
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

export interface CustomerLink {
  customerId: string;
  checkoutSessionId: string;
  stripeEventId: string;
  stripeEventCreated: number;
}

export interface BillingState {
  userId: string | null;
  customer: CustomerLink | null;
  /** subscription id → its newest state; Maps because the ids come from outside. */
  subscriptions: ReadonlyMap<string, SubscriptionVersion & { lastEvent: SubscriptionEvent['type'] }>;
  invoices: ReadonlyMap<string, InvoiceVersion>;
  /** Every Stripe event id that caused an event here: a second delivery decides nothing. */
  appliedStripeEvents: ReadonlySet<string>;
}

/** A user's billing before the first Stripe event about them. */
export function initialBillingState(): BillingState {
  return { userId: null, customer: null, subscriptions: new Map(), invoices: new Map(), appliedStripeEvents: new Set() };
}

/** Applies one stored billing event. The decider only emits states newer than the one held, so this just takes them. */
export function evolveBilling(state: BillingState, event: BillingEvent): BillingState {
  const applied = new Set(state.appliedStripeEvents).add(event.data.stripeEventId);
  const base = { ...state, userId: event.data.userId, appliedStripeEvents: applied };
  const { stripeEventId, stripeEventCreated } = event.data;
  switch (event.type) {
    case 'StripeCustomerLinked': {
      const { customerId, checkoutSessionId } = event.data;
      return { ...base, customer: { customerId, checkoutSessionId, stripeEventId, stripeEventCreated } };
    }
    case 'SubscriptionStarted':
    case 'SubscriptionUpdated':
    case 'SubscriptionEnded': {
      const { subscription } = event.data;
      const subscriptions = new Map(state.subscriptions);
      subscriptions.set(subscription.subscriptionId, { subscription, stripeEventId, stripeEventCreated, lastEvent: event.type });
      return { ...base, subscriptions };
    }
    case 'InvoicePaid':
    case 'InvoicePaymentFailed': {
      const { invoice } = event.data;
      const invoices = new Map(state.invoices);
      const outcome = event.type === 'InvoicePaid' ? 'paid' : 'payment_failed';
      invoices.set(invoice.invoiceId, { invoice, outcome, stripeEventId, stripeEventCreated });
      return { ...base, invoices };
    }
    default: {
      const unknown: never = event;
      // Tolerant reader: an event type this version does not know leaves the state unchanged.
      void unknown;
      return state;
    }
  }
}

/**
 * Decides what a verified Stripe event changes. A Stripe event already applied decides nothing
 * (exactly once), and so does a state older than the one held (deliveries come in any order).
 */
export function decideBilling(command: BillingCommand, state: BillingState): BillingEvent[] {
  const { userId, stripeEvent } = command.data;
  assertId(userId, 'userId');
  assertStripeEvent(stripeEvent);
  if (state.userId !== null && state.userId !== userId) throw new DomainError('stream-mismatch', 'the command is for another user');
  if (state.appliedStripeEvents.has(stripeEvent.id)) return [];
  switch (command.type) {
    case 'LinkStripeCustomer':
      return linkCustomer(command, state);
    case 'RecordSubscription':
      return recordSubscription(command, state);
    case 'RecordInvoice':
      return recordInvoice(command, state);
    default: {
      const unknown: never = command;
      void unknown;
      throw new DomainError('unknown-command', 'unknown billing command');
    }
  }
}

function linkCustomer(command: LinkStripeCustomer, state: BillingState): BillingEvent[] {
  const { userId, customerId, checkoutSessionId, subscriptionId, stripeEvent } = command.data;
  assertId(customerId, 'customerId');
  assertId(checkoutSessionId, 'checkoutSessionId');
  if (subscriptionId !== null) assertId(subscriptionId, 'subscriptionId');
  const version = { stripeEventId: stripeEvent.id, stripeEventCreated: stripeEvent.created };
  if (state.customer !== null && compareLinks(version, state.customer) <= 0) return [];
  return [{ type: 'StripeCustomerLinked', data: { userId, customerId, checkoutSessionId, subscriptionId, ...from(stripeEvent) } }];
}

const SUBSCRIPTION_EVENT_FOR = {
  created: 'SubscriptionStarted',
  updated: 'SubscriptionUpdated',
  deleted: 'SubscriptionEnded',
} as const satisfies Record<RecordSubscription['data']['change'], SubscriptionEvent['type']>;

function recordSubscription(command: RecordSubscription, state: BillingState): BillingEvent[] {
  const { userId, change, stripeEvent } = command.data;
  if (!Object.hasOwn(SUBSCRIPTION_EVENT_FOR, change)) throw new DomainError('unknown-command', 'unknown subscription change');
  const subscription = checkedSubscription(command.data.subscription);
  const held = state.subscriptions.get(subscription.subscriptionId);
  const version = { subscription, stripeEventId: stripeEvent.id, stripeEventCreated: stripeEvent.created };
  if (held !== undefined && compareSubscriptionVersions(version, held) <= 0) return [];
  return [{ type: SUBSCRIPTION_EVENT_FOR[change], data: { userId, subscription, ...from(stripeEvent) } }];
}

function recordInvoice(command: RecordInvoice, state: BillingState): BillingEvent[] {
  const { userId, outcome, stripeEvent } = command.data;
  if (outcome !== 'paid' && outcome !== 'payment_failed') throw new DomainError('unknown-command', 'unknown invoice outcome');
  const invoice = checkedInvoice(command.data.invoice);
  const held = state.invoices.get(invoice.invoiceId);
  const version = { invoice, outcome, stripeEventId: stripeEvent.id, stripeEventCreated: stripeEvent.created };
  if (held !== undefined && compareInvoiceVersions(version, held) <= 0) return [];
  const data = { userId, invoice, ...from(stripeEvent) };
  return [outcome === 'paid' ? { type: 'InvoicePaid', data } : { type: 'InvoicePaymentFailed', data }];
}

function from(stripeEvent: StripeEventRef): { stripeEventId: string; stripeEventCreated: number } {
  return { stripeEventId: stripeEvent.id, stripeEventCreated: stripeEvent.created };
}

function assertStripeEvent(value: unknown): asserts value is StripeEventRef {
  if (typeof value !== 'object' || value === null) throw new DomainError('invalid-id', 'stripeEvent must be a Stripe event reference');
  const { id, type, created } = value as Partial<StripeEventRef>;
  assertId(id, 'stripeEvent.id');
  assertId(type, 'stripeEvent.type');
  assertUnixTime(created, 'stripeEvent.created');
}

function assertUnixTime(value: unknown, what: string): asserts value is number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new DomainError('invalid-time', `${what} must be a unix timestamp`);
}

function optionalUnixTime(value: unknown, what: string): number | null {
  if (value === null) return null;
  assertUnixTime(value, what);
  return value;
}

function count(value: unknown, what: string): number {
  // Counts and amounts order states (attempts) or are shown to auditors: integers only.
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new DomainError('invalid-id', `${what} must be a non-negative integer`);
  return value as number;
}

/** Validates a snapshot and copies only its known members, so an event never carries anything else. */
function checkedSubscription(value: unknown): SubscriptionSnapshot {
  if (typeof value !== 'object' || value === null) throw new DomainError('invalid-id', 'subscription must be a snapshot');
  const s = value as Record<keyof SubscriptionSnapshot, unknown>;
  assertId(s.subscriptionId, 'subscription.subscriptionId');
  assertId(s.customerId, 'subscription.customerId');
  assertId(s.status, 'subscription.status');
  if (s.priceId !== null) assertId(s.priceId, 'subscription.priceId');
  assertUnixTime(s.created, 'subscription.created');
  if (typeof s.cancelAtPeriodEnd !== 'boolean') throw new DomainError('invalid-id', 'subscription.cancelAtPeriodEnd must be a boolean');
  return {
    subscriptionId: s.subscriptionId,
    customerId: s.customerId,
    status: s.status,
    priceId: s.priceId,
    created: s.created,
    currentPeriodStart: optionalUnixTime(s.currentPeriodStart, 'subscription.currentPeriodStart'),
    currentPeriodEnd: optionalUnixTime(s.currentPeriodEnd, 'subscription.currentPeriodEnd'),
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    canceledAt: optionalUnixTime(s.canceledAt, 'subscription.canceledAt'),
    endedAt: optionalUnixTime(s.endedAt, 'subscription.endedAt'),
  };
}

function checkedInvoice(value: unknown): InvoiceSnapshot {
  if (typeof value !== 'object' || value === null) throw new DomainError('invalid-id', 'invoice must be a snapshot');
  const i = value as Record<keyof InvoiceSnapshot, unknown>;
  assertId(i.invoiceId, 'invoice.invoiceId');
  assertId(i.customerId, 'invoice.customerId');
  if (i.subscriptionId !== null) assertId(i.subscriptionId, 'invoice.subscriptionId');
  assertId(i.status, 'invoice.status');
  assertId(i.currency, 'invoice.currency');
  assertUnixTime(i.periodStart, 'invoice.periodStart');
  assertUnixTime(i.periodEnd, 'invoice.periodEnd');
  return {
    invoiceId: i.invoiceId,
    customerId: i.customerId,
    subscriptionId: i.subscriptionId,
    status: i.status,
    currency: i.currency,
    amountDue: count(i.amountDue, 'invoice.amountDue'),
    amountPaid: count(i.amountPaid, 'invoice.amountPaid'),
    attemptCount: count(i.attemptCount, 'invoice.attemptCount'),
    periodStart: i.periodStart,
    periodEnd: i.periodEnd,
    paidAt: optionalUnixTime(i.paidAt, 'invoice.paidAt'),
    nextPaymentAttempt: optionalUnixTime(i.nextPaymentAttempt, 'invoice.nextPaymentAttempt'),
  };
}

/** The billing decider: one stream per user, `billing-<userId>`. */
export const billingDecider: Decider<BillingState, BillingCommand, BillingEvent> = {
  decide: decideBilling,
  evolve: evolveBilling,
  initialState: initialBillingState,
};
