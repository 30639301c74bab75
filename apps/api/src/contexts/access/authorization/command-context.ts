import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Actor, CommandContext } from '@ledgerline/ledger';
import { principalOf, type Principal } from './principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A fresh causation id: one per command, so every command's events can be told apart. */
export function newCausationId(): string {
  return randomUUID();
}

/** The request id when it is a UUID (ours always are; a client's may not be), else a new one. */
export function correlationIdFor(requestId: string | undefined): string {
  return requestId !== undefined && UUID.test(requestId) ? requestId.toLowerCase() : randomUUID();
}

/** The event actor for a principal: identifiers only; `mfa` says the session has passed a second factor. */
export function actorFor(principal: Principal): Actor {
  return {
    kind: 'user',
    id: principal.userId,
    session: principal.sessionId,
    ...(principal.org !== undefined ? { org: principal.org } : {}),
    mfa: principal.secondFactorAgeMinutes !== null,
  };
}

/** The CommandContext for one command issued by `principal` while serving `requestId`. */
export function commandContextFor(principal: Principal, requestId: string | undefined): CommandContext {
  return { actor: actorFor(principal), correlationId: correlationIdFor(requestId), causationId: newCausationId() };
}

/** Same actor and correlation, a new causation id: for a second command in the same request. */
export function nextCommandContext(context: CommandContext): CommandContext {
  return { ...context, causationId: newCausationId() };
}

/** Controller parameter decorator: `@CurrentCommandContext() context: CommandContext`. */
export const CurrentCommandContext = createParamDecorator((_data: unknown, context: ExecutionContext): CommandContext => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return commandContextFor(principalOf(request), request.id);
});
