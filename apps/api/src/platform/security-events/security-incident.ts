/** What kind of control noticed something (bounded, so it can be a dashboard dimension). */
export type SecurityCategory = 'authentication' | 'authorization' | 'mfa' | 'rate-limit' | 'webhook' | 'other';

/** One suspicious occurrence, as reported by a control (guard, rate limiter, webhook check). */
export interface SecurityObservation {
  category: SecurityCategory;
  /** Stable kebab-case reason, e.g. `token-expired`, `missing-role`, `rate-limited`, `webhook-signature-invalid`. */
  reason: string;
  /** Truncated client network (see clientSource), never a full IP address. */
  source: string;
  /** Route pattern (`PUT /v1/admin/users/:userId/roles/:role`), never the raw URL. */
  route?: string;
  /** Signed-in user involved (an identifier, not PII), for denials after authentication. */
  userId?: string;
}

/** Observations with the same (source, reason) in one time window, counted. */
export interface SecurityIncident {
  category: SecurityCategory;
  reason: string;
  source: string;
  count: number;
  windowStart: string;
  windowEnd: string;
  firstSeen: string;
  lastSeen: string;
  /** Up to a few distinct route patterns and user ids seen, as samples. */
  routes: string[];
  users: string[];
}

/** The event type appended for each incident (past tense, like every event). */
export const SECURITY_INCIDENT_EVENT = 'SecurityIncidentObserved';

/** One stream per UTC day: `security-2026-11-28`. */
export function securityStreamName(windowStart: string): string {
  return `security-${windowStart.slice(0, 10)}`;
}
