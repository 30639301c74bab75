import { Inject, Injectable } from '@nestjs/common';
import { isEncryptedValue, redactDeep, type FieldCipher } from '@ledgerline/crypto';
import { FIELD_CIPHER } from '../../../platform/crypto/crypto.tokens';

/** What an audit answer shows of an event's data: redacted, or (with a reason) decrypted. */
export interface ShownData {
  value: unknown;
  /** Some value belonged to an erased subject and reads as null. */
  erased: boolean;
  /** The data held at least one encrypted value. */
  encrypted: boolean;
}

/** Audit answers show `{"$jwe"}` values as "[encrypted]"; with `reveal`, as plaintext for that answer only. */
@Injectable()
export class FieldRevealer {
  constructor(@Inject(FIELD_CIPHER) private readonly cipher: FieldCipher) {}

  async show(data: unknown, reveal: boolean): Promise<ShownData> {
    const encrypted = containsEncryptedValue(data);
    if (!reveal || !encrypted) return { value: redactDeep(data), erased: false, encrypted };
    const { value, erased } = await this.cipher.decryptDeep(data);
    return { value, erased, encrypted };
  }
}

function containsEncryptedValue(node: unknown): boolean {
  if (isEncryptedValue(node)) return true;
  if (Array.isArray(node)) return node.some(containsEncryptedValue);
  if (typeof node === 'object' && node !== null) return Object.values(node).some(containsEncryptedValue);
  return false;
}
