import type { CommandMetadata } from '@ledgerline/domain';

/** The command's time, read once by the handler layer so deciders stay pure (RFC 3339 UTC with ms). */
export function commandMetadata(now: Date = new Date()): CommandMetadata {
  return { now: now.toISOString() };
}
