import type { VerifiedStripeEvent } from '../commands/apply-stripe-event/apply-stripe-event.command';
import { isObject, isStripeId } from '../stripe/stripe-payload';
import { stripeSdk } from '../stripe/stripe-sdk';

/** Stripe's own default: a signature older than five minutes is a replay, whatever it signs. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Stable reasons, recorded as security events (category `webhook`). */
export type WebhookRejection = 'webhook-signature-missing' | 'webhook-signature-invalid' | 'webhook-signature-stale' | 'webhook-payload-malformed';

export class WebhookRejected extends Error {
  constructor(readonly reason: WebhookRejection) {
    super(reason);
    this.name = 'WebhookRejected';
  }
}

/**
 * Checks `Stripe-Signature` over the exact bytes received (HMAC-SHA256 with the endpoint secret,
 * timestamp within the tolerance) and only then parses them. The SDK's error carries the payload,
 * so it is reduced to a reason here and never logged.
 */
export function verifyStripeDelivery(rawBody: Buffer | undefined, header: string | string[] | undefined, secret: string, receivedAtMs?: number): VerifiedStripeEvent {
  if (typeof header !== 'string' || header.length === 0) throw new WebhookRejected('webhook-signature-missing');
  const stripe = stripeSdk();
  let event: unknown;
  try {
    event = stripe.webhooks.constructEvent(rawBody ?? Buffer.alloc(0), header, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, receivedAtMs);
  } catch (error) {
    if (error instanceof stripe.errors.StripeSignatureVerificationError) {
      throw new WebhookRejected(error.message === 'Timestamp outside the tolerance zone' ? 'webhook-signature-stale' : 'webhook-signature-invalid');
    }
    // The signature held, so the bytes are Stripe's: only JSON.parse (or a thin v2 event) fails here.
    throw new WebhookRejected('webhook-payload-malformed');
  }
  return checkedEvent(event);
}

function checkedEvent(event: unknown): VerifiedStripeEvent {
  if (!isObject(event) || event.object !== 'event' || !isStripeId(event.id) || typeof event.type !== 'string' || !/^[a-z0-9_.]{1,100}$/.test(event.type)) {
    throw new WebhookRejected('webhook-payload-malformed');
  }
  if (!Number.isSafeInteger(event.created) || (event.created as number) < 0 || !isObject(event.data) || !isObject(event.data.object)) {
    throw new WebhookRejected('webhook-payload-malformed');
  }
  return { id: event.id, type: event.type, created: event.created as number, data: { object: event.data.object } };
}
