import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_STREAM, evolveAccess, rolesOf, type AccessEvent, type AccessState } from '@ledgerline/domain';
import { ConcurrencyError } from '@ledgerline/event-store';
import type { CommandContext, LedgerWriter } from '@ledgerline/ledger';
import { pendingEvents } from '../../../platform/commands/pending-events';
import { LEDGER_WRITER } from '../../../platform/ledger/ledger.tokens';
import type { PrincipalRole } from '../authorization/principal';
import { RoleDirectory } from '../roles/role-directory';

/** What a role command answers: the subject's roles afterwards, and the append's position when events were written. */
export interface RoleChangeResult {
  userId: string;
  roles: PrincipalRole[];
  position?: bigint;
}

/** The outcome of one access command: the state after it, and what was appended. */
export interface AccessRunResult {
  state: AccessState;
  written: number;
  position?: bigint;
}

/** `user` plus the granted roles of `userId` in `state`. */
export function roleChange(userId: string, result: AccessRunResult): RoleChangeResult {
  return { userId, roles: ['user', ...rolesOf(result.state, userId)], ...(result.position !== undefined ? { position: result.position } : {}) };
}

/** `access-roles` is one hot stream: quick retries absorb concurrent grants before giving up with 409. */
export const ACCESS_APPEND_ATTEMPTS = 10;
const RETRY_JITTER_MS = 10;

/**
 * The thin handler body for every access command: load `access-roles` → fold → decide → append with
 * the exact expected revision, retried from a fresh fold when another writer got there first.
 */
@Injectable()
export class AccessCommandRunner {
  /** In-process queue: commands of this instance never race each other; retries cover other instances. */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly directory: RoleDirectory,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
  ) {}

  run(decide: (state: AccessState) => AccessEvent[], context: CommandContext): Promise<AccessRunResult> {
    const run = this.tail.then(
      () => this.decideAndAppend(decide, context),
      () => this.decideAndAppend(decide, context),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async decideAndAppend(decide: (state: AccessState) => AccessEvent[], context: CommandContext): Promise<AccessRunResult> {
    for (let attempt = 1; ; attempt++) {
      const { revision, state } = await this.directory.current();
      const events = decide(state);
      const after = events.reduce(evolveAccess, state);
      if (events.length === 0) return { state: after, written: 0 };
      try {
        const result = await this.writer.append(
          ACCESS_STREAM,
          pendingEvents(events),
          revision ?? 'no_stream',
          context,
        );
        return { state: after, written: events.length, position: result.position };
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= ACCESS_APPEND_ATTEMPTS) throw error;
        // Jitter spreads the losers out, so each round of a burst lets more than one of them through.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_JITTER_MS * attempt));
      }
    }
  }
}
