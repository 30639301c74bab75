import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { redactDeep } from '@ledgerline/crypto';
import type { EventStore } from '@ledgerline/event-store';
import { b64Encode } from '@ledgerline/integrity';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { AuditIndexReader } from '../../audit-index/audit-index.reader';
import { auditEventItem } from '../../events/audit-event-item';
import { readIndexedEvent } from '../../events/stored-event';
import { EventProofs } from '../../proofs/event-proofs';
import { FieldRevealer } from '../../reveal/field-revealer';
import { auditEventNotFound } from '../audit-event-not-found';
import { RevealedEvents } from '../revealed-events';
import { GetAuditEventQuery, type ShownAuditEvent } from './get-audit-event.query';

/**
 * A stored event as an auditor needs it: data (redacted or revealed), the whole envelope, and where it
 * stands in the log. An event not yet covered by a checkpoint is answered 200 with `pending: true` and
 * null proof members: the event exists, only its proof is not available yet.
 */
@QueryHandler(GetAuditEventQuery)
export class GetAuditEventHandler implements IQueryHandler<GetAuditEventQuery, ShownAuditEvent> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly index: AuditIndexReader,
    private readonly proofs: EventProofs,
    private readonly revealer: FieldRevealer,
  ) {}

  async execute({ eventId, reveal }: GetAuditEventQuery): Promise<ShownAuditEvent> {
    const row = await this.index.byId(eventId);
    if (row === undefined) throw auditEventNotFound();
    const event = await readIndexedEvent(this.store, row);
    const shown = await this.revealer.show(event.data, reveal);
    const revealed = new RevealedEvents();
    revealed.add(event, shown);
    const proof = await this.proofs.prove(row);
    const proved = proof.status === 'proved' ? proof : undefined;
    return {
      detail: {
        ...auditEventItem({ ...row, leafIndex: proof.leafIndex }, event, shown, reveal),
        metadata: redactDeep(event.metadata),
        proofStatus: proof.status,
        pending: proof.status === 'pending',
        treeSize: proved?.treeSize ?? null,
        inclusionProof: proved ? proved.proof.map((hash) => b64Encode(hash)) : null,
        checkpoint: proved?.checkpoint ?? null,
      },
      revealed,
    };
  }
}
