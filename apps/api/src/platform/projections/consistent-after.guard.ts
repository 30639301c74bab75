import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem, ProblemException } from '../errors/problem';
import { parsePosition } from './positions';
import { ProjectionProgress } from './projection-progress';

/** SPEC §7.3: the longest a read waits for the projections. */
export const CONSISTENT_AFTER_TIMEOUT_MS = 5_000;
const RETRY_AFTER_SECONDS = '1';

/**
 * `X-Consistent-After: <position>` on a read waits until every read model has applied that
 * position (the one a command answered with), else 503 with Retry-After. It runs after the
 * AccessGuard (GuardsInOrder in AppModule), so only authenticated callers can make the server wait.
 * A guard rather than an interceptor: Nest runs a route with no interceptors without rxjs, and
 * this check needs nothing from the handler's result.
 */
@Injectable()
export class ConsistentAfterGuard implements CanActivate {
  constructor(private readonly progress: ProjectionProgress) {}

  /** Synchronous when there is nothing to wait for: almost every request. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers['x-consistent-after'];
    if (header === undefined || (request.method !== 'GET' && request.method !== 'HEAD')) return true;
    const position = typeof header === 'string' ? parsePosition(header.trim()) : undefined;
    if (position === undefined) {
      throw new ProblemException(problem(400, { detail: 'X-Consistent-After must be a position returned by a command' }));
    }
    return this.waitFor(position, context);
  }

  private async waitFor(position: bigint, context: ExecutionContext): Promise<boolean> {
    if (!(await this.progress.waitFor(position, CONSISTENT_AFTER_TIMEOUT_MS))) {
      void context.switchToHttp().getResponse<FastifyReply>().header('retry-after', RETRY_AFTER_SECONDS);
      throw new ProblemException(
        problem(503, { type: 'projection-lag', title: 'Read Models Behind', detail: 'the read models have not reached that position yet' }),
      );
    }
    return true;
  }
}
