import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { problem, ProblemException } from '../errors/problem';
import { parsePosition } from './positions';
import { ProjectionProgress } from './projection-progress';

/** SPEC §7.3: the longest a read waits for the projections. */
export const CONSISTENT_AFTER_TIMEOUT_MS = 5_000;
const RETRY_AFTER_SECONDS = '1';

/**
 * `X-Consistent-After: <position>` on a read waits until every read model has applied that
 * position (the one a command answered with), else 503 with Retry-After. Runs after the guards,
 * so only authenticated callers can make the server wait.
 */
@Injectable()
export class ConsistentAfterInterceptor implements NestInterceptor {
  constructor(private readonly progress: ProjectionProgress) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers['x-consistent-after'];
    if (header === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return next.handle();
    const position = typeof header === 'string' ? parsePosition(header.trim()) : undefined;
    if (position === undefined) {
      throw new ProblemException(problem(400, { detail: 'X-Consistent-After must be a position returned by a command' }));
    }
    if (!(await this.progress.waitFor(position, CONSISTENT_AFTER_TIMEOUT_MS))) {
      void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', RETRY_AFTER_SECONDS);
      throw new ProblemException(
        problem(503, { type: 'projection-lag', title: 'Read Models Behind', detail: 'the read models have not reached that position yet' }),
      );
    }
    return next.handle();
  }
}
