import { Inject, Injectable } from '@nestjs/common';
import type { FieldCipher } from '@ledgerline/crypto';
import type { CommandContext, LedgerWriter, PendingEvent } from '@ledgerline/ledger';
import { FIELD_CIPHER } from '../../../platform/crypto/crypto.tokens';
import { LEDGER_WRITER } from '../../../platform/ledger/ledger.tokens';
import {
  AUDIT_ACCESSED,
  auditAccessStreamName,
  SENSITIVE_DATA_ACCESSED,
  type AuditAccessedData,
  type RevealedAccess,
  type SensitiveDataAccessedData,
} from './audit-access.events';

/**
 * The audit of the audit (SPEC §7.2): every audit answer is recorded as sealed events through the
 * LedgerWriter — never through an audit route, so recording cannot recurse. Callers await the record
 * before answering: an access that could not be recorded is not served.
 */
@Injectable()
export class AuditAccessLog {
  private readonly clock: () => Date = () => new Date();

  constructor(
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
  ) {}

  /**
   * Appends AuditAccessed, preceded in the same atomic append by SensitiveDataAccessed when plaintext was
   * shown. The reason is encrypted under the officer's own data key first (the actor is the officer).
   */
  async record(context: CommandContext, access: AuditAccessedData, revealed?: RevealedAccess): Promise<void> {
    const events: PendingEvent[] = [];
    if (revealed !== undefined) {
      const sealed: SensitiveDataAccessedData = { ...revealed, reason: await this.cipher.encrypt(context.actor.id, revealed.reason) };
      events.push({ type: SENSITIVE_DATA_ACCESSED, data: definedMembers(sealed) });
    }
    events.push({ type: AUDIT_ACCESSED, data: definedMembers(access) });
    // 'any': officers share the day's stream; the writer reseals on another instance's concurrent append.
    await this.writer.append(auditAccessStreamName(this.clock()), events, 'any', context);
  }
}

/** Canonical JSON has no `undefined`: optional members that are not set are left out. */
function definedMembers(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}
