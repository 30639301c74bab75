import type { AccessRequirements } from './access.decorator';
import type { Principal } from './principal';

export type AccessDecision =
  | { allowed: true }
  | { allowed: false; reason: 'missing-role' | 'separation-of-duties'; detail: string }
  | { allowed: false; reason: 'mfa-required'; detail: string };

/**
 * Decides whether a signed-in principal meets a route's requirements. Order matters: roles and
 * duties first, so a caller who could never pass is not asked to re-verify for nothing.
 */
export function evaluateAccess(principal: Principal, requirements: AccessRequirements, mfaMaxAgeMinutes: number): AccessDecision {
  const required = requirements.roles ?? [];
  if (required.length > 0 && !required.some((role) => principal.roles.includes(role))) {
    return { allowed: false, reason: 'missing-role', detail: `this route needs the ${required.join(' or ')} role` };
  }
  if (requirements.auditRead && principal.roles.includes('admin')) {
    return { allowed: false, reason: 'separation-of-duties', detail: 'administrators do not read the audit log' };
  }
  if (requirements.domainWrite && principal.roles.includes('compliance')) {
    return { allowed: false, reason: 'separation-of-duties', detail: 'compliance officers do not change domain data' };
  }
  if (requirements.mfa && !hasFreshSecondFactor(principal, mfaMaxAgeMinutes)) {
    return { allowed: false, reason: 'mfa-required', detail: `this route needs a second factor verified in the last ${mfaMaxAgeMinutes} minutes` };
  }
  return { allowed: true };
}

export function hasFreshSecondFactor(principal: Principal, mfaMaxAgeMinutes: number): boolean {
  return principal.secondFactorAgeMinutes !== null && principal.secondFactorAgeMinutes <= mfaMaxAgeMinutes;
}
