import type { AppendResult, ExpectedRevision, JsonObject } from '@ledgerline/event-store';
import type { CommandContext } from './actor';

/** An unsealed domain event: the writer adds the id, the envelope and the signature. */
export interface PendingEvent {
  type: string;
  data: JsonObject;
}

export interface SealedAppendResult extends AppendResult {
  /** Ids of the events written, in order. */
  eventIds: string[];
}

export interface LedgerAppendOptions {
  /**
   * false: the events need not be stored all-or-nothing (e.g. a flush of independent security incidents).
   * The writer may then store them in several appends, each within the store's per-append limit
   * (EventStore.maxAppendBytes), every one still sealed onto the chain. Default true.
   */
  atomic?: boolean;
}

/**
 * The sealed write path: the only way events reach the store. It reads the stream head, seals
 * each event (chained to the previous one, including events of the same call) and appends with
 * the exact expected revision.
 */
export interface LedgerWriter {
  append(stream: string, events: PendingEvent[], expected: ExpectedRevision, context: CommandContext, options?: LedgerAppendOptions): Promise<SealedAppendResult>;
  /**
   * Appends to several distinct streams, each with an exact expectation (a revision or 'no_stream'):
   * in one transaction, all or nothing, where the store can (the embedded one); elsewhere one after
   * another in the order given, so a later part is written only once the earlier ones are.
   */
  appendTogether(parts: readonly LedgerAppendPart[], context: CommandContext): Promise<SealedAppendResult[]>;
  /** Whether appendTogether is one transaction here (else a failed later part leaves the earlier ones written). */
  readonly appendsTogetherAtomically: boolean;
}

/** One stream's part of appendTogether. */
export interface LedgerAppendPart {
  stream: string;
  events: PendingEvent[];
  expected: number | 'no_stream';
}
