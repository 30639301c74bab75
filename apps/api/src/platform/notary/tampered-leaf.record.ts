import { randomUUID } from 'node:crypto';
import type { LedgerWriter, TamperedLeaf } from '@ledgerline/ledger';
import type winston from 'winston';
import { securityStreamName } from '../security-events/security-incident';

/** A stored event failed its own hashes before it became a leaf; the notary stopped signing there. */
export const LOG_TAMPERING_DETECTED = 'LogTamperingDetected';

/**
 * What the notary does when its tamper alarm trips: an error log line an operator is paged on, and a
 * sealed LogTamperingDetected security event (identifiers and hashes only, never the event's data).
 * The event goes to the day's security stream; it is not a leaf until the tampered row is dealt with,
 * since the Merkle log stays stopped before it.
 */
export function recordTamperedLeaf(writer: LedgerWriter, logger: winston.Logger, now: () => Date = () => new Date()): (finding: TamperedLeaf) => void {
  return (finding) => {
    logger.error('notary stopped: a stored event fails its own hashes; no checkpoint will be signed over it', { context: 'notary', ...finding });
    const id = randomUUID();
    writer
      .append(securityStreamName(now().toISOString()), [{ type: LOG_TAMPERING_DETECTED, data: { ...finding } }], 'any', {
        actor: { kind: 'system', id: 'notary' },
        correlationId: id,
        causationId: id,
      })
      .catch((error: unknown) => logger.error('the tampering security event could not be stored', { context: 'notary', error, ...finding }));
  };
}
