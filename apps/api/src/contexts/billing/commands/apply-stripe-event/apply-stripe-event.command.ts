import { Command } from '@nestjs/cqrs';
import type { StripeEventOutcome } from '../../webhooks/stripe-event-ledger';

/** A Stripe event whose signature checked out: only what billing reads of it. */
export interface VerifiedStripeEvent {
  id: string;
  type: string;
  created: number;
  data: { object: unknown };
}

/** What a delivery answers: the outcome, or `duplicate` for an event already applied. */
export interface StripeDeliveryResult {
  outcome: StripeEventOutcome | 'duplicate';
}

/** Apply one verified Stripe event, at most once however often it is delivered; `requestId` is the delivery's request. */
export class ApplyStripeEventCommand extends Command<StripeDeliveryResult> {
  constructor(
    readonly event: VerifiedStripeEvent,
    readonly requestId?: string,
  ) {
    super();
  }
}
