import type { EncryptedValue } from '@ledgerline/crypto';

/** An audit request was served (or refused after sign-in): who (the event's actor), what, how much. */
export const AUDIT_ACCESSED = 'AuditAccessed';
/** Encrypted values were shown in plaintext to a compliance officer, for the reason they gave. */
export const SENSITIVE_DATA_ACCESSED = 'SensitiveDataAccessed';

/** One stream per UTC day, so no stream grows without bound and a day's accesses read in order. */
export function auditAccessStreamName(at: Date): string {
  return `audit-access-${at.toISOString().slice(0, 10)}`;
}

export interface AuditAccessedData {
  /** Method and route template, e.g. `GET /v1/audit/events/:id`. */
  route: string;
  status: number;
  /** The audit filters as given (identifiers and times only). */
  filters?: Record<string, string>;
  /** Events listed, shown or exported. */
  resultCount?: number;
  /** The event or stream a single-item route was about. */
  eventId?: string;
  stream?: string;
  reveal?: boolean;
  /** Export: events left out because no checkpoint covers them yet, and the checkpoint's size. */
  pending?: number;
  treeSize?: number;
  /** The client went away before the answer was complete. */
  aborted?: boolean;
  /** Problem type of a refused request. */
  problem?: string;
  /** Verification job started. */
  jobId?: string;
  [member: string]: unknown;
}

/** What an answer revealed, with the officer's reason still in plaintext (it never leaves the process so). */
export interface RevealedAccess {
  route: string;
  /** The officer's own words from X-Access-Reason. */
  reason: string;
  eventIds: string[];
  streams: string[];
  erasedEventIds?: string[];
}

export interface SensitiveDataAccessedData {
  route: string;
  /**
   * The officer's own words from X-Access-Reason, encrypted under the officer's data key like anything a
   * person typed (SPEC §6): the log is never erased, and a reason may name someone ("complaint from …").
   */
  reason: EncryptedValue;
  eventIds: string[];
  streams: string[];
  /** Events whose values could not be shown because their subject was erased. */
  erasedEventIds?: string[];
  [member: string]: unknown;
}
