import { Controller, HttpCode, Inject, Post, Req, Res, type RawBodyRequest } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { Access } from '../../access/authorization/access.decorator';
import { APP_CONFIG, LOGGER } from '../../../platform/config/config.tokens';
import { PreconditionFailedError } from '../../../platform/commands/precondition-failed.error';
import { problem, ProblemException } from '../../../platform/errors/problem';
import { SecurityEvents } from '../../../platform/security-events/security-events.service';
import { BillingNotConfiguredError } from '../billing.errors';
import { ApplyStripeEventCommand, type StripeDeliveryResult } from '../commands/apply-stripe-event/apply-stripe-event.command';
import { StripePayloadError } from '../stripe/stripe-payload';
import { RAW_WEBHOOK_BODY } from './raw-webhook-body';
import { verifyStripeDelivery, WebhookRejected } from './stripe-signature';

/** Stripe retries any non-2xx answer with backoff; a busy stream is worth a retry in a few seconds. */
const RETRY_AFTER_SECONDS = '5';

/**
 * `POST /webhooks/stripe` (SPEC §7.4). Public: the Stripe-Signature over the raw body is the
 * authentication, checked before anything is parsed or stored. A bad, missing or stale signature
 * is 400 and a security event, nothing else. A verified event is applied at most once (200 for
 * every later delivery); a failure while applying is 5xx so Stripe delivers it again.
 */
@Controller('webhooks')
export class StripeWebhookController {
  constructor(
    private readonly commands: CommandBus,
    private readonly security: SecurityEvents,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: winston.Logger,
  ) {}

  @Post('stripe')
  @Access({ public: true })
  @HttpCode(200)
  @RouteConfig(RAW_WEBHOOK_BODY)
  @ApiExcludeEndpoint()
  async receive(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ received: true } & StripeDeliveryResult> {
    const secret = this.config.stripeWebhookSecret;
    if (secret === undefined) throw new BillingNotConfiguredError('STRIPE_WEBHOOK_SECRET');
    let event;
    try {
      event = verifyStripeDelivery(request.rawBody, request.headers['stripe-signature'], secret);
    } catch (error) {
      if (!(error instanceof WebhookRejected)) throw error;
      this.security.recordRequest(request, 'webhook', error.reason);
      throw new ProblemException(problem(400, { type: error.reason, detail: 'the delivery does not carry a valid, fresh Stripe signature over a Stripe event' }));
    }
    try {
      return { received: true, ...(await this.commands.execute(new ApplyStripeEventCommand(event, request.id))) };
    } catch (error) {
      if (error instanceof StripePayloadError) {
        // Signed by Stripe yet unreadable to this version: nothing was stored, so a fixed version gets it on redelivery.
        // The member's path and what was wrong with it, never its value or any other part of the payload.
        this.logger.error(`verified Stripe event not applied: member ${error.path} is ${error.problem} (expected ${error.expected})`, {
          context: 'billing',
          requestId: request.id,
          stripeEventId: event.id,
          type: event.type,
          member: error.path,
          problem: error.problem,
          expected: error.expected,
        });
        throw new ProblemException(problem(422, { type: 'stripe-event-unreadable', detail: `member ${error.path} is ${error.problem}; the event was not applied` }));
      }
      if (error instanceof PreconditionFailedError) {
        void reply.header('retry-after', RETRY_AFTER_SECONDS);
        throw new ProblemException(problem(503, { type: 'billing-busy', title: 'Service Unavailable', detail: 'concurrent billing changes; retry' }));
      }
      throw error;
    }
  }
}
