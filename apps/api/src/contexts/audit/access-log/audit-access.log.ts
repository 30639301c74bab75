import { Inject, Injectable } from '@nestjs/common';
import type { CommandContext, LedgerWriter, PendingEvent } from '@ledgerline/ledger';
import { LEDGER_WRITER } from '../../../platform/ledger/ledger.tokens';
import {
  AUDIT_ACCESSED,
  auditAccessStreamName,
  SENSITIVE_DATA_ACCESSED,
  type AuditAccessedData,
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

  constructor(@Inject(LEDGER_WRITER) private readonly writer: LedgerWriter) {}

  /** Appends AuditAccessed, preceded in the same atomic append by SensitiveDataAccessed when plaintext was shown. */
  async record(context: CommandContext, access: AuditAccessedData, revealed?: SensitiveDataAccessedData): Promise<void> {
    const events: PendingEvent[] = [];
    if (revealed !== undefined) events.push({ type: SENSITIVE_DATA_ACCESSED, data: definedMembers(revealed) });
    events.push({ type: AUDIT_ACCESSED, data: definedMembers(access) });
    // 'any': officers share the day's stream; the writer reseals on another instance's concurrent append.
    await this.writer.append(auditAccessStreamName(this.clock()), events, 'any', context);
  }
}

/** Canonical JSON has no `undefined`: optional members that are not set are left out. */
function definedMembers(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
}
