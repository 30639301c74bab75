import type { Actor } from './envelope.types';

/** A lowercase UUID, as a pattern source (unanchored: to build larger patterns from). */
export const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** The §3 time form `YYYY-MM-DDTHH:mm:ss.sssZ`, as a pattern source (unanchored); isCalendarTime checks its ranges. */
export const TIME_PATTERN = '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z';
const UUID = new RegExp(`^${UUID_PATTERN}$`);
const TIME = new RegExp(`^${TIME_PATTERN}$`);
const ACTOR_KINDS = new Set(['user', 'webhook', 'system']);

/** The envelope members other than extras, in the order sealEvent writes them. */
export const ENVELOPE_MEMBERS = [
  'v',
  'id',
  'stream',
  'revision',
  'type',
  'time',
  'actor',
  '$correlationId',
  '$causationId',
  'dataHash',
  'prev',
  'hash',
  'sig',
] as const;

/** A lowercase UUID (the §3 event id form). */
export function isLowercaseUuid(value: unknown): value is string {
  return typeof value === 'string' && value.length === 36 && UUID.test(value);
}

/** UTC RFC 3339 with exactly milliseconds and Z, and a real calendar instant (what Date#toISOString prints). */
export function isEnvelopeTime(value: unknown): value is string {
  return typeof value === 'string' && value.length === 24 && TIME.test(value) && isCalendarTime(value);
}

/** For a text already of TIME_PATTERN's form: true when its fields name a real calendar instant. */
export function isCalendarTime(value: string): boolean {
  // Field ranges by hand: Date parsing costs more than the rest of an event's checks on the verifier's hot path.
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return digits(value, 11, 2) < 24 && digits(value, 14, 2) < 60 && digits(value, 17, 2) < 60;
}

function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Why `actor` is not a valid §3 actor, or undefined when it is. */
export function actorProblem(actor: unknown): string | undefined {
  if (typeof actor !== 'object' || actor === null || Array.isArray(actor)) return 'actor must be an object';
  const { kind, id } = actor as Partial<Actor>;
  if (typeof kind !== 'string' || !ACTOR_KINDS.has(kind)) return 'actor.kind must be user, webhook or system';
  if (typeof id !== 'string' || id.length === 0) return 'actor.id must be a non-empty string';
  return undefined;
}

/** A plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
