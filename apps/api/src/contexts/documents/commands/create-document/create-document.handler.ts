import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideDocument } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import type { EventStore } from '@ledgerline/event-store';
import { PerKeyQueue, type LedgerWriter } from '@ledgerline/ledger';
import { PLAN_DIRECTORY, type PlanDirectory } from '../../../accounts/plan-directory';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../../platform/ledger/ledger.tokens';
import { LiveDocumentCounts } from '../../read-models/live-document-counts.reader';
import { decideDocumentCommand } from '../decide-document-command';
import type { DocumentCommandResult } from '../document-command-result';
import { CreateDocumentCommand } from './create-document.command';

@CommandHandler(CreateDocumentCommand)
export class CreateDocumentHandler implements ICommandHandler<CreateDocumentCommand, DocumentCommandResult> {
  /**
   * One create at a time per owner in this process: each counts the owner's live documents only
   * after the previous create's event is in the log (and the count catches up to the log), so
   * concurrent creates cannot all pass at the quota's edge. Across API instances the count is still
   * a read model, not a lock: two instances can each admit one create at the limit.
   */
  private readonly createsPerOwner = new PerKeyQueue();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
    @Inject(PLAN_DIRECTORY) private readonly plans: PlanDirectory,
    private readonly counts: LiveDocumentCounts,
  ) {}

  execute(command: CreateDocumentCommand): Promise<DocumentCommandResult> {
    return this.createsPerOwner.run(command.ownerId, () => this.create(command));
  }

  private async create(command: CreateDocumentCommand): Promise<DocumentCommandResult> {
    const { documentId, ownerId, context, metadata } = command;
    const [ownerPlan, ownerLiveDocumentCount] = await Promise.all([this.plans.planOf(ownerId), this.counts.countOf(ownerId)]);
    // The owner is the data subject of a document's content: erasing the owner shreds it.
    const [title, body] = await Promise.all([this.cipher.encrypt(ownerId, command.title), this.cipher.encrypt(ownerId, command.body)]);
    return decideDocumentCommand({ store: this.store, writer: this.writer, documentId, context }, (state) =>
      decideDocument({ type: 'CreateDocument', data: { documentId, ownerId, title, body, ownerLiveDocumentCount, ownerPlan }, metadata }, state),
    );
  }
}
