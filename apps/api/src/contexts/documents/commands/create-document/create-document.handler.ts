import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDocument } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import type { EventStore } from '@ledgerline/event-store';
import type { LedgerWriter } from '@ledgerline/ledger';
import { PLAN_DIRECTORY, type PlanDirectory } from '../../../accounts/plan-directory';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../../platform/ledger/ledger.tokens';
import { DocumentQuotas } from '../../quota/document-quotas';
import { decideDocumentCommand } from '../decide-document-command';
import type { DocumentCommandResult } from '../document-command-result';
import { CreateDocumentCommand } from './create-document.command';

@CommandHandler(CreateDocumentCommand)
export class CreateDocumentHandler implements ICommandHandler<CreateDocumentCommand, DocumentCommandResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
    @Inject(PLAN_DIRECTORY) private readonly plans: PlanDirectory,
    private readonly quotas: DocumentQuotas,
  ) {}

  async execute(command: CreateDocumentCommand): Promise<DocumentCommandResult> {
    const { documentId, ownerId, context, metadata } = command;
    // The owner is the data subject of a document's content: erasing the owner shreds it. Encryption
    // (for a new owner: a data key made durable first) runs while the quota slot is taken, since the
    // slot's event carries no ciphertext; the document's event, which does, waits for both.
    const sealed = Promise.all([this.cipher.encrypt(ownerId, command.title), this.cipher.encrypt(ownerId, command.body)]);
    sealed.catch(() => undefined); // awaited below; a refused slot leaves it unawaited
    // The quota is decided on the owner's quota stream first (exact across instances), then the document is
    // written. The plan (a read model that may have to catch up) is read only at the free-plan limit.
    const ownerPlan = () => this.plans.planOf(ownerId);
    return this.quotas.withSlot({ ownerId, documentId, ownerPlan, context, metadata }, async () => {
      const [title, body] = await sealed;
      return decideDocumentCommand({ store: this.store, writer: this.writer, documentId, context }, (state) =>
        decideDocument({ type: 'CreateDocument', data: { documentId, ownerId, title, body }, metadata }, state),
      );
    });
  }
}
