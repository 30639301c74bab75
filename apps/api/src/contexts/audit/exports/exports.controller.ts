import { Body, Controller, HttpCode, Inject, Post, Query, Req, Res, StreamableFile, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { finished } from 'node:stream';
import type { CommandContext } from '@ledgerline/ledger';
import type winston from 'winston';
import { AuditAccess } from '../../access/authorization/access.decorator';
import { CurrentCommandContext } from '../../access/authorization/command-context';
import { LOGGER } from '../../../platform/config/config.tokens';
import { RateLimit } from '../../../platform/rate-limit/rate-limit.policy';
import { filterMembers } from '../audit-index/audit-filter';
import { AuditAccessLog } from '../access-log/audit-access.log';
import { AuditRefusalInterceptor, routeOf } from '../access-log/audit-refusal.interceptor';
import { auditFilterOf } from '../http/audit-filter.dto';
import { AUDIT_EXPORT_LIMIT } from '../http/audit-rate-limits';
import { assertTimeOrder } from '../http/time-order';
import { ExportOptionsQueryDto } from './dto/export-options.query-dto';
import { ExportRequestDto } from './dto/export-request.dto';
import { EvidenceExporter, type ExportOutcome } from './evidence-export';
import { Idempotency } from '../../../platform/idempotency/idempotency';
import { Idempotent } from '../../../platform/idempotency/idempotent.decorator';

/**
 * `POST /v1/audit/exports` (SPEC §5): an evidence bundle as `application/x-ndjson`. Refusals (bad
 * filters, nothing signed yet, index behind) are problems sent before the first byte. The body is a
 * pull stream: the exporter computes the next chunk only when the response has taken the last one,
 * and Fastify's pipe into the socket waits for `drain`, so a slow reader holds the server back
 * instead of filling its memory. A failure mid-way aborts the response: the bundle lacks its signed
 * trailer and no verifier accepts it.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit/exports')
@AuditAccess()
@UseInterceptors(AuditRefusalInterceptor)
export class ExportsController {
  constructor(
    private readonly exporter: EvidenceExporter,
    private readonly log: AuditAccessLog,
    @Inject(LOGGER) private readonly logger: winston.Logger,
    private readonly idempotency: Idempotency,
  ) {}

  @Post()
  @Idempotent()
  @HttpCode(200)
  @RateLimit(AUDIT_EXPORT_LIMIT)
  async export(
    @Body() body: ExportRequestDto,
    @Query() options: ExportOptionsQueryDto,
    @CurrentCommandContext() context: CommandContext,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    return this.idempotency.run(request, reply, async () => {
      const filter = auditFilterOf(body);
      assertTimeOrder(filter);
      const prepared = await this.exporter.prepare(filter, options.waitForCheckpoint === 'true');
      const route = routeOf(request);
      const record = { route, status: 200, filters: filterMembers(filter), treeSize: prepared.checkpoint.treeSize };
      let recorded = false;
      const beforeTrailer = async (outcome: ExportOutcome): Promise<void> => {
        await this.log.record(context, { ...record, resultCount: outcome.count, pending: outcome.pending });
        recorded = true;
      };
      const bundle = this.exporter.bundle(prepared, beforeTrailer);
      // The client went away (or the export failed) before the trailer: the partial answer is recorded too.
      finished(bundle, (error) => {
        if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') {
          // Nothing else sees it: the response is already under way and is aborted by the stream's failure.
          this.logger.error('evidence export failed mid-way; the response was aborted', { context: 'audit', requestId: request.id, error });
        }
        if (!recorded) {
          this.log.record(context, { ...record, aborted: true }).catch((recordError: unknown) => {
            this.logger.error('could not record an aborted audit export', { context: 'audit', requestId: request.id, error: recordError });
          });
        }
      });
      return new StreamableFile(bundle, {
        type: 'application/x-ndjson',
        disposition: 'attachment; filename="ledgerline-evidence.ndjson"',
      });
    });
  }
}
