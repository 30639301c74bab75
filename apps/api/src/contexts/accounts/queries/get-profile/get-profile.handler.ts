import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EncryptedValue } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import type { ReadDb } from '@ledgerline/projections';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { READ_DB } from '../../../../platform/projections/projections.tokens';
import type { ProfileView } from '../../account.views';
import { GetProfileQuery } from './get-profile.query';

interface Row {
  display_name: string | null;
  email: string | null;
  phone: string | null;
  erased: unknown;
}

const parse = (text: string | null): EncryptedValue | null => (text === null ? null : (JSON.parse(text) as EncryptedValue));

/** Eventually consistent: after PUT /v1/me/profile, read with X-Consistent-After: <its position>. */
@QueryHandler(GetProfileQuery)
export class GetProfileHandler implements IQueryHandler<GetProfileQuery, ProfileView> {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
  ) {}

  async execute({ userId }: GetProfileQuery): Promise<ProfileView> {
    const [row] = await this.db.query<Row>('SELECT display_name, email, phone, erased FROM profiles WHERE user_id = $1', [userId]);
    if (!row) return { displayName: null, email: null, phone: null, erased: false };
    const { value, erased } = await this.cipher.decryptDeep({
      displayName: parse(row.display_name),
      email: parse(row.email),
      phone: parse(row.phone),
    });
    return { displayName: value.displayName, email: value.email, phone: value.phone, erased: erased || Number(row.erased) === 1 };
  }
}
