import type { DomainEvent } from '../shared/decider';
import type { EncryptedValue } from '../shared/encrypted-value';

/** Only the members that changed are present; `null` means the field was cleared. */
export type ProfileUpdated = DomainEvent<
  'ProfileUpdated',
  {
    userId: string;
    displayName?: EncryptedValue | null;
    email?: EncryptedValue | null;
    phone?: EncryptedValue | null;
  }
>;

/** The subject's data key was destroyed; earlier ciphertext in this stream is unreadable from now on. */
export type SubjectErased = DomainEvent<'SubjectErased', { userId: string; erasedAt: string }>;

export type AccountEvent = ProfileUpdated | SubjectErased;

export const ACCOUNT_EVENT_TYPES = ['ProfileUpdated', 'SubjectErased'] as const satisfies readonly AccountEvent['type'][];

/** Narrows a stored event by type only; the data is trusted as written by this decider. */
export function isAccountEvent(event: { type: string }): event is AccountEvent {
  return (ACCOUNT_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** Stream holding one user's account events. */
export function accountStreamName(userId: string): string {
  return `account-${userId}`;
}
