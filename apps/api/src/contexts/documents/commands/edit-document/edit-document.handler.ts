import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDocument, type EncryptedValue } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import type { EventStore } from '@ledgerline/event-store';
import type { LedgerWriter } from '@ledgerline/ledger';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../../platform/ledger/ledger.tokens';
import { visibleDocument } from '../../command-support/visible-document';
import { DocumentSnapshots } from '../../read-models/document-snapshots';
import { decideDocumentCommand } from '../decide-document-command';
import type { DocumentCommandResult } from '../document-command-result';
import { EditDocumentCommand } from './edit-document.command';

@CommandHandler(EditDocumentCommand)
export class EditDocumentHandler implements ICommandHandler<EditDocumentCommand, DocumentCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    private readonly snapshots: DocumentSnapshots,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
  ) {}

  async execute(command: EditDocumentCommand): Promise<DocumentCommandResult> {
    const { documentId, actorId, changes, expectedRevision, context, metadata } = command;
    return decideDocumentCommand({ store: this.store, writer: this.writer, snapshots: this.snapshots, documentId, context, expectedRevision }, async (state) => {
      const { ownerId } = visibleDocument(state, actorId);
      // A writer's edit is still the owner's data: it is encrypted under the owner's key.
      const encrypt = (text: string | undefined): Promise<EncryptedValue | undefined> =>
        text === undefined ? Promise.resolve(undefined) : this.cipher.encrypt(ownerId, text);
      const [title, body] = await Promise.all([encrypt(changes.title), encrypt(changes.body)]);
      return decideDocument(
        {
          type: 'EditDocument',
          data: { documentId, actorId, ...(title !== undefined && { title }), ...(body !== undefined && { body }) },
          metadata,
        },
        state,
      );
    });
  }
}
