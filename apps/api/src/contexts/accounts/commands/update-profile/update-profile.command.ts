import { Command } from '@nestjs/cqrs';
import type { CommandMetadata, ProfileField } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';
import type { ProfileView } from '../../account.views';

/** Each given field is set (plaintext until the handler encrypts it) or cleared (null); omitted ones stay. */
export type ProfileChanges = Partial<Record<ProfileField, string | null>>;

export interface UpdateProfileResult {
  profile: ProfileView;
  revision: number;
  position: bigint;
}

export class UpdateProfileCommand extends Command<UpdateProfileResult> {
  constructor(
    readonly userId: string,
    readonly changes: ProfileChanges,
    readonly context: CommandContext,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}
