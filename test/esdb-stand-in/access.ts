import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { rpcError } from './rpc-errors';

/** A stand-in user: its password and the groups (roles) it belongs to. */
export interface StandInUser {
  password: string;
  groups: string[];
}

/** What a call asks to do, in the terms of the server's authorization policy. */
export type StreamOperation = { action: 'read' | 'write'; stream: string };

/** Roles allowed per action on `$all` and on user streams (the parts of `$settings` / `$all` metadata modelled). */
export interface StandInAcl {
  allRead: string[];
  userStreamRead: string[];
  userStreamWrite: string[];
}

const ADMINS = '$admins';
const ALL_ROLES = '$all';

/**
 * A fresh node's ACLs (SystemSettings.cs `Default`): user streams open to every role ($all), system streams
 * and `$all` (a `$`-stream) to $admins only.
 */
export const DEFAULT_ACL: StandInAcl = { allRead: [ADMINS], userStreamRead: [ALL_ROLES], userStreamWrite: [ALL_ROLES] };

/**
 * Basic-auth users and stream ACLs, checked as KurrentDB does: a bad or missing password is UNAUTHENTICATED
 * before anything else, `$admins` may do everything, and otherwise a role of the user must be in the ACL's
 * role list for the action, `$all` meaning everyone (LegacyStreamPermissionAssertion.cs). A denial is
 * `RpcExceptions.AccessDenied()`: PERMISSION_DENIED with `exception: access-denied`.
 */
export class StandInAccess {
  constructor(
    private readonly users: Record<string, StandInUser>,
    private readonly acl: StandInAcl = DEFAULT_ACL,
  ) {}

  /** The refusal for this call, or undefined when it may go ahead. */
  check(metadata: Metadata, operation: StreamOperation): ServiceError | undefined {
    const login = this.authenticate(metadata);
    if (login === undefined) return rpcError(status.UNAUTHENTICATED, 'Bad login or password');
    const groups = this.users[login].groups;
    if (groups.includes(ADMINS)) return undefined;
    const roles = this.rolesFor(operation);
    const allowed = roles.includes(ALL_ROLES) || roles.some((role) => role === login || groups.includes(role));
    return allowed ? undefined : rpcError(status.PERMISSION_DENIED, 'Access Denied', 'access-denied');
  }

  private authenticate(metadata: Metadata): string | undefined {
    const header = metadata.get('authorization')[0]?.toString() ?? '';
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    if (!match) return undefined;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const login = decoded.slice(0, colon);
    const user = colon > 0 ? this.users[login] : undefined;
    return user && user.password === decoded.slice(colon + 1) ? login : undefined;
  }

  private rolesFor({ action, stream }: StreamOperation): string[] {
    // `$all` cannot be written; other `$` streams (system streams) are for $admins only.
    if (stream === '$all') return action === 'read' ? this.acl.allRead : [];
    if (stream.startsWith('$')) return [];
    return action === 'read' ? this.acl.userStreamRead : this.acl.userStreamWrite;
  }
}
