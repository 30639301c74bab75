import { Controller, Get, Header, Headers, Param, Query, Req, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { CommandContext } from '@ledgerline/ledger';
import { AuditAccess } from '../../access/authorization/access.decorator';
import { CurrentCommandContext } from '../../access/authorization/command-context';
import { invalidRequest } from '../../../platform/openapi/validation-problem';
import { RateLimit } from '../../../platform/rate-limit/rate-limit.policy';
import { filterMembers } from '../audit-index/audit-filter';
import { AuditAccessLog } from '../access-log/audit-access.log';
import { AuditRefusalInterceptor, routeOf } from '../access-log/audit-refusal.interceptor';
import { auditFilterOf } from '../http/audit-filter.dto';
import { decodeAuditCursor } from '../http/audit-cursor';
import { AUDIT_QUERY_LIMIT } from '../http/audit-rate-limits';
import { assertTimeOrder } from '../http/time-order';
import { UuidParamPipe } from '../http/uuid-param.pipe';
import { GetAuditEventQuery } from '../queries/get-audit-event/get-audit-event.query';
import { GetEventReceiptQuery } from '../queries/get-event-receipt/get-event-receipt.query';
import { ListAuditEventsQuery } from '../queries/list-audit-events/list-audit-events.query';
import { ACCESS_REASON_HEADER, accessReasonFrom } from '../reveal/access-reason';
import type { AuditEventDetail, AuditEventPage } from './audit-event.views';
import { ListAuditEventsQueryDto } from './dto/list-audit-events.query-dto';
import { RevealQueryDto } from './dto/reveal.query-dto';

/**
 * SPEC §7.2 audit events, for compliance officers with a fresh second factor (never admins). Values
 * are shown as "[encrypted]" unless `?reveal=true` comes with `X-Access-Reason`; every served answer
 * is recorded (AuditAccessed, and SensitiveDataAccessed when plaintext was shown) before it is sent.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit/events')
@AuditAccess()
@RateLimit(AUDIT_QUERY_LIMIT)
@UseInterceptors(AuditRefusalInterceptor)
export class AuditEventsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly log: AuditAccessLog,
  ) {}

  @Get()
  async list(
    @Query() query: ListAuditEventsQueryDto,
    @Headers(ACCESS_REASON_HEADER) reasonHeader: string | undefined,
    @CurrentCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ): Promise<AuditEventPage> {
    const filter = auditFilterOf(query);
    assertTimeOrder(filter);
    const after = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) throw invalidRequest([{ field: 'cursor', rules: ['cursor'] }]);
    const reveal = query.reveal === 'true';
    const reason = reveal ? accessReasonFrom(reasonHeader) : undefined;
    const { page, revealed } = await this.queries.execute(new ListAuditEventsQuery(filter, after, query.limit, reveal));
    const route = routeOf(request);
    await this.log.record(
      context,
      { route, status: 200, filters: filterMembers(filter), resultCount: page.items.length, reveal },
      reason === undefined ? undefined : revealed.record(route, reason),
    );
    return page;
  }

  @Get(':id')
  async get(
    @Param('id', UuidParamPipe) id: string,
    @Query() query: RevealQueryDto,
    @Headers(ACCESS_REASON_HEADER) reasonHeader: string | undefined,
    @CurrentCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ): Promise<AuditEventDetail> {
    const reveal = query.reveal === 'true';
    const reason = reveal ? accessReasonFrom(reasonHeader) : undefined;
    const { detail, revealed } = await this.queries.execute(new GetAuditEventQuery(id, reveal));
    const route = routeOf(request);
    await this.log.record(
      context,
      { route, status: 200, eventId: id, stream: detail.stream, resultCount: 1, reveal },
      reason === undefined ? undefined : revealed.record(route, reason),
    );
    return detail;
  }

  /** c2sp.org/tlog-proof@v1 text: index, inclusion proof, and the checkpoint note it is against. */
  @Get(':id/receipt')
  @Header('content-type', 'text/plain; charset=utf-8')
  async receipt(
    @Param('id', UuidParamPipe) id: string,
    @CurrentCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
  ): Promise<string> {
    const receipt = await this.queries.execute(new GetEventReceiptQuery(id));
    await this.log.record(context, { route: routeOf(request), status: 200, eventId: id, resultCount: 1 });
    return receipt;
  }
}
