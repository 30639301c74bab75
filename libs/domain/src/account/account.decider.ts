import type { AccountCommand, UpdateProfile } from './account.commands';
import type { AccountEvent, ProfileUpdated } from './account.events';
import { assertEncrypted, assertId, assertTime, copyEncrypted } from '../shared/command-checks';
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import type { EncryptedValue } from '../shared/encrypted-value';

export interface AccountState {
  /** True once any event exists in the stream (an account starts with its first event). */
  exists: boolean;
  erased: boolean;
  userId: string | null;
  erasedAt: string | null;
  displayName: EncryptedValue | null;
  email: EncryptedValue | null;
  phone: EncryptedValue | null;
}

export const PROFILE_FIELDS = ['displayName', 'email', 'phone'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** An account before its first event. */
export function initialAccountState(): AccountState {
  return { exists: false, erased: false, userId: null, erasedAt: null, displayName: null, email: null, phone: null };
}

/** Applies one stored account event. */
export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'ProfileUpdated': {
      const next: AccountState = { ...state, exists: true, userId: event.data.userId };
      for (const field of PROFILE_FIELDS) {
        const value = event.data[field];
        if (value !== undefined) next[field] = value;
      }
      return next;
    }
    case 'SubjectErased':
      // The key is gone, so the old ciphertext is meaningless: drop it from the state as well.
      return {
        ...state,
        exists: true,
        erased: true,
        userId: event.data.userId,
        erasedAt: event.data.erasedAt,
        displayName: null,
        email: null,
        phone: null,
      };
    default: {
      const unknown: never = event;
      // Tolerant reader: an event type this version does not know leaves the state unchanged.
      void unknown;
      return state;
    }
  }
}

/** Decides UpdateProfile / EraseSubject; throws a DomainError when the command is refused. */
export function decideAccount(command: AccountCommand, state: AccountState): AccountEvent[] {
  // Checked before anything else: once erased, the account answers every command with 'gone'.
  if (state.erased) throw new DomainError('subject-erased', 'the subject has been erased');

  switch (command.type) {
    case 'UpdateProfile':
      return [updateProfile(command, state)];
    case 'EraseSubject': {
      assertId(command.data.userId, 'userId');
      assertSameSubject(command.data.userId, state);
      assertTime(command.metadata?.now);
      return [{ type: 'SubjectErased', data: { userId: command.data.userId, erasedAt: command.metadata.now } }];
    }
    default: {
      const unknown: never = command;
      void unknown;
      throw new DomainError('unknown-command', 'unknown account command');
    }
  }
}

function updateProfile(command: UpdateProfile, state: AccountState): ProfileUpdated {
  const { userId } = command.data;
  assertId(userId, 'userId');
  assertSameSubject(userId, state);
  const data: ProfileUpdated['data'] = { userId };
  let given = 0;
  for (const field of PROFILE_FIELDS) {
    const value: unknown = command.data[field];
    if (value === undefined) continue;
    given += 1;
    if (value === null) {
      data[field] = null;
    } else {
      assertEncrypted(value, field);
      data[field] = copyEncrypted(value);
    }
  }
  if (given === 0) throw new DomainError('empty-update', 'give at least one profile field');
  return { type: 'ProfileUpdated', data };
}

function assertSameSubject(userId: string, state: AccountState): void {
  if (state.userId !== null && state.userId !== userId) {
    throw new DomainError('stream-mismatch', 'the command is for another account');
  }
}

/** The account decider: stream `account-<userId>`. */
export const accountDecider: Decider<AccountState, AccountCommand, AccountEvent> = {
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: initialAccountState,
};
