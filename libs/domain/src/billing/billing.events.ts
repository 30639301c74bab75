import type { DomainEvent } from '../shared/decider';

/**
 * A Stripe subscription as a Stripe event showed it (API version 2025-03-31.basil and later: the
 * billing period lives on the subscription items; the translator takes it from there). Times are
 * Stripe's unix seconds, kept as Stripe sent them.
 */
export interface SubscriptionSnapshot {
  subscriptionId: string;
  customerId: string;
  /** Stripe's status, kept as a string so a status this version does not know is still recorded. */
  status: string;
  /** The price of the item that decides the plan, or null when the subscription has no item. */
  priceId: string | null;
  created: number;
  currentPeriodStart: number | null;
  currentPeriodEnd: number | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: number | null;
  endedAt: number | null;
}

/** A Stripe invoice as `invoice.paid` / `invoice.payment_failed` showed it (amounts in the currency's minor unit). */
export interface InvoiceSnapshot {
  invoiceId: string;
  customerId: string;
  subscriptionId: string | null;
  status: string;
  currency: string;
  amountDue: number;
  amountPaid: number;
  attemptCount: number;
  periodStart: number;
  periodEnd: number;
  paidAt: number | null;
  nextPaymentAttempt: number | null;
}

/** Which Stripe event caused a billing event: its id makes a second application a no-op. */
interface FromStripeEvent {
  userId: string;
  stripeEventId: string;
  /** The Stripe event's `created` (unix seconds): the last tie-breaker between two states. */
  stripeEventCreated: number;
}

/** Checkout completed: the Stripe customer belongs to this user from now on. */
export type StripeCustomerLinked = DomainEvent<
  'StripeCustomerLinked',
  FromStripeEvent & { customerId: string; checkoutSessionId: string; subscriptionId: string | null }
>;

export type SubscriptionStarted = DomainEvent<'SubscriptionStarted', FromStripeEvent & { subscription: SubscriptionSnapshot }>;
export type SubscriptionUpdated = DomainEvent<'SubscriptionUpdated', FromStripeEvent & { subscription: SubscriptionSnapshot }>;
/** The subscription was deleted in Stripe (status `canceled`): final, nothing overwrites it. */
export type SubscriptionEnded = DomainEvent<'SubscriptionEnded', FromStripeEvent & { subscription: SubscriptionSnapshot }>;

export type InvoicePaid = DomainEvent<'InvoicePaid', FromStripeEvent & { invoice: InvoiceSnapshot }>;
export type InvoicePaymentFailed = DomainEvent<'InvoicePaymentFailed', FromStripeEvent & { invoice: InvoiceSnapshot }>;

export type SubscriptionEvent = SubscriptionStarted | SubscriptionUpdated | SubscriptionEnded;
export type InvoiceEvent = InvoicePaid | InvoicePaymentFailed;
export type BillingEvent = StripeCustomerLinked | SubscriptionEvent | InvoiceEvent;

export const BILLING_EVENT_TYPES = [
  'StripeCustomerLinked',
  'SubscriptionStarted',
  'SubscriptionUpdated',
  'SubscriptionEnded',
  'InvoicePaid',
  'InvoicePaymentFailed',
] as const satisfies readonly BillingEvent['type'][];

export const SUBSCRIPTION_EVENT_TYPES = ['SubscriptionStarted', 'SubscriptionUpdated', 'SubscriptionEnded'] as const satisfies readonly SubscriptionEvent['type'][];

/** Narrows a stored event by type only; the data is trusted as written by this decider. */
export function isBillingEvent(event: { type: string }): event is BillingEvent {
  return (BILLING_EVENT_TYPES as readonly string[]).includes(event.type);
}

export function isSubscriptionEvent(event: { type: string }): event is SubscriptionEvent {
  return (SUBSCRIPTION_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Stream holding one user's billing events. */
export function billingStreamName(userId: string): string {
  return `billing-${userId}`;
}
