import { Module } from '@nestjs/common';
import { AuditAccessLog } from './access-log/audit-access.log';
import { AuditRefusalInterceptor } from './access-log/audit-refusal.interceptor';
import { AuditIndexReader } from './audit-index/audit-index.reader';
import { AuditEventsController } from './events/audit-events.controller';
import { EvidenceExporter } from './exports/evidence-export';
import { ExportsController } from './exports/exports.controller';
import { EventProofs } from './proofs/event-proofs';
import { GetAuditEventHandler } from './queries/get-audit-event/get-audit-event.handler';
import { GetEventReceiptHandler } from './queries/get-event-receipt/get-event-receipt.handler';
import { ListAuditEventsHandler } from './queries/list-audit-events/list-audit-events.handler';
import { VerifyStreamHandler } from './queries/verify-stream/verify-stream.handler';
import { FieldRevealer } from './reveal/field-revealer';
import { AuditStreamsController } from './streams/audit-streams.controller';
import { VerificationJobsModule } from './verifications/verification-jobs.module';
import { VerificationsController } from './verifications/verifications.controller';

/**
 * The audit API for compliance officers (SPEC §5, §7.2): events over the audit index, proofs and
 * receipts, stream and whole-log verification, evidence exports, and the record of every audit access.
 * The public checkpoint routes live in `checkpoints/`; the audit index projector is registered in
 * projections/projectors.ts with the other read models.
 */
@Module({
  imports: [VerificationJobsModule],
  controllers: [AuditEventsController, AuditStreamsController, VerificationsController, ExportsController],
  providers: [
    AuditAccessLog,
    AuditRefusalInterceptor,
    AuditIndexReader,
    EventProofs,
    FieldRevealer,
    EvidenceExporter,
    ListAuditEventsHandler,
    GetAuditEventHandler,
    GetEventReceiptHandler,
    VerifyStreamHandler,
  ],
})
export class AuditModule {}
