/**
 * The audit filters (SPEC §7.2 `GET /v1/audit/events`, §5 exports), already validated: `from` and `to`
 * are normalised to the envelope's time form (`YYYY-MM-DDTHH:mm:ss.sssZ`), which sorts as text.
 * `from` is inclusive, `to` exclusive.
 */
export interface AuditFilter {
  stream?: string;
  type?: string;
  /** The actor's id (`metadata.actor.id`). */
  actor?: string;
  from?: string;
  to?: string;
}

/** The members of a filter that are set, in a fixed order (for answers, records and bundle headers). */
export function filterMembers(filter: AuditFilter): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['stream', 'type', 'actor', 'from', 'to'] as const) {
    const value = filter[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 date-time (any offset, up to nanoseconds) as the envelope's UTC millisecond form, or
 * undefined when it is not one. Sub-millisecond digits round *up*: envelope times have milliseconds,
 * so `t ≥ from` and `t < to` keep exactly the events they would with the full precision.
 */
export function normalizeTime(text: string): string | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', offset] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  const digits = fraction.slice(1);
  let ms = Number(digits.slice(0, 3).padEnd(3, '0'));
  if (/[1-9]/.test(digits.slice(3))) ms += 1;
  let offsetMinutes = 0;
  if (offset !== 'Z' && offset !== 'z') {
    const [oh, om] = offset.slice(1).split(':').map(Number);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (offset[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  const local = new Date(0);
  local.setUTCFullYear(y, mo - 1, d);
  local.setUTCHours(h, mi, s, ms);
  const date = new Date(local.getTime() - offsetMinutes * 60_000);
  if (date.getUTCFullYear() < 0 || date.getUTCFullYear() > 9999) return undefined;
  return date.toISOString();
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
