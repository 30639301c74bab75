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

/**
 * The sealed write path: the only way events reach the store. It reads the stream head, seals
 * each event (chained to the previous one, including events of the same call) and appends with
 * the exact expected revision.
 */
export interface LedgerWriter {
  append(stream: string, events: PendingEvent[], expected: ExpectedRevision, context: CommandContext): Promise<SealedAppendResult>;
}
