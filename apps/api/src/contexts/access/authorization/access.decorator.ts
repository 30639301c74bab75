import { SetMetadata } from '@nestjs/common';
import type { Role } from '@ledgerline/domain';

/**
 * What a route needs. Without `@Access`, a route needs a signed-in user (secure by default).
 * - `public`: no token needed (health, JWKS, checkpoints, webhooks with their own signature check).
 * - `roles`: the principal must hold at least one of them.
 * - `mfa`: a second factor no older than MFA_MAX_AGE_MINUTES, else 403 in Clerk's reverification shape.
 * - `domainWrite`: the route changes domain data (profile, documents, shares, billing); principals
 *   holding `compliance` are refused, whatever else they hold (SPEC §7.1 separation of duties).
 * - `auditRead`: the route reads the audit log; principals holding `admin` are refused, whatever else
 *   they hold. Audit routes combine it with `roles: ['compliance'], mfa: true`.
 */
export interface AccessRequirements {
  public?: boolean;
  roles?: Role[];
  mfa?: boolean;
  domainWrite?: boolean;
  auditRead?: boolean;
}

export const ACCESS_METADATA = 'ledgerline:access';

/** Declares a route's (or a controller's) access requirements; a method's `@Access` replaces its controller's. */
export function Access(requirements: AccessRequirements): MethodDecorator & ClassDecorator {
  if (requirements.public && (requirements.roles?.length || requirements.mfa || requirements.domainWrite || requirements.auditRead)) {
    throw new Error('@Access: a public route cannot also require roles, MFA or duties');
  }
  return SetMetadata(ACCESS_METADATA, Object.freeze({ ...requirements, roles: requirements.roles ? [...requirements.roles] : undefined }));
}

/** Shorthand for audit routes: compliance + fresh MFA, never an admin. */
export const AuditAccess = (): MethodDecorator & ClassDecorator => Access({ roles: ['compliance'], mfa: true, auditRead: true });

/** Shorthand for routes that change domain data: any signed-in user except a compliance officer. */
export const DomainWriteAccess = (options: { mfa?: boolean } = {}): MethodDecorator & ClassDecorator =>
  Access({ domainWrite: true, mfa: options.mfa });
