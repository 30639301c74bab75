import type { RoleActor } from './access.events';
import type { DomainCommand } from '../shared/decider';

/** `role` is a string (e.g. straight from the route) because the decider rejects unknown roles. */
export type GrantRole = DomainCommand<'GrantRole', { userId: string; role: string; grantedBy: RoleActor }>;

export type RevokeRole = DomainCommand<'RevokeRole', { userId: string; role: string; revokedBy: RoleActor }>;

export type AccessCommand = GrantRole | RevokeRole;
