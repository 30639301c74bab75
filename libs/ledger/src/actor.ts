/** Who caused an event (SPEC §3): identifiers only, never plaintext PII. */
export interface Actor {
  kind: 'user' | 'webhook' | 'system';
  id: string;
  session?: string;
  org?: string;
  /** Seconds since the actor's second factor was verified, when known (Clerk `fva`). */
  mfa?: number;
  ref?: string;
}

/** What every command carries into the events it causes. */
export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId: string;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'ledgerline' };
