import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { billingDecider, billingStreamName, decideBilling, type BillingCommand, type StripeEventRef } from '@ledgerline/domain';
import type { EventStore } from '@ledgerline/event-store';
import type { CommandContext, LedgerWriter } from '@ledgerline/ledger';
import type winston from 'winston';
import { LOGGER } from '../../../../platform/config/config.tokens';
import { decideAndAppend } from '../../../../platform/commands/decide-and-append';
import { commandMetadata } from '../../../../platform/commands/command-metadata';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../../platform/ledger/ledger.tokens';
import { translateStripeEvent, type BillingIntent } from '../../stripe/stripe-event-translation';
import { StripeCustomerLinks } from '../../webhooks/stripe-customer-links';
import { StripeEventLedger, type StripeEventResult } from '../../webhooks/stripe-event-ledger';
import { webhookContext } from '../../webhooks/webhook-context';
import { ApplyStripeEventCommand, type StripeDeliveryResult } from './apply-stripe-event.command';

/**
 * Claim → apply → mark applied (see StripeEventLedger). A failure after the claim leaves it
 * pending and propagates (5xx), so Stripe redelivers and the next delivery applies again; the
 * billing decider makes that second application a no-op when the first one did land.
 */
@CommandHandler(ApplyStripeEventCommand)
export class ApplyStripeEventHandler implements ICommandHandler<ApplyStripeEventCommand, StripeDeliveryResult> {
  constructor(
    private readonly ledger: StripeEventLedger,
    private readonly links: StripeCustomerLinks,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    @Inject(LOGGER) private readonly logger: winston.Logger,
  ) {}

  async execute({ event, requestId }: ApplyStripeEventCommand): Promise<StripeDeliveryResult> {
    const ref: StripeEventRef = { id: event.id, type: event.type, created: event.created };
    const context = webhookContext(event.id, requestId);
    // Translated before the claim: a payload billing cannot read is refused with nothing stored,
    // so Stripe keeps redelivering it until a fixed version can.
    const intent = translateStripeEvent(event);
    if (intent.kind === 'ignored') {
      const recorded = await this.ledger.recordIgnored(ref, { outcome: 'ignored', reason: intent.reason }, context);
      return { outcome: recorded ? 'ignored' : 'duplicate' };
    }
    if ((await this.ledger.claim(ref, context)) === 'done') return { outcome: 'duplicate' };
    const result = await this.apply(intent, ref, context, requestId);
    await this.ledger.complete(ref, result, context);
    return { outcome: result.outcome };
  }

  private async apply(
    intent: Exclude<BillingIntent, { kind: 'ignored' }>,
    stripeEvent: StripeEventRef,
    context: CommandContext,
    requestId: string | undefined,
  ): Promise<StripeEventResult> {
    const metadata = commandMetadata();
    switch (intent.kind) {
      case 'link': {
        const { userId, customerId, checkoutSessionId, subscriptionId } = intent;
        const owner = await this.links.link(customerId, userId, checkoutSessionId, context);
        if (owner !== userId) {
          this.logger.warn('checkout completed for a Stripe customer another user owns; not applied', { context: 'billing', requestId, stripeEventId: stripeEvent.id });
          return { outcome: 'customer-linked-elsewhere', userId };
        }
        return this.decide(userId, { type: 'LinkStripeCustomer', data: { userId, customerId, checkoutSessionId, subscriptionId, stripeEvent }, metadata }, context);
      }
      case 'subscription': {
        const userId = await this.userFor(intent.customerId, intent.userHint, stripeEvent, requestId);
        if (userId === undefined) return { outcome: 'unlinked' };
        const { change, subscription } = intent;
        return this.decide(userId, { type: 'RecordSubscription', data: { userId, change, subscription, stripeEvent }, metadata }, context);
      }
      case 'invoice': {
        const userId = await this.userFor(intent.customerId, intent.userHint, stripeEvent, requestId);
        if (userId === undefined) return { outcome: 'unlinked' };
        const { outcome, invoice } = intent;
        return this.decide(userId, { type: 'RecordInvoice', data: { userId, outcome, invoice, stripeEvent }, metadata }, context);
      }
      default: {
        const unknown: never = intent;
        throw new Error(`unknown billing intent ${String(unknown)}`);
      }
    }
  }

  /**
   * The customer's owner (set by checkout), else the user our Checkout Session wrote into the
   * subscription's metadata: that covers subscription events that overtake `checkout.session.completed`.
   */
  private async userFor(customerId: string, hint: string | null, stripeEvent: StripeEventRef, requestId: string | undefined): Promise<string | undefined> {
    const owner = await this.links.ownerOf(customerId);
    if (owner !== undefined && hint !== null && hint !== owner) {
      this.logger.warn('subscription metadata names another user than the customer link; the link wins', { context: 'billing', requestId, stripeEventId: stripeEvent.id });
    }
    return owner ?? hint ?? undefined;
  }

  private async decide(userId: string, command: BillingCommand, context: CommandContext): Promise<StripeEventResult> {
    const result = await decideAndAppend({
      store: this.store,
      writer: this.writer,
      stream: billingStreamName(userId),
      decider: billingDecider,
      context,
      decide: ({ state }) => decideBilling(command, state),
    });
    // Nothing written because an earlier delivery already applied this event is still "applied".
    const applied = result.written > 0 || result.state.appliedStripeEvents.has(command.data.stripeEvent.id);
    return { outcome: applied ? 'applied' : 'superseded', userId };
  }
}
