import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { accountDecider, accountStreamName, decideAccount } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import type { EventStore } from '@ledgerline/event-store';
import type { LedgerWriter } from '@ledgerline/ledger';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { decideAndAppend } from '../../../../platform/commands/decide-and-append';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../../platform/ledger/ledger.tokens';
import { EraseSubjectCommand, type EraseSubjectResult } from './erase-subject.command';

@CommandHandler(EraseSubjectCommand)
export class EraseSubjectHandler implements ICommandHandler<EraseSubjectCommand, EraseSubjectResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
  ) {}

  async execute({ userId, context, metadata }: EraseSubjectCommand): Promise<EraseSubjectResult> {
    const result = await decideAndAppend({
      store: this.store,
      writer: this.writer,
      stream: accountStreamName(userId),
      decider: accountDecider,
      context,
      decide: async ({ state }) => {
        const events = decideAccount({ type: 'EraseSubject', data: { userId }, metadata }, state);
        // The key goes first: SubjectErased is never on record while the key still exists. If the
        // append then fails, a retry finds the key already destroyed (destroy is idempotent).
        await this.cipher.eraseSubject(userId);
        return events;
      },
    });
    return { position: result.position as bigint };
  }
}
