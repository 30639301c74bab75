import type { InvoiceOutcome } from './billing.commands';
import type { InvoiceSnapshot, SubscriptionSnapshot } from './billing.events';

/** A state as one Stripe event showed it; the event's time and id break the last ties. */
interface Versioned {
  stripeEventCreated: number;
  stripeEventId: string;
}

export interface SubscriptionVersion extends Versioned {
  subscription: SubscriptionSnapshot;
}

export interface InvoiceVersion extends Versioned {
  invoice: InvoiceSnapshot;
  outcome: InvoiceOutcome;
}

/** Stripe never moves a subscription out of these. */
const FINAL_SUBSCRIPTION_STATUSES: readonly string[] = ['canceled', 'incomplete_expired'];

/**
 * How far a subscription has moved within one billing period, for states Stripe stamped in the
 * same second (incomplete → active on checkout, active → past_due on a failed renewal).
 */
const STATUS_PROGRESS: Readonly<Record<string, number>> = {
  incomplete: 0,
  trialing: 1,
  active: 2,
  paused: 2,
  past_due: 3,
  unpaid: 4,
  canceled: 5,
  incomplete_expired: 5,
};

function progress(status: string): number {
  return Object.hasOwn(STATUS_PROGRESS, status) ? STATUS_PROGRESS[status] : 0;
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Event ids are opaque: compared by code unit only so every runtime orders them alike. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Orders two states of the same subscription, oldest first: a final status, then the billing
 * period's start (the subscription's own clock), then the Stripe event's `created`, then how far
 * the status progressed, then the event id. It is a total order, so whatever order deliveries
 * come in, the newest state wins and the result equals in-order delivery.
 */
export function compareSubscriptionVersions(a: SubscriptionVersion, b: SubscriptionVersion): number {
  return (
    compareNumbers(Number(FINAL_SUBSCRIPTION_STATUSES.includes(a.subscription.status)), Number(FINAL_SUBSCRIPTION_STATUSES.includes(b.subscription.status))) ||
    compareNumbers(a.subscription.currentPeriodStart ?? 0, b.subscription.currentPeriodStart ?? 0) ||
    compareNumbers(a.stripeEventCreated, b.stripeEventCreated) ||
    compareNumbers(progress(a.subscription.status), progress(b.subscription.status)) ||
    compareIds(a.stripeEventId, b.stripeEventId)
  );
}

/**
 * Orders two states of the same invoice, oldest first: paid is final, then later payment attempts,
 * then the Stripe event's `created`, then the event id.
 */
export function compareInvoiceVersions(a: InvoiceVersion, b: InvoiceVersion): number {
  return (
    compareNumbers(Number(a.outcome === 'paid'), Number(b.outcome === 'paid')) ||
    compareNumbers(a.invoice.attemptCount, b.invoice.attemptCount) ||
    compareNumbers(a.stripeEventCreated, b.stripeEventCreated) ||
    compareIds(a.stripeEventId, b.stripeEventId)
  );
}

/** Orders two customer links, oldest first, by the checkout event's `created`, then its id. */
export function compareLinks(a: Versioned, b: Versioned): number {
  return compareNumbers(a.stripeEventCreated, b.stripeEventCreated) || compareIds(a.stripeEventId, b.stripeEventId);
}
