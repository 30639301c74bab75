export { BILLING_EVENT_TYPES, billingStreamName, isBillingEvent, isSubscriptionEvent, SUBSCRIPTION_EVENT_TYPES } from './billing.events';
export type {
  BillingEvent,
  InvoiceEvent,
  InvoicePaid,
  InvoicePaymentFailed,
  InvoiceSnapshot,
  StripeCustomerLinked,
  SubscriptionEnded,
  SubscriptionEvent,
  SubscriptionSnapshot,
  SubscriptionStarted,
  SubscriptionUpdated,
} from './billing.events';
export type {
  BillingCommand,
  InvoiceOutcome,
  LinkStripeCustomer,
  RecordInvoice,
  RecordSubscription,
  StripeEventRef,
  SubscriptionChange,
} from './billing.commands';
export { billingDecider, decideBilling, evolveBilling, initialBillingState } from './billing.decider';
export type { BillingState, CustomerLink } from './billing.decider';
export { compareInvoiceVersions, compareSubscriptionVersions } from './billing-order';
export type { InvoiceVersion, SubscriptionVersion } from './billing-order';
export { currentSubscription, FREE_PLAN, isEntitling, planOf } from './billing.entitlement';
export type { EntitlementInput } from './billing.entitlement';
