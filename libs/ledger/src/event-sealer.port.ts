import type { JsonObject } from '@ledgerline/event-store';
import type { Actor } from './actor';

/** Everything an envelope (SPEC §3) covers, for one event. */
export interface SealInput {
  id: string;
  stream: string;
  revision: number;
  type: string;
  time: string;
  actor: Actor;
  correlationId: string;
  causationId: string;
  data: JsonObject;
  prevHash: string;
}

/** Produces the sealed metadata (dataHash, prev, hash, sig) for one event. */
export interface EventSealer {
  seal(input: SealInput): JsonObject;
}
