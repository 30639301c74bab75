import { DomainError } from './domain-error';
import { isEncryptedValue, type EncryptedValue } from './encrypted-value';

const MAX_ID_LENGTH = 255;
const RFC3339_UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Ids end up in stream names and read-model keys: a non-empty bounded string without control characters. */
export function assertId(value: unknown, what: string): asserts value is string {
  if (
    typeof value !== 'string' ||
    value.length === 0 ||
    value.length > MAX_ID_LENGTH ||
    /[\u0000-\u001f\u007f]/.test(value)
  ) {
    throw new DomainError('invalid-id', `${what} must be a non-empty id`);
  }
}

export function assertTime(value: unknown): asserts value is string {
  if (typeof value !== 'string' || !RFC3339_UTC_MILLIS.test(value) || Number.isNaN(Date.parse(value))) {
    throw new DomainError('invalid-time', 'command time must be RFC 3339 UTC with milliseconds');
  }
}

export function assertEncrypted(value: unknown, what: string): asserts value is EncryptedValue {
  if (!isEncryptedValue(value)) {
    throw new DomainError('invalid-encrypted-value', `${what} must be an encrypted value`);
  }
}

/** Copies an encrypted value so an event never shares (or smuggles extra members through) the command's object. */
export function copyEncrypted(value: EncryptedValue): EncryptedValue {
  return { $jwe: value.$jwe };
}
