import { InvalidEventStoreInputError } from './event-store.errors';
import type { ExpectedRevision, JsonObject, NewEvent, ReadAllOptions, ReadStreamOptions } from './event-store.port';

export const MAX_STREAM_NAME_LENGTH = 200;
export const MAX_EVENT_TYPE_LENGTH = 200;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** An event whose payloads are already JSON text, ready for an adapter to write. */
export interface SerializedEvent {
  id: string;
  type: string;
  data: string;
  metadata: string;
}

function fail(message: string): never {
  throw new InvalidEventStoreInputError(message);
}

/** Throws InvalidEventStoreInputError unless `stream` is a usable stream name. */
export function validateStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream.length === 0) fail('stream name must be a non-empty string');
  if (stream.length > MAX_STREAM_NAME_LENGTH) fail(`stream name longer than ${MAX_STREAM_NAME_LENGTH} characters`);
  if (CONTROL_CHARS.test(stream)) fail('stream name contains a control character');
}

function validateExpected(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0) return;
  fail(`expected revision must be 'any', 'no_stream', 'stream_exists' or a non-negative integer, got ${String(expected)}`);
}

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The caller's own JSON text of an object (NewEvent.dataJson), parsed once to be sure it is one. */
function objectJson(text: unknown, what: string): string {
  if (typeof text !== 'string') fail(`${what} must be a string`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`${what} is not JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(value)) fail(`${what} must be the JSON text of an object`);
  return text;
}

function toJson(value: unknown, what: string): string {
  if (!isPlainObject(value)) fail(`${what} must be a plain JSON object`);
  try {
    return JSON.stringify(value);
  } catch (error) {
    return fail(`${what} is not serializable as JSON: ${(error as Error).message}`);
  }
}

/**
 * Validates an append's arguments and serializes the payloads once, up front, so a bad call fails
 * before it reaches the write queue and later mutation of the caller's objects cannot change what is stored.
 */
export function validateAppend(stream: unknown, events: unknown, expected: unknown): SerializedEvent[] {
  validateStreamName(stream);
  validateExpected(expected);
  if (!Array.isArray(events) || events.length === 0) fail('events must be a non-empty array');
  const seen = new Set<string>();
  return events.map((event: NewEvent, index) => {
    const where = `event ${index} of append to ${stream}`;
    if (typeof event !== 'object' || event === null) fail(`${where} must be an object`);
    const { id, type } = event;
    if (typeof id !== 'string' || !UUID.test(id)) fail(`${where}: id must be a lowercase UUID`);
    if (seen.has(id)) fail(`${where}: id ${id} appears twice in one append`);
    seen.add(id);
    if (typeof type !== 'string' || type.length === 0 || type.length > MAX_EVENT_TYPE_LENGTH) {
      fail(`${where}: type must be a non-empty string of at most ${MAX_EVENT_TYPE_LENGTH} characters`);
    }
    let data: string;
    if (event.dataJson === undefined) {
      data = toJson(event.data, `${where}: data`);
    } else {
      if (!isPlainObject(event.data)) fail(`${where}: data must be a plain JSON object`);
      data = objectJson(event.dataJson, `${where}: dataJson`);
    }
    return { id, type, data, metadata: toJson(event.metadata, `${where}: metadata`) };
  });
}

function validateCount(value: unknown, what: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`${what} must be a non-negative integer`);
}

/** Throws InvalidEventStoreInputError on a bad readStream call. */
export function validateReadStream(stream: unknown, options: ReadStreamOptions): void {
  validateStreamName(stream);
  validateCount(options.fromRevision, 'fromRevision');
  validateCount(options.maxCount, 'maxCount');
  if (options.direction !== undefined && options.direction !== 'forwards' && options.direction !== 'backwards') {
    fail(`direction must be 'forwards' or 'backwards'`);
  }
}

/** Throws InvalidEventStoreInputError on a bad readAll / subscribeAll call. */
export function validateReadAll(options: ReadAllOptions): void {
  if (options.after !== undefined && (typeof options.after !== 'bigint' || options.after < 0n)) {
    fail('after must be a non-negative bigint position');
  }
  validateCount(options.maxCount, 'maxCount');
}
