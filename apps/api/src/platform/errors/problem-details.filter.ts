import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type winston from 'winston';
import { LOGGER } from '../config/config.tokens';
import { PROBLEM_CONTENT_TYPE, problem, problemFromHttpException, type Problem } from './problem';

/** Maps anything thrown to a problem+json body; internals go to the log under the same errorId. */
export type ErrorMapper = (error: unknown) => Problem | undefined;

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly mappers: ErrorMapper[] = [];

  constructor(@Inject(LOGGER) private readonly logger: winston.Logger) {}

  /** Lets a bounded context teach the filter its own typed errors (domain, store conflicts). */
  addMapper(mapper: ErrorMapper): void {
    this.mappers.push(mapper);
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const requestId = host.switchToHttp().getRequest<FastifyRequest | undefined>()?.id;
    const body = this.toProblem(error);
    if (body.status >= 500) {
      this.logger.error('request failed', { requestId, errorId: body.errorId, error });
    } else {
      this.logger.info('request refused', { requestId, errorId: body.errorId, status: body.status, type: body.type });
    }
    sendProblem(reply, body);
  }

  toProblem(error: unknown): Problem {
    for (const mapper of this.mappers) {
      const mapped = mapper(error);
      if (mapped) return mapped;
    }
    if (error instanceof HttpException) return problemFromHttpException(error);
    return problem(500);
  }
}

export function sendProblem(reply: FastifyReply, body: Problem): void {
  if (reply.sent) return;
  void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}
