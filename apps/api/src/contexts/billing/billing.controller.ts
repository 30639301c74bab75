import { Body, Controller, Get, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AppConfig } from '@ledgerline/config';
import { DomainWriteAccess } from '../access/authorization/access.decorator';
import { CurrentPrincipal, type Principal } from '../access/authorization/principal';
import { APP_CONFIG } from '../../platform/config/config.tokens';
import { ApiConsistentAfter, ApiProblems } from '../../platform/openapi/api-docs.decorators';
import { invalidRequest } from '../../platform/openapi/validation-problem';
import { CreateCheckoutSessionCommand, type CheckoutSessionCreated } from './commands/create-checkout-session/create-checkout-session.command';
import { CreateCheckoutSessionDto } from './dto/create-checkout-session.dto';
import { GetSubscriptionQuery, type SubscriptionView } from './queries/get-subscription/get-subscription.query';
import { Idempotency } from '../../platform/idempotency/idempotency';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';

/** SPEC §7.2 billing: start a subscription Checkout, read the plan the caller is on. */
@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/billing')
export class BillingController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly idempotency: Idempotency,
  ) {}

  /** `{ url, id }` of a hosted Checkout Session; the client redirects the user to `url`. */
  @Post('checkout-sessions')
  @Idempotent()
  @DomainWriteAccess()
  @HttpCode(201)
  @ApiCreatedResponse({ description: '`{id, url}` of a hosted Stripe Checkout Session (mode subscription); redirect the user to `url`' })
  @ApiProblems(400, 401, 403)
  @ApiResponse({ status: 409, description: 'application/problem+json: already-subscribed (an active or trialing paid plan), or the Idempotency-Key is in use' })
  @ApiResponse({ status: 502, description: 'application/problem+json: Stripe did not complete the request' })
  @ApiResponse({ status: 503, description: 'application/problem+json: billing is not configured (STRIPE_SECRET_KEY unset)' })
  async createCheckoutSession(
    @Body() dto: CreateCheckoutSessionDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CheckoutSessionCreated> {
    return this.idempotency.run(request, reply, async () => {
      if (!Object.hasOwn(this.config.stripePlans, dto.priceId)) throw invalidRequest([{ field: 'priceId', rules: ['knownPrice'] }]);
      return this.commands.execute(new CreateCheckoutSessionCommand(principal.userId, dto.priceId, idempotencyKey));
    });
  }

  @Get('subscription')
  @ApiOkResponse({ description: '`{plan, status, currentPeriodEnd, cancelAtPeriodEnd, subscriptionId, priceId}`: `plan` is `free` unless a paid plan entitles the caller now' })
  @ApiConsistentAfter()
  @ApiProblems(401)
  async subscription(@CurrentPrincipal() principal: Principal): Promise<SubscriptionView> {
    return this.queries.execute(new GetSubscriptionQuery(principal.userId));
  }
}
