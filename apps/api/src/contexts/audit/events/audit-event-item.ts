import type { RecordedEvent } from '@ledgerline/event-store';
import { formatPosition } from '../../../platform/projections/positions';
import type { AuditIndexRow } from '../audit-index/audit-index.reader';
import type { ShownData } from '../reveal/field-revealer';
import type { AuditEventItem } from './audit-event.views';

/** The answer's view of one event: identity, envelope time and actor, position, leaf index, shown data. */
export function auditEventItem(row: AuditIndexRow, event: RecordedEvent, shown: ShownData, reveal: boolean): AuditEventItem {
  return {
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    time: typeof event.metadata.time === 'string' ? event.metadata.time : row.time,
    actor: event.metadata.actor ?? null,
    position: formatPosition(event.position),
    leafIndex: row.leafIndex,
    data: shown.value,
    ...(reveal ? { erased: shown.erased } : {}),
  };
}
