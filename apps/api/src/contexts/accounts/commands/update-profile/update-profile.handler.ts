import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { accountDecider, accountStreamName, decideAccount, PROFILE_FIELDS, type EncryptedValue, type UpdateProfile } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import type { EventStore } from '@ledgerline/event-store';
import type { LedgerWriter } from '@ledgerline/ledger';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { decideAndAppend } from '../../../../platform/commands/decide-and-append';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { LEDGER_WRITER } from '../../../../platform/ledger/ledger.tokens';
import { UpdateProfileCommand, type UpdateProfileResult } from './update-profile.command';

@CommandHandler(UpdateProfileCommand)
export class UpdateProfileHandler implements ICommandHandler<UpdateProfileCommand, UpdateProfileResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
  ) {}

  async execute({ userId, changes, context, metadata }: UpdateProfileCommand): Promise<UpdateProfileResult> {
    const result = await decideAndAppend({
      store: this.store,
      writer: this.writer,
      stream: accountStreamName(userId),
      decider: accountDecider,
      context,
      decide: async ({ state }) => {
        const data: UpdateProfile['data'] = { userId };
        // An erased account refuses everything: let the decider say so before anything is encrypted.
        if (!state.erased) {
          await Promise.all(
            PROFILE_FIELDS.map(async (field) => {
              const value = changes[field];
              if (value !== undefined) data[field] = value === null ? null : await this.cipher.encrypt(userId, value);
            }),
          );
        }
        return decideAccount({ type: 'UpdateProfile', data, metadata }, state);
      },
    });
    const { state } = result;
    const fields: Record<string, EncryptedValue | null> = { displayName: state.displayName, email: state.email, phone: state.phone };
    const { value, erased } = await this.cipher.decryptDeep(fields);
    return {
      profile: { displayName: value.displayName, email: value.email, phone: value.phone, erased },
      revision: result.revision as number,
      position: result.position as bigint,
    };
  }
}
