import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDocument, documentDecider, documentStreamName } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import { PLAN_DIRECTORY, type PlanDirectory } from '../../../accounts/plan-directory';
import { pendingEvents } from '../../../../platform/commands/pending-events';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { DocumentQuotas } from '../../quota/document-quotas';
import type { DocumentCommandResult } from '../document-command-result';
import { CreateDocumentCommand } from './create-document.command';

@CommandHandler(CreateDocumentCommand)
export class CreateDocumentHandler implements ICommandHandler<CreateDocumentCommand, DocumentCommandResult> {
  constructor(
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
    @Inject(PLAN_DIRECTORY) private readonly plans: PlanDirectory,
    private readonly quotas: DocumentQuotas,
  ) {}

  async execute(command: CreateDocumentCommand): Promise<DocumentCommandResult> {
    const { documentId, ownerId, context, metadata } = command;
    // The owner is the data subject of a document's content: erasing the owner shreds it. Encryption
    // (for a new owner: a data key made durable first) runs while the quota slot is decided; the
    // document's events, which carry the ciphertext, are decided once both are done.
    const sealed = Promise.all([this.cipher.encrypt(ownerId, command.title), this.cipher.encrypt(ownerId, command.body)]);
    sealed.catch(() => undefined); // awaited below; a refused slot leaves it unawaited
    // The slot on the owner's quota stream (exact across instances) and the new document are written
    // together. The plan (a read model that may have to catch up) is read only at the free-plan limit.
    const ownerPlan = () => this.plans.planOf(ownerId);
    const result = await this.quotas.createWithSlot({ ownerId, documentId, ownerPlan, context, metadata }, async () => {
      const [title, body] = await sealed;
      const events = decideDocument({ type: 'CreateDocument', data: { documentId, ownerId, title, body }, metadata }, documentDecider.initialState());
      return { stream: documentStreamName(documentId), events: pendingEvents(events), expected: 'no_stream' };
    });
    return { documentId, revision: result.nextExpectedRevision, position: result.position };
  }
}
