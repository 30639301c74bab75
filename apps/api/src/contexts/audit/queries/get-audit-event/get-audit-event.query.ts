import { Query } from '@nestjs/cqrs';
import type { AuditEventDetail } from '../../events/audit-event.views';
import type { RevealedEvents } from '../revealed-events';

export interface ShownAuditEvent {
  detail: AuditEventDetail;
  revealed: RevealedEvents;
}

/** One stored event with its leaf index, inclusion proof and checkpoint; undefined-free: unknown ids throw 404. */
export class GetAuditEventQuery extends Query<ShownAuditEvent> {
  constructor(
    readonly eventId: string,
    readonly reveal: boolean,
  ) {
    super();
  }
}
