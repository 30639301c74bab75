import type { InvoiceSnapshot, SubscriptionSnapshot } from './billing.events';
import type { DomainCommand } from '../shared/decider';

/** The verified Stripe event a billing command comes from. */
export interface StripeEventRef {
  id: string;
  type: string;
  /** Unix seconds. */
  created: number;
}

/** `checkout.session.completed`: `userId` is the session's `client_reference_id`. */
export type LinkStripeCustomer = DomainCommand<
  'LinkStripeCustomer',
  { userId: string; customerId: string; checkoutSessionId: string; subscriptionId: string | null; stripeEvent: StripeEventRef }
>;

export type SubscriptionChange = 'created' | 'updated' | 'deleted';

/** `customer.subscription.created|updated|deleted`. */
export type RecordSubscription = DomainCommand<
  'RecordSubscription',
  { userId: string; change: SubscriptionChange; subscription: SubscriptionSnapshot; stripeEvent: StripeEventRef }
>;

export type InvoiceOutcome = 'paid' | 'payment_failed';

/** `invoice.paid` / `invoice.payment_failed`. */
export type RecordInvoice = DomainCommand<
  'RecordInvoice',
  { userId: string; outcome: InvoiceOutcome; invoice: InvoiceSnapshot; stripeEvent: StripeEventRef }
>;

export type BillingCommand = LinkStripeCustomer | RecordSubscription | RecordInvoice;
