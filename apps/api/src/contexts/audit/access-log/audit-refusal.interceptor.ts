import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { catchError, from, Observable, switchMap } from 'rxjs';
import type winston from 'winston';
import { commandContextFor } from '../../access/authorization/command-context';
import { LOGGER } from '../../../platform/config/config.tokens';
import { ProblemDetailsFilter } from '../../../platform/errors/problem-details.filter';
import { AuditAccessLog } from './audit-access.log';

/** Method and route template of a request, e.g. `GET /v1/audit/events/:id` (never the raw URL). */
export function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? 'unmatched'}`;
}

/**
 * Records audit requests that passed sign-in and authorization but were refused (invalid filters,
 * unknown event, missing access reason, nothing provable yet) as AuditAccessed with the status.
 * Served answers are recorded by their handlers, which know what they showed. Requests the guard
 * refuses (401/403/429) are security events, recorded by the guard.
 */
@Injectable()
export class AuditRefusalInterceptor implements NestInterceptor {
  constructor(
    private readonly log: AuditAccessLog,
    private readonly problems: ProblemDetailsFilter,
    @Inject(LOGGER) private readonly logger: winston.Logger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return next.handle().pipe(
      catchError((error: unknown) =>
        from(this.recordRefusal(request, error)).pipe(
          switchMap(() => {
            throw error;
          }),
        ),
      ),
    );
  }

  private async recordRefusal(request: FastifyRequest, error: unknown): Promise<void> {
    const principal = request.principal;
    if (principal === undefined) return;
    // The same mapping the exception filter applies next, so the record shows the status the client gets.
    const answer = this.problems.toProblem(error);
    const status = answer.status;
    const problem = answer.type.replace(/^.*\/problems\//, '');
    try {
      await this.log.record(commandContextFor(principal, request.id), { route: routeOf(request), status, problem });
    } catch (recordError) {
      // The request fails anyway; the answer it gets is the original error, the log gets this one.
      this.logger.error('could not record a refused audit request', { context: 'audit', requestId: request.id, error: recordError });
    }
  }
}
