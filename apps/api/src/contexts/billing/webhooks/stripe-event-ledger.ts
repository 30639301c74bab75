import { Inject, Injectable } from '@nestjs/common';
import type { StripeEventRef } from '@ledgerline/domain';
import { ConcurrencyError, type EventStore } from '@ledgerline/event-store';
import type { CommandContext, LedgerWriter } from '@ledgerline/ledger';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../platform/ledger/ledger.tokens';

export const STRIPE_EVENT_RECEIVED = 'StripeEventReceived';
export const STRIPE_EVENT_APPLIED = 'StripeEventApplied';

/**
 * What a Stripe event did: `applied` (its effect is in the user's billing stream), `superseded`
 * (an older state than the one held), `ignored` (a type or object billing does not act on),
 * `unlinked` (no user known for its customer), `customer-linked-elsewhere` (checkout for a
 * customer another user owns; nothing applied).
 */
export type StripeEventOutcome = 'applied' | 'superseded' | 'ignored' | 'unlinked' | 'customer-linked-elsewhere';

export interface StripeEventResult {
  outcome: StripeEventOutcome;
  reason?: string;
  userId?: string;
}

/** `claimed`: this delivery owns the first application; `pending`: claimed before but never marked applied; `done`: applied. */
export type ClaimState = 'claimed' | 'pending' | 'done';

/** One stream per Stripe event: the idempotency record, written before anything else. */
export function stripeEventStreamName(eventId: string): string {
  return `stripe-event-${eventId}`;
}

/**
 * The exactly-once record of Stripe deliveries. The claim (`StripeEventReceived` appended to
 * `stripe-event-<id>` with `no_stream`) can win for one delivery only, but it cannot be atomic with
 * the billing append (another stream), so the claim has two states: received, then applied
 * (`StripeEventApplied` at revision 1). A delivery that finds a claim without its applied marker
 * applies again; the billing decider ignores a Stripe event id it has already seen.
 */
@Injectable()
export class StripeEventLedger {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
  ) {}

  async claim(event: StripeEventRef, context: CommandContext): Promise<ClaimState> {
    try {
      await this.writer.append(stripeEventStreamName(event.id), [received(event)], 'no_stream', context);
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      return (await this.isApplied(event.id)) ? 'done' : 'pending';
    }
  }

  /** Marks a claimed event applied; a concurrent delivery that marked it first is just as good. */
  async complete(event: StripeEventRef, result: StripeEventResult, context: CommandContext): Promise<void> {
    try {
      await this.writer.append(stripeEventStreamName(event.id), [applied(event, result)], 0, context);
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
    }
  }

  /** Receipt and outcome in one append, for events billing does not act on; false when it was already recorded. */
  async recordIgnored(event: StripeEventRef, result: StripeEventResult, context: CommandContext): Promise<boolean> {
    try {
      await this.writer.append(stripeEventStreamName(event.id), [received(event), applied(event, result)], 'no_stream', context);
      return true;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      return false;
    }
  }

  private async isApplied(eventId: string): Promise<boolean> {
    for await (const stored of this.store.readStream(stripeEventStreamName(eventId))) {
      if (stored.type === STRIPE_EVENT_APPLIED) return true;
    }
    return false;
  }
}

function received(event: StripeEventRef) {
  return { type: STRIPE_EVENT_RECEIVED, data: { id: event.id, type: event.type, created: event.created } };
}

function applied(event: StripeEventRef, result: StripeEventResult) {
  return {
    type: STRIPE_EVENT_APPLIED,
    data: {
      id: event.id,
      outcome: result.outcome,
      ...(result.reason !== undefined ? { reason: result.reason } : {}),
      ...(result.userId !== undefined ? { userId: result.userId } : {}),
    },
  };
}
