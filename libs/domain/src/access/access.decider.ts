import type { AccessCommand, GrantRole, RevokeRole } from './access.commands';
import { isRole, ROLES, type AccessEvent, type Role, type RoleActor } from './access.events';
import { assertId } from '../shared/command-checks';
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

export interface AccessState {
  /** role → user ids holding it. */
  holders: Readonly<Record<Role, ReadonlySet<string>>>;
}

/** No roles granted yet. */
export function initialAccessState(): AccessState {
  return { holders: { admin: new Set(), compliance: new Set() } };
}

/** The roles `userId` holds, in the order of ROLES. */
export function rolesOf(state: AccessState, userId: string): Role[] {
  return ROLES.filter((role) => state.holders[role].has(userId));
}

/** Applies one stored role event. */
export function evolveAccess(state: AccessState, event: AccessEvent): AccessState {
  switch (event.type) {
    case 'RoleGranted':
    case 'RoleRevoked': {
      const { role, userId } = event.data;
      if (!isRole(role)) return state;
      const users = new Set(state.holders[role]);
      if (event.type === 'RoleGranted') users.add(userId);
      else users.delete(userId);
      return { holders: { ...state.holders, [role]: users } };
    }
    default: {
      const unknown: never = event;
      // Tolerant reader: an event type this version does not know leaves the state unchanged.
      void unknown;
      return state;
    }
  }
}

/** Decides GrantRole / RevokeRole; throws a DomainError when the command is refused. */
export function decideAccess(command: AccessCommand, state: AccessState): AccessEvent[] {
  switch (command.type) {
    case 'GrantRole':
      return grantRole(command, state);
    case 'RevokeRole':
      return revokeRole(command, state);
    default: {
      const unknown: never = command;
      void unknown;
      throw new DomainError('unknown-command', 'unknown access command');
    }
  }
}

function grantRole(command: GrantRole, state: AccessState): AccessEvent[] {
  const { userId, role, grantedBy } = command.data;
  assertId(userId, 'userId');
  assertRole(role);
  const actor = checkedActor(grantedBy, 'grantedBy');
  // Bootstrap grants come from the system; a person can never raise their own privileges.
  if (actor.kind === 'user' && actor.id === userId) throw new DomainError('self-grant', 'nobody may grant a role to themself');
  if (state.holders[role].has(userId)) return [];
  return [{ type: 'RoleGranted', data: { userId, role, grantedBy: actor } }];
}

function revokeRole(command: RevokeRole, state: AccessState): AccessEvent[] {
  const { userId, role, revokedBy } = command.data;
  assertId(userId, 'userId');
  assertRole(role);
  const actor = checkedActor(revokedBy, 'revokedBy');
  const holders = state.holders[role];
  if (!holders.has(userId)) return [];
  if (role === 'admin' && holders.size === 1) throw new DomainError('last-admin', 'the last admin cannot be removed');
  return [{ type: 'RoleRevoked', data: { userId, role, revokedBy: actor } }];
}

function assertRole(role: unknown): asserts role is Role {
  if (!isRole(role)) throw new DomainError('unknown-role', `role must be one of: ${ROLES.join(', ')}`);
}

/** Validates the actor and copies only its known members into the event. */
function checkedActor(actor: unknown, what: string): RoleActor {
  if (typeof actor !== 'object' || actor === null) throw new DomainError('invalid-actor', `${what} must be an actor`);
  const { kind, id } = actor as Partial<RoleActor>;
  if (kind !== 'user' && kind !== 'system') throw new DomainError('invalid-actor', `${what}.kind must be user or system`);
  if (typeof id !== 'string' || id.length === 0) throw new DomainError('invalid-actor', `${what}.id must be an id`);
  return { kind, id };
}

/** The access decider: the single stream ACCESS_STREAM (`access-roles`). */
export const accessDecider: Decider<AccessState, AccessCommand, AccessEvent> = {
  decide: decideAccess,
  evolve: evolveAccess,
  initialState: initialAccessState,
};
