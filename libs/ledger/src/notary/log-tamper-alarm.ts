import { verifyEvent, type StoredEvent } from '@ledgerline/integrity';

/** A stored event whose recomputed hashes disagree with its envelope, found before it became a leaf. */
export interface TamperedLeaf {
  eventId: string;
  stream: string;
  revision: number;
  /** Global position, decimal. */
  position: string;
  /** verifyEvent's reason (`data-hash`, `hash`, `envelope`, `id-mismatch`…). */
  reason: string;
  /** Which values disagree (hashes and identifiers only, never event data). */
  detail: string;
}

/** Thrown by the Merkle-log projector at a tampered event: its runner stops there and never skips it. */
export class TamperedLeafError extends Error {
  constructor(readonly finding: TamperedLeaf) {
    super(`event ${finding.eventId} (${finding.stream}@${finding.revision}, position ${finding.position}) fails its own envelope: ${finding.reason}`);
    this.name = 'TamperedLeafError';
  }
}

const NO_KEYS = new Map();

/**
 * Shared by the Merkle-log projector, which checks each event before it becomes a leaf and trips the
 * alarm on a mismatch, and the checkpoint notary, which signs nothing once it is tripped. `onTripped`
 * runs once per finding (the security record); it must not throw.
 */
export class LogTamperAlarm {
  private found: TamperedLeaf | undefined;

  constructor(private readonly onTripped: (finding: TamperedLeaf) => void = () => undefined) {}

  /** The first tampered event found by this process, if any. */
  get tripped(): TamperedLeaf | undefined {
    return this.found;
  }

  /**
   * Recomputes dataHash and hash from the stored data and metadata (no signature check: two SHA-256 over
   * canonical JSON, cheap next to the tree update). Throws TamperedLeafError after tripping on a mismatch.
   */
  check(event: StoredEvent & { position: bigint }): void {
    const verified = verifyEvent(event, NO_KEYS, { checkSignature: false });
    if (verified.ok) return;
    const finding: TamperedLeaf = {
      eventId: event.id,
      stream: event.stream,
      revision: event.revision,
      position: event.position.toString(),
      reason: verified.reason,
      detail: verified.detail,
    };
    if (this.found === undefined) {
      this.found = finding;
      this.onTripped(finding);
    }
    throw new TamperedLeafError(finding);
  }
}
