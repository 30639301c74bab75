import { Query } from '@nestjs/cqrs';
import type { AuditFilter } from '../../audit-index/audit-filter';
import type { AuditEventPage } from '../../events/audit-event.views';
import type { RevealedEvents } from '../revealed-events';

export interface ListedAuditEvents {
  page: AuditEventPage;
  revealed: RevealedEvents;
}

/** A page of sealed events matching the filters, in global order; `reveal` decrypts their values. */
export class ListAuditEventsQuery extends Query<ListedAuditEvents> {
  constructor(
    readonly filter: AuditFilter,
    /** Position to continue after (decoded from the cursor). */
    readonly after: bigint | undefined,
    readonly limit: number,
    readonly reveal: boolean,
  ) {
    super();
  }
}
