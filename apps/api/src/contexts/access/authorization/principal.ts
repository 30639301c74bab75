import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role } from '@ledgerline/domain';

/** Every signed-in user is `user`; `admin` and `compliance` come from role-grant events. */
export type PrincipalRole = 'user' | Role;

/** The authenticated caller, resolved once per request by the global AccessGuard. */
export interface Principal {
  userId: string;
  sessionId: string;
  org?: string;
  /** Minutes since the second factor was verified (now), or null when the session has none. */
  secondFactorAgeMinutes: number | null;
  roles: PrincipalRole[];
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by AccessGuard on every non-public route. */
    principal?: Principal;
  }
}

/** The principal of the current request; a programming error on a public route. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = request.principal;
  if (principal === undefined) throw new Error('no principal on this request: is the route public?');
  return principal;
}

/** Controller parameter decorator: `@CurrentPrincipal() principal: Principal`. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  principalOf(context.switchToHttp().getRequest<FastifyRequest>()),
);
