import type { Actor } from '@ledgerline/integrity';

export type { Actor };

/** What every command carries into the events it causes. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId: string;
}
