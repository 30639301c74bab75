import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@ledgerline/config';
import type winston from 'winston';
import { APP_CONFIG, LOGGER } from '../../../platform/config/config.tokens';
import { ProblemException } from '../../../platform/errors/problem';
import { UserRateLimit } from '../../../platform/rate-limit/user-rate-limit';
import { SecurityEvents } from '../../../platform/security-events/security-events.service';
import { AuthenticationFailure, AuthenticationUnavailable } from '../authentication/authentication.errors';
import { bearerToken } from '../authentication/bearer-token';
import type { VerifiedSession } from '../authentication/session-claims';
import { TokenVerifier } from '../authentication/token-verifier';
import { RoleDirectory } from '../roles/role-directory';
import { ACCESS_METADATA, type AccessRequirements } from './access.decorator';
import { authenticationUnavailableProblem, forbiddenProblem, reverificationProblem, unauthorizedProblem } from './access-problems';
import { evaluateAccess } from './access-requirements';
import type { Principal } from './principal';

/**
 * The first step of the global guard (AppModule). Every route needs a signed-in user unless it says
 * `@Access({ public: true })`; it then checks the route's roles, duties and MFA step-up.
 * Failures answer 401/403 problem+json and are reported to SecurityEvents; none writes a domain event.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly directory: RoleDirectory,
    private readonly security: SecurityEvents,
    private readonly userRateLimit: UserRateLimit,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: winston.Logger,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const requirements = this.reflector.getAllAndOverride<AccessRequirements | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]) ?? {};
    if (requirements.public) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // Whatever the outcome, an answer about a signed-in caller is never cached.
    void reply.header('cache-control', 'no-store');

    const session = await this.authenticate(request, reply);
    // Counted before authorization, so refused requests spend the user's budget too.
    await this.userRateLimit.check(context, session.userId);
    const principal: Principal = { ...session, roles: await this.directory.rolesOf(session.userId) };
    request.principal = principal;

    const decision = evaluateAccess(principal, requirements, this.config.mfaMaxAgeMinutes);
    if (decision.allowed) return true;
    this.security.recordRequest(request, decision.reason === 'mfa-required' ? 'mfa' : 'authorization', decision.reason, principal.userId);
    throw new ProblemException(
      decision.reason === 'mfa-required' ? reverificationProblem(this.config.mfaMaxAgeMinutes, decision.detail) : forbiddenProblem(decision.detail),
    );
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<VerifiedSession> {
    try {
      return await this.verifier.verify(bearerToken(request.headers.authorization));
    } catch (error) {
      if (error instanceof AuthenticationFailure) {
        this.security.recordRequest(request, 'authentication', error.reason);
        void reply.header('www-authenticate', 'Bearer');
        throw new ProblemException(unauthorizedProblem());
      }
      if (error instanceof AuthenticationUnavailable) {
        this.logger.error('token verification key unavailable', { context: 'auth', requestId: request.id, reason: error.reason });
        void reply.header('retry-after', '5');
        throw new ProblemException(authenticationUnavailableProblem());
      }
      throw error;
    }
  }
}
