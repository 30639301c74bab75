import type { InvoiceOutcome, InvoiceSnapshot, SubscriptionChange, SubscriptionSnapshot } from '@ledgerline/domain';
import { USER_ID_PATTERN } from '../../access/authentication/session-claims';
import {
  bool,
  integer,
  isObject,
  listData,
  object,
  optionalInteger,
  optionalStripeRef,
  stripeId,
  stripeRef,
  text,
  type PayloadObject,
} from './stripe-payload';

/**
 * Metadata key our Checkout Sessions put on the subscription they create, so subscription and
 * invoice events name the user even when they arrive before `checkout.session.completed`.
 */
export const USER_METADATA_KEY = 'ledgerline_user_id';

export type IgnoredReason = 'unhandled-type' | 'not-a-subscription-checkout' | 'no-client-reference';

/** What one verified Stripe event asks of billing. */
export type BillingIntent =
  | { kind: 'link'; userId: string; customerId: string; checkoutSessionId: string; subscriptionId: string | null }
  | { kind: 'subscription'; change: SubscriptionChange; customerId: string; userHint: string | null; subscription: SubscriptionSnapshot }
  | { kind: 'invoice'; outcome: InvoiceOutcome; customerId: string; userHint: string | null; invoice: InvoiceSnapshot }
  | { kind: 'ignored'; reason: IgnoredReason };

/**
 * Maps a verified Stripe event (`{ type, data: { object } }`) to what billing does with it. Pure;
 * throws StripePayloadError when a handled event's object lacks what billing needs.
 */
export function translateStripeEvent(event: { type: string; data: { object: unknown } }): BillingIntent {
  const subject = object(event.data.object, 'data.object');
  switch (event.type) {
    case 'checkout.session.completed':
      return checkoutCompleted(subject);
    case 'customer.subscription.created':
      return subscriptionIntent('created', subject);
    case 'customer.subscription.updated':
      return subscriptionIntent('updated', subject);
    case 'customer.subscription.deleted':
      return subscriptionIntent('deleted', subject);
    case 'invoice.paid':
      return invoiceIntent('paid', subject);
    case 'invoice.payment_failed':
      return invoiceIntent('payment_failed', subject);
    default:
      return { kind: 'ignored', reason: 'unhandled-type' };
  }
}

function checkoutCompleted(session: PayloadObject): BillingIntent {
  // Payment-mode or setup-mode sessions (payment links, one-off purchases) buy no plan here.
  if (session.mode !== 'subscription') return { kind: 'ignored', reason: 'not-a-subscription-checkout' };
  const userId = session.client_reference_id;
  if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId)) return { kind: 'ignored', reason: 'no-client-reference' };
  return {
    kind: 'link',
    userId,
    customerId: stripeRef(session.customer, 'data.object.customer'),
    checkoutSessionId: stripeId(session.id, 'data.object.id'),
    subscriptionId: optionalStripeRef(session.subscription, 'data.object.subscription'),
  };
}

function subscriptionIntent(change: SubscriptionChange, subscription: PayloadObject): BillingIntent {
  const snapshot = subscriptionSnapshot(subscription);
  return { kind: 'subscription', change, customerId: snapshot.customerId, userHint: userFromMetadata(subscription.metadata), subscription: snapshot };
}

/**
 * Since API version 2025-03-31.basil the billing period is per subscription item; the newest
 * period across the items speaks for the subscription. Older endpoint versions still send the
 * top-level `current_period_*`, which is read when the items carry none.
 */
export function subscriptionSnapshot(s: PayloadObject): SubscriptionSnapshot {
  const items = listData(s.items, 'data.object.items').map((item, i) => object(item, `data.object.items.data[${i}]`));
  const starts = items.map((item, i) => optionalInteger(item.current_period_start, `data.object.items.data[${i}].current_period_start`));
  const ends = items.map((item, i) => optionalInteger(item.current_period_end, `data.object.items.data[${i}].current_period_end`));
  const first = items[0];
  const price = first === undefined ? null : object(first.price, 'data.object.items.data[0].price');
  return {
    subscriptionId: stripeId(s.id, 'data.object.id'),
    customerId: stripeRef(s.customer, 'data.object.customer'),
    status: text(s.status, 'data.object.status'),
    priceId: price === null ? null : stripeId(price.id, 'data.object.items.data[0].price.id'),
    created: integer(s.created, 'data.object.created'),
    currentPeriodStart: newest(starts) ?? optionalInteger(s.current_period_start, 'data.object.current_period_start'),
    currentPeriodEnd: newest(ends) ?? optionalInteger(s.current_period_end, 'data.object.current_period_end'),
    cancelAtPeriodEnd: bool(s.cancel_at_period_end, 'data.object.cancel_at_period_end'),
    canceledAt: optionalInteger(s.canceled_at, 'data.object.canceled_at'),
    endedAt: optionalInteger(s.ended_at, 'data.object.ended_at'),
  };
}

function invoiceIntent(outcome: InvoiceOutcome, invoice: PayloadObject): BillingIntent {
  // 2025-03-31.basil moved `subscription` and its metadata under `parent.subscription_details`.
  const details = isObject(invoice.parent) && isObject(invoice.parent.subscription_details) ? invoice.parent.subscription_details : undefined;
  const snapshot: InvoiceSnapshot = {
    invoiceId: stripeId(invoice.id, 'data.object.id'),
    customerId: stripeRef(invoice.customer, 'data.object.customer'),
    subscriptionId: optionalStripeRef(details?.subscription ?? invoice.subscription, 'data.object.parent.subscription_details.subscription'),
    status: text(invoice.status, 'data.object.status'),
    currency: text(invoice.currency, 'data.object.currency'),
    amountDue: integer(invoice.amount_due, 'data.object.amount_due'),
    amountPaid: integer(invoice.amount_paid, 'data.object.amount_paid'),
    attemptCount: integer(invoice.attempt_count, 'data.object.attempt_count'),
    periodStart: integer(invoice.period_start, 'data.object.period_start'),
    periodEnd: integer(invoice.period_end, 'data.object.period_end'),
    paidAt: isObject(invoice.status_transitions) ? optionalInteger(invoice.status_transitions.paid_at, 'data.object.status_transitions.paid_at') : null,
    nextPaymentAttempt: optionalInteger(invoice.next_payment_attempt, 'data.object.next_payment_attempt'),
  };
  return { kind: 'invoice', outcome, customerId: snapshot.customerId, userHint: userFromMetadata(details?.metadata), invoice: snapshot };
}

function userFromMetadata(metadata: unknown): string | null {
  const value = isObject(metadata) ? metadata[USER_METADATA_KEY] : undefined;
  return typeof value === 'string' && USER_ID_PATTERN.test(value) ? value : null;
}

function newest(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : Math.max(...known);
}
