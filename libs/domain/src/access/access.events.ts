import type { DomainEvent } from '../shared/decider';

export const ROLES = ['admin', 'compliance'] as const;
export type Role = (typeof ROLES)[number];

/** Who granted or revoked: a signed-in user, or the system (bootstrap lists). */
export interface RoleActor {
  kind: 'user' | 'system';
  id: string;
}

export type RoleGranted = DomainEvent<'RoleGranted', { userId: string; role: Role; grantedBy: RoleActor }>;
export type RoleRevoked = DomainEvent<'RoleRevoked', { userId: string; role: Role; revokedBy: RoleActor }>;

export type AccessEvent = RoleGranted | RoleRevoked;

export const ACCESS_EVENT_TYPES = ['RoleGranted', 'RoleRevoked'] as const satisfies readonly AccessEvent['type'][];

/** Narrows a stored event by type only; the data is trusted as written by this decider. */
export function isAccessEvent(event: { type: string }): event is AccessEvent {
  return (ACCESS_EVENT_TYPES as readonly string[]).includes(event.type);
}

/** True for a role this version knows (checked by value, never through object keys). */
export function isRole(value: unknown): value is Role {
  return (ROLES as readonly unknown[]).includes(value);
}

/** All role grants live in one stream, so "never remove the last admin" is checked against one consistent state. */
export const ACCESS_STREAM = 'access-roles';
