import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '@ledgerline/event-store';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { AuditIndexReader } from '../../audit-index/audit-index.reader';
import { auditEventItem } from '../../events/audit-event-item';
import { readIndexedEvents } from '../../events/stored-event';
import { encodeAuditCursor } from '../../http/audit-cursor';
import { FieldRevealer } from '../../reveal/field-revealer';
import { RevealedEvents } from '../revealed-events';
import { ListAuditEventsQuery, type ListedAuditEvents } from './list-audit-events.query';

/** Pages through the audit index; each listed event is read from the store (the index is only a map). */
@QueryHandler(ListAuditEventsQuery)
export class ListAuditEventsHandler implements IQueryHandler<ListAuditEventsQuery, ListedAuditEvents> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly index: AuditIndexReader,
    private readonly revealer: FieldRevealer,
  ) {}

  async execute({ filter, after, limit, reveal }: ListAuditEventsQuery): Promise<ListedAuditEvents> {
    const page = await this.index.page(filter, { after, limit });
    const revealed = new RevealedEvents();
    const events = await readIndexedEvents(this.store, page.rows);
    const items = [];
    for (const [i, row] of page.rows.entries()) {
      const event = events[i];
      const shown = await this.revealer.show(event.data, reveal);
      revealed.add(event, shown);
      items.push(auditEventItem(row, event, shown, reveal));
    }
    return { page: { items, nextCursor: page.next === null ? null : encodeAuditCursor(page.next) }, revealed };
  }
}
