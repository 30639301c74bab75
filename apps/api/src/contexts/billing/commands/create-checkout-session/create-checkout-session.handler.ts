import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { createHash, randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { AppConfig } from '@ledgerline/config';
import { billingDecider, billingStreamName, FREE_PLAN, planOf } from '@ledgerline/domain';
import type { EventStore } from '@ledgerline/event-store';
import { APP_CONFIG } from '../../../../platform/config/config.tokens';
import { loadStream } from '../../../../platform/commands/loaded-stream';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { AlreadySubscribedError, BillingNotConfiguredError } from '../../billing.errors';
import { STRIPE_CLIENT } from '../../billing.tokens';
import { checkoutReturnUrls } from '../../checkout/checkout-urls';
import { USER_METADATA_KEY } from '../../stripe/stripe-event-translation';
import { CreateCheckoutSessionCommand, type CheckoutSessionCreated } from './create-checkout-session.command';

/**
 * Stripe idempotency keys are per Stripe account, not per user: the client's key is scoped to the
 * caller (hashed, so it fits Stripe's 255 characters whatever the client sent), so two users
 * sending the same key never get each other's session.
 */
export function stripeIdempotencyKey(userId: string, clientKey: string | undefined): string {
  if (clientKey === undefined) return `checkout-${randomUUID()}`;
  return `checkout-${createHash('sha256').update(`${userId}\u0000${clientKey}`).digest('hex')}`;
}

@CommandHandler(CreateCheckoutSessionCommand)
export class CreateCheckoutSessionHandler implements ICommandHandler<CreateCheckoutSessionCommand, CheckoutSessionCreated> {
  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ userId, priceId, idempotencyKey }: CreateCheckoutSessionCommand): Promise<CheckoutSessionCreated> {
    if (this.stripe === null) throw new BillingNotConfiguredError('STRIPE_SECRET_KEY');
    // The billing stream, not the read model: the customer to reuse and the entitlement are then exact.
    const { state } = await loadStream(this.store, billingStreamName(userId), billingDecider);
    const subscriptions = [...state.subscriptions.values()].map((version) => version.subscription);
    if (planOf(subscriptions, this.config.stripePlans, Math.floor(Date.now() / 1000)) !== FREE_PLAN) throw new AlreadySubscribedError();
    const { successUrl, cancelUrl } = checkoutReturnUrls(this.config);
    const session = await this.stripe.checkout.sessions.create(
      {
        mode: 'subscription',
        line_items: [{ price: priceId, quantity: 1 }],
        client_reference_id: userId,
        ...(state.customer !== null ? { customer: state.customer.customerId } : {}),
        success_url: successUrl,
        cancel_url: cancelUrl,
        metadata: { [USER_METADATA_KEY]: userId },
        // Copied onto the subscription, so its events name the user even before checkout completes.
        subscription_data: { metadata: { [USER_METADATA_KEY]: userId } },
      },
      { idempotencyKey: stripeIdempotencyKey(userId, idempotencyKey) },
    );
    if (typeof session.url !== 'string') throw new Error('Stripe answered a hosted Checkout Session without a url');
    return { id: session.id, url: session.url };
  }
}
