import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { rpcError } from './rpc-errors';
import type { StandInLog } from './stand-in-log';

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

type Roles = string | string[] | undefined;
const rolesOf = (roles: Roles): string[] | undefined => (roles === undefined ? undefined : Array.isArray(roles) ? roles : [roles]);

/** The newest event of a stream, parsed (the server, too, reads only the newest `$settings` and metadata). */
function newestData(log: StandInLog, stream: string): Record<string, Record<string, Roles> | undefined> | undefined {
  const indexes = log.streamIndexes(stream);
  if (!indexes) return undefined;
  const event = log.events[indexes[indexes.length - 1]];
  return JSON.parse(Buffer.from(event.data).toString('utf8')) as Record<string, Record<string, Roles>>;
}

/**
 * The ACLs in force, read from the log as the server reads them: the defaults from the newest `$settings`
 * event (`$userStreamAcl`, `$systemStreamAcl`), the `$all` ACL from the newest `$metadata` of `$$$all`
 * (what `setStreamMetadata('$all', …)` writes), falling back to the system-stream default. Exactly what
 * deploy/eventstore/setup-users.mjs writes, and a fresh node's defaults where it has not run.
 */
export function aclFromLog(log: StandInLog): StandInAcl {
  const settings = newestData(log, '$settings');
  const allMetadata = newestData(log, '$$$all');
  return {
    allRead: rolesOf(allMetadata?.$acl?.$r) ?? rolesOf(settings?.$systemStreamAcl?.$r) ?? DEFAULT_ACL.allRead,
    userStreamRead: rolesOf(settings?.$userStreamAcl?.$r) ?? DEFAULT_ACL.userStreamRead,
    userStreamWrite: rolesOf(settings?.$userStreamAcl?.$w) ?? DEFAULT_ACL.userStreamWrite,
  };
}

/**
 * Basic-auth users and stream ACLs, checked as KurrentDB does: a bad or missing password is UNAUTHENTICATED
 * before anything else, `$admins` may do everything, and otherwise a role of the user must be in the ACL's
 * role list for the action, `$all` meaning everyone (LegacyStreamPermissionAssertion.cs). A denial is
 * `RpcExceptions.AccessDenied()`: PERMISSION_DENIED with `exception: access-denied`.
 */
export class StandInAccess {
  constructor(
    private readonly users: Record<string, StandInUser>,
    /** The ACLs as they stand at the moment of the call (see aclFromLog). */
    private readonly acl: () => StandInAcl,
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
    if (stream === '$all') return action === 'read' ? this.acl().allRead : [];
    if (stream.startsWith('$')) return [];
    const acl = this.acl();
    return action === 'read' ? acl.userStreamRead : acl.userStreamWrite;
  }
}
