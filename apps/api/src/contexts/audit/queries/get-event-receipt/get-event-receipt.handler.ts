import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatTlogProof } from '@ledgerline/integrity';
import { problem, ProblemException } from '../../../../platform/errors/problem';
import { AuditIndexReader } from '../../audit-index/audit-index.reader';
import { EventProofs } from '../../proofs/event-proofs';
import { auditEventNotFound } from '../audit-event-not-found';
import { GetEventReceiptQuery } from './get-event-receipt.query';

/** The receipt when the newest checkpoint covers the event; 409 while it does not, or for checkpoint events. */
@QueryHandler(GetEventReceiptQuery)
export class GetEventReceiptHandler implements IQueryHandler<GetEventReceiptQuery, string> {
  constructor(
    private readonly index: AuditIndexReader,
    private readonly proofs: EventProofs,
  ) {}

  async execute({ eventId }: GetEventReceiptQuery): Promise<string> {
    const row = await this.index.byId(eventId);
    if (row === undefined) throw auditEventNotFound();
    const proof = await this.proofs.prove(row);
    if (proof.status === 'not-a-leaf') {
      throw new ProblemException(
        problem(409, { type: 'not-a-leaf', title: 'Not a Log Leaf', detail: 'checkpoint events are not leaves of the log they sign; verify them by their signatures' }),
      );
    }
    if (proof.status !== 'proved') {
      throw new ProblemException(
        problem(409, { type: 'not-yet-provable', title: 'Not Yet Provable', detail: 'no checkpoint covers this event yet; retry after the next checkpoint' }),
      );
    }
    return formatTlogProof({ index: proof.leafIndex, proof: proof.proof, checkpoint: proof.checkpoint });
  }
}
