/** The filters of GET /v1/audit/events and POST /v1/audit/exports (SPEC §7.2), as the form gives them. */
export interface AuditFilters {
  actor?: string;
  stream?: string;
  type?: string;
  from?: string;
  to?: string;
}

export type { AuditEventItem, AuditEventPage } from '../../../../apps/api/src/contexts/audit/events/audit-event.views';

/** The form's filters, empty ones left out; datetime-local values are read as UTC and sent as RFC 3339. */
export function filtersOf(form: HTMLFormElement): AuditFilters {
  const data = new FormData(form);
  const filters: AuditFilters = {};
  for (const name of ['actor', 'stream', 'type'] as const) {
    const value = String(data.get(name) ?? '').trim();
    if (value) filters[name] = value;
  }
  for (const name of ['from', 'to'] as const) {
    const value = String(data.get(name) ?? '').trim();
    if (value) filters[name] = utcTime(value);
  }
  return filters;
}

function utcTime(local: string): string {
  const withSeconds = /T\d\d:\d\d$/.test(local) ? `${local}:00` : local;
  const time = new Date(`${withSeconds}Z`);
  if (Number.isNaN(time.getTime())) throw new Error(`${local} is not a time`);
  return time.toISOString();
}

export function eventsPath(filters: AuditFilters, limit: number, cursor?: string): string {
  const query = new URLSearchParams({ ...filters, limit: String(limit) } as Record<string, string>);
  if (cursor) query.set('cursor', cursor);
  return `/v1/audit/events?${query}`;
}
