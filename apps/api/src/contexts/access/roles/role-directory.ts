import { Inject, Injectable } from '@nestjs/common';
import { ACCESS_STREAM, evolveAccess, initialAccessState, isAccessEvent, rolesOf, type AccessEvent, type AccessState } from '@ledgerline/domain';
import type { EventStore } from '@ledgerline/event-store';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import type { PrincipalRole } from '../authorization/principal';

/** The read side the directory needs: never `append` (grants go through the LedgerWriter). */
export type AccessStreamReader = Pick<EventStore, 'readStream' | 'readLastEvent' | 'readStreamRevision'>;

/** The folded `access-roles` stream at one revision (undefined: the stream does not exist yet). */
export interface AccessSnapshot {
  revision: number | undefined;
  state: AccessState;
}

/**
 * Who holds which role: the `access-roles` stream folded with the domain's evolveAccess.
 *
 * Cache policy: every lookup reads the stream's head revision (one indexed read) and folds only
 * the events after the cached revision. So a revocation takes effect on the very next request, on
 * every instance, without a TTL window in which a removed admin keeps their powers.
 */
@Injectable()
export class RoleDirectory {
  private snapshot: AccessSnapshot = { revision: undefined, state: initialAccessState() };
  private catchingUp: Promise<AccessSnapshot> | undefined;

  constructor(@Inject(EVENT_STORE) private readonly store: AccessStreamReader) {}

  /** `user` plus the roles granted to `userId`, in a stable order. */
  async rolesOf(userId: string): Promise<PrincipalRole[]> {
    const { state } = await this.current();
    return ['user', ...rolesOf(state, userId)];
  }

  /** The folded stream as of its current head. */
  async current(): Promise<AccessSnapshot> {
    // The head's revision alone where the store can tell it (no event read and parsed per request).
    const head = this.store.readStreamRevision ? await this.store.readStreamRevision(ACCESS_STREAM) : (await this.store.readLastEvent(ACCESS_STREAM))?.revision;
    if (head === this.snapshot.revision) return this.snapshot;
    // One catch-up at a time; concurrent requests share it.
    this.catchingUp ??= this.catchUp().finally(() => {
      this.catchingUp = undefined;
    });
    const snapshot = await this.catchingUp;
    // A catch-up that started before `head` was written may end short of it: go again.
    if (head !== undefined && (snapshot.revision ?? -1) < head) return this.current();
    return snapshot;
  }

  private async catchUp(): Promise<AccessSnapshot> {
    let { revision, state } = this.snapshot;
    for await (const event of this.store.readStream(ACCESS_STREAM, { fromRevision: revision === undefined ? 0 : revision + 1 })) {
      if (isAccessEvent(event)) state = evolveAccess(state, { type: event.type, data: event.data } as AccessEvent);
      revision = event.revision;
    }
    this.snapshot = { revision, state };
    return this.snapshot;
  }
}
