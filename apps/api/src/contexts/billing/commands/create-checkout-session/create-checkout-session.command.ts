import { Command } from '@nestjs/cqrs';

export interface CheckoutSessionCreated {
  id: string;
  url: string;
}

/**
 * Start a Stripe Checkout for a subscription to `priceId` (already checked against STRIPE_PLANS).
 * `idempotencyKey` is the client's Idempotency-Key header, when it sent one.
 */
export class CreateCheckoutSessionCommand extends Command<CheckoutSessionCreated> {
  constructor(
    readonly userId: string,
    readonly priceId: string,
    readonly idempotencyKey: string | undefined,
  ) {
    super();
  }
}
