import type { RoleActor } from '@ledgerline/domain';
import type { CommandContext } from '@ledgerline/ledger';

/** Who grants or revokes, as the access events record it (kind and id only). */
export function roleActorOf(context: CommandContext): RoleActor {
  // A webhook actor passes through unchanged so the decider refuses it (invalid-actor) rather than us guessing.
  return { kind: context.actor.kind as RoleActor['kind'], id: context.actor.id };
}
