import { documentDecider, documentStreamName, type DocumentEvent, type DocumentState } from '@ledgerline/domain';
import type { EventStore } from '@ledgerline/event-store';
import type { CommandContext, LedgerWriter } from '@ledgerline/ledger';
import { decideAndAppend } from '../../../platform/commands/decide-and-append';
import type { DocumentSnapshots } from '../read-models/document-snapshots';
import type { DocumentCommandResult } from './document-command-result';

export interface DocumentCommandTarget {
  store: EventStore;
  writer: LedgerWriter;
  documentId: string;
  context: CommandContext;
  /** If-Match: the revision the client based its change on. */
  expectedRevision?: number;
  /** Where the document's state is folded from (a create writes with its quota slot instead: DocumentQuotas). */
  snapshots: DocumentSnapshots;
}

/** Every document handler's body: decide on the document's folded state, append, answer its revision and position. */
export async function decideDocumentCommand(
  { store, writer, documentId, context, expectedRevision, snapshots }: DocumentCommandTarget,
  decide: (state: DocumentState) => Promise<DocumentEvent[]> | DocumentEvent[],
): Promise<DocumentCommandResult> {
  const result = await decideAndAppend({
    store,
    writer,
    stream: documentStreamName(documentId),
    decider: documentDecider,
    context,
    expectedRevision,
    snapshot: () => snapshots.snapshot(documentId),
    decide: ({ state }) => decide(state),
  });
  return { documentId, revision: result.revision as number, position: result.position as bigint };
}
