import type { DomainCommand } from '../shared/decider';
import type { EncryptedValue } from '../shared/encrypted-value';

/** Each member given is set (an encrypted value) or cleared (`null`); at least one must be given. */
export type UpdateProfile = DomainCommand<
  'UpdateProfile',
  {
    userId: string;
    displayName?: EncryptedValue | null;
    email?: EncryptedValue | null;
    phone?: EncryptedValue | null;
  }
>;

/** Right to erasure: `erasedAt` is the command's metadata time. */
export type EraseSubject = DomainCommand<'EraseSubject', { userId: string }>;

export type AccountCommand = UpdateProfile | EraseSubject;
