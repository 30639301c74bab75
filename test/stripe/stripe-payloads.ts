import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

/**
 * Stripe objects and events shaped like the API version the installed SDK pins
 * (`Stripe.API_VERSION`): item-level billing periods, `invoice.parent.subscription_details`.
 */
export const API_VERSION = Stripe.API_VERSION;

/** A Stripe-looking id: `<prefix>_` and 24 base62-ish characters. */
export function stripeTestId(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x').slice(0, 24)}`;
}

type Json = Record<string, unknown>;

export interface PriceOptions {
  id: string;
  unitAmount?: number;
}

export function price({ id, unitAmount = 900 }: PriceOptions): Json {
  return {
    id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: 1_700_000_000,
    currency: 'eur',
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: 'prod_TestLedgerline',
    recurring: { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified',
    type: 'recurring',
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount),
  };
}

export interface SubscriptionOptions {
  id: string;
  customer: string;
  status: string;
  priceId: string;
  created: number;
  periodStart: number;
  periodEnd: number;
  userId?: string | null;
  cancelAtPeriodEnd?: boolean;
  canceledAt?: number | null;
  endedAt?: number | null;
}

export function subscription(o: SubscriptionOptions): Json {
  return {
    id: o.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: o.periodStart,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_thresholds: null,
    cancel_at: o.cancelAtPeriodEnd ? o.periodEnd : null,
    cancel_at_period_end: o.cancelAtPeriodEnd ?? false,
    canceled_at: o.canceledAt ?? null,
    cancellation_details: { comment: null, feedback: null, reason: o.canceledAt ? 'cancellation_requested' : null },
    collection_method: 'charge_automatically',
    created: o.created,
    currency: 'eur',
    customer: o.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: 'pm_1TestCard',
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: o.endedAt ?? null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: {
      object: 'list',
      data: [
        {
          id: `si_${o.id.slice(4)}`,
          object: 'subscription_item',
          billing_thresholds: null,
          created: o.created,
          current_period_end: o.periodEnd,
          current_period_start: o.periodStart,
          discounts: [],
          metadata: {},
          plan: { id: o.priceId, object: 'plan', active: true, amount: 900, currency: 'eur', interval: 'month', interval_count: 1, product: 'prod_TestLedgerline' },
          price: price({ id: o.priceId }),
          quantity: 1,
          subscription: o.id,
          tax_rates: [],
        },
      ],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${o.id}`,
    },
    latest_invoice: stripeTestId('in'),
    livemode: false,
    metadata: o.userId ? { ledgerline_user_id: o.userId } : {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: o.created,
    status: o.status,
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
}

export interface CheckoutSessionOptions {
  id: string;
  customer: string | null;
  clientReferenceId: string | null;
  subscription: string | null;
  created: number;
  mode?: 'subscription' | 'payment' | 'setup';
  url?: string | null;
  status?: 'open' | 'complete' | 'expired';
}

export function checkoutSession(o: CheckoutSessionOptions): Json {
  const complete = (o.status ?? 'complete') === 'complete';
  return {
    id: o.id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    amount_subtotal: 900,
    amount_total: 900,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: 'http://localhost:3000/billing/canceled',
    client_reference_id: o.clientReferenceId,
    client_secret: null,
    consent: null,
    consent_collection: null,
    created: o.created,
    currency: 'eur',
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: o.customer,
    customer_creation: 'always',
    customer_details: complete ? { address: null, email: 'buyer@example.test', name: null, phone: null, tax_exempt: 'none', tax_ids: [] } : null,
    customer_email: null,
    expires_at: o.created + 24 * 3600,
    invoice: complete && o.subscription ? stripeTestId('in') : null,
    livemode: false,
    locale: null,
    metadata: o.clientReferenceId ? { ledgerline_user_id: o.clientReferenceId } : {},
    mode: o.mode ?? 'subscription',
    payment_intent: null,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_types: ['card'],
    payment_status: complete ? 'paid' : 'unpaid',
    phone_number_collection: { enabled: false },
    recovered_from: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    status: o.status ?? 'complete',
    submit_type: null,
    subscription: o.subscription,
    success_url: 'http://localhost:3000/billing/success?session_id={CHECKOUT_SESSION_ID}',
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: o.url ?? null,
  };
}

export interface InvoiceOptions {
  id: string;
  customer: string;
  subscription: string | null;
  status: 'paid' | 'open';
  created: number;
  attemptCount?: number;
  periodStart?: number;
  periodEnd?: number;
  paidAt?: number | null;
  nextPaymentAttempt?: number | null;
  userId?: string | null;
  amount?: number;
}

export function invoice(o: InvoiceOptions): Json {
  const amount = o.amount ?? 900;
  const paid = o.status === 'paid';
  return {
    id: o.id,
    object: 'invoice',
    account_country: 'DE',
    account_name: 'Ledgerline Test',
    amount_due: amount,
    amount_overpaid: 0,
    amount_paid: paid ? amount : 0,
    amount_remaining: paid ? 0 : amount,
    amount_shipping: 0,
    application: null,
    attempt_count: o.attemptCount ?? 1,
    attempted: true,
    auto_advance: !paid,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: 'subscription_create',
    collection_method: 'charge_automatically',
    created: o.created,
    currency: 'eur',
    custom_fields: null,
    customer: o.customer,
    customer_account: null,
    customer_address: null,
    customer_email: 'buyer@example.test',
    customer_name: null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: o.created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: `https://invoice.stripe.com/i/acct_test/${o.id}`,
    invoice_pdf: `https://pay.stripe.com/invoice/acct_test/${o.id}/pdf`,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [], has_more: false, total_count: 1, url: `/v1/invoices/${o.id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: o.nextPaymentAttempt ?? null,
    number: 'TEST-0001',
    on_behalf_of: null,
    parent: o.subscription
      ? {
          quote_details: null,
          subscription_details: { metadata: o.userId ? { ledgerline_user_id: o.userId } : {}, subscription: o.subscription },
          type: 'subscription_details',
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: o.periodEnd ?? o.created,
    period_start: o.periodStart ?? o.created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: o.status,
    status_transitions: {
      finalized_at: o.created,
      marked_uncollectible_at: null,
      paid_at: paid ? (o.paidAt ?? o.created) : null,
      voided_at: null,
    },
    subtotal: amount,
    subtotal_excluding_tax: amount,
    test_clock: null,
    total: amount,
    total_discount_amounts: [],
    total_excluding_tax: amount,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

export interface EventOptions {
  id?: string;
  created: number;
  previousAttributes?: Json;
}

/** A Stripe event envelope around `object`, as a webhook endpoint receives it. */
export function stripeEvent(type: string, object: Json, o: EventOptions): Json {
  return {
    id: o.id ?? stripeTestId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created: o.created,
    data: { object, ...(o.previousAttributes ? { previous_attributes: o.previousAttributes } : {}) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

/**
 * The body and headers of a delivery signed as Stripe signs it (`t=…,v1=…`), with the SDK's own
 * test helper; `timestamp` (unix seconds) defaults to now.
 */
export function signedDelivery(payload: string | Json, secret: string, timestamp?: number): SignedDelivery {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, ...(timestamp !== undefined ? { timestamp } : {}) });
  return { body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': signature, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' } };
}
