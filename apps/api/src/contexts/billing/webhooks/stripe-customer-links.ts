import { Inject, Injectable } from '@nestjs/common';
import { ConcurrencyError, type EventStore } from '@ledgerline/event-store';
import type { CommandContext, LedgerWriter } from '@ledgerline/ledger';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../platform/ledger/ledger.tokens';

export const STRIPE_CUSTOMER_CLAIMED = 'StripeCustomerClaimed';
/** Links never change once written, so remembering them is safe; the bound keeps memory flat. */
const CACHE_LIMIT = 10_000;

/** One stream per Stripe customer, holding the user it belongs to: `stripe-customer-<cus id>`. */
export function stripeCustomerStreamName(customerId: string): string {
  return `stripe-customer-${customerId}`;
}

/**
 * Which user a Stripe customer belongs to. The first checkout that completes for a customer claims
 * it (`no_stream`), so a customer can never be moved to another user afterwards; events that carry
 * only the customer id (subscriptions, invoices) find their user here.
 */
@Injectable()
export class StripeCustomerLinks {
  private readonly owners = new Map<string, string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
  ) {}

  /** The user owning `customerId`, or undefined when no checkout linked it yet. */
  async ownerOf(customerId: string): Promise<string | undefined> {
    const cached = this.owners.get(customerId);
    if (cached !== undefined) return cached;
    for await (const event of this.store.readStream(stripeCustomerStreamName(customerId), { maxCount: 1 })) {
      const userId = event.data.userId;
      if (typeof userId === 'string') {
        this.remember(customerId, userId);
        return userId;
      }
    }
    return undefined;
  }

  /** Links `customerId` to `userId` unless it is linked already; resolves with the customer's owner either way. */
  async link(customerId: string, userId: string, checkoutSessionId: string, context: CommandContext): Promise<string> {
    const existing = await this.ownerOf(customerId);
    if (existing !== undefined) return existing;
    try {
      await this.writer.append(
        stripeCustomerStreamName(customerId),
        [{ type: STRIPE_CUSTOMER_CLAIMED, data: { customerId, userId, checkoutSessionId } }],
        'no_stream',
        context,
      );
      this.remember(customerId, userId);
      return userId;
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      const owner = await this.ownerOf(customerId);
      if (owner === undefined) throw error;
      return owner;
    }
  }

  private remember(customerId: string, userId: string): void {
    if (this.owners.size >= CACHE_LIMIT) this.owners.clear();
    this.owners.set(customerId, userId);
  }
}
