import { Controller, Get, Param, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '@ledgerline/ledger';
import { AuditAccess } from '../../access/authorization/access.decorator';
import { CurrentCommandContext } from '../../access/authorization/command-context';
import { RateLimit } from '../../../platform/rate-limit/rate-limit.policy';
import { AuditAccessLog } from '../access-log/audit-access.log';
import { AuditRefusalInterceptor, routeOf } from '../access-log/audit-refusal.interceptor';
import { AUDIT_STREAM_CHECK_LIMIT } from '../http/audit-rate-limits';
import { StreamNamePipe } from '../http/stream-name.pipe';
import { VerifyStreamQuery, type StreamVerification } from '../queries/verify-stream/verify-stream.query';

/** `GET /v1/audit/streams/:stream/verification`: one stream's chain, checked now, first failure named. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit/streams')
@AuditAccess()
@RateLimit(AUDIT_STREAM_CHECK_LIMIT)
@UseInterceptors(AuditRefusalInterceptor)
export class AuditStreamsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly log: AuditAccessLog,
  ) {}

  @Get(':stream/verification')
  async verify(
    @Param('stream', StreamNamePipe) stream: string,
    @CurrentCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ): Promise<StreamVerification> {
    const verification = await this.queries.execute(new VerifyStreamQuery(stream));
    await this.log.record(context, { route: routeOf(request), status: 200, stream, resultCount: verification.count, verified: verification.ok });
    return verification;
  }
}
