import { Controller, Get, HttpCode, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandContext } from '@ledgerline/ledger';
import { AuditAccess } from '../../access/authorization/access.decorator';
import { CurrentCommandContext } from '../../access/authorization/command-context';
import { problem, ProblemException } from '../../../platform/errors/problem';
import { RateLimit } from '../../../platform/rate-limit/rate-limit.policy';
import { AuditAccessLog } from '../access-log/audit-access.log';
import { AuditRefusalInterceptor, routeOf } from '../access-log/audit-refusal.interceptor';
import { AUDIT_QUERY_LIMIT, AUDIT_VERIFICATION_LIMIT } from '../http/audit-rate-limits';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { VerificationJobs, type VerificationJobView } from './verification-jobs';
import { Idempotency } from '../../../platform/idempotency/idempotency';
import { Idempotent } from '../../../platform/idempotency/idempotent.decorator';

/**
 * Whole-log verification jobs (SPEC §7.2): POST queues one for the worker (202 + Location); GET, on any
 * instance, reports its state and progress. One job at a time: a POST meanwhile is 409 naming the open job.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit/verifications')
@AuditAccess()
@UseInterceptors(AuditRefusalInterceptor)
export class VerificationsController {
  constructor(
    private readonly jobs: VerificationJobs,
    private readonly log: AuditAccessLog,
    private readonly idempotency: Idempotency,
  ) {}

  @Post()
  @Idempotent()
  @HttpCode(202)
  @RateLimit(AUDIT_VERIFICATION_LIMIT)
  async start(
    @CurrentCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<VerificationJobView> {
    return this.idempotency.run(request, reply, async () => {
      const { started, job } = await this.jobs.start(context, request.id);
      const location = `/v1/audit/verifications/${job.id}`;
      void reply.header('location', location);
      if (!started) {
        throw new ProblemException(
          problem(409, { type: 'verification-running', title: 'Verification Running', detail: 'a whole-log verification is already queued or running; follow it', extensions: { id: job.id, location } }),
        );
      }
      await this.log.record(context, { route: routeOf(request), status: 202, jobId: job.id });
      return job;
    });
  }

  @Get(':id')
  @RateLimit(AUDIT_QUERY_LIMIT)
  async get(
    @Param('id', UuidParamPipe) id: string,
    @CurrentCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ): Promise<VerificationJobView> {
    const job = await this.jobs.view(id);
    if (job === undefined) {
      throw new ProblemException(problem(404, { type: 'verification-not-found', title: 'Verification Not Found', detail: 'no verification job has this id here' }));
    }
    await this.log.record(context, { route: routeOf(request), status: 200, jobId: id, state: job.state });
    return job;
  }
}
