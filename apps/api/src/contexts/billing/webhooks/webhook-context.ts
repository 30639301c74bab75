import { createHash } from 'node:crypto';
import type { CommandContext } from '@ledgerline/ledger';
import { correlationIdFor } from '../../access/authorization/command-context';

/** Actor of every event a Stripe delivery causes: identifiers only, the Stripe event id as `ref`. */
export function stripeActor(stripeEventId: string) {
  return { kind: 'webhook' as const, id: 'stripe', ref: stripeEventId };
}

/**
 * A UUID derived from the Stripe event id (SHA-256, laid out as a version-8 UUID): every event any
 * delivery of that Stripe event causes, redeliveries included, carries the same causation id.
 */
export function causationIdOf(stripeEventId: string): string {
  const hex = createHash('sha256').update(`stripe-event:${stripeEventId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The CommandContext of one delivery: correlated with the request, caused by the Stripe event. */
export function webhookContext(stripeEventId: string, requestId: string | undefined): CommandContext {
  return { actor: stripeActor(stripeEventId), correlationId: correlationIdFor(requestId), causationId: causationIdOf(stripeEventId) };
}
