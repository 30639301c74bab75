/// <reference types="jest" />
import type { IdempotencyStore, StoredResponse } from './idempotency.store';

const RESPONSE: StoredResponse = { headers: { location: '/v1/documents/1' }, body: '{"id":"1"}' };

/** Opens a store; `maxEntriesPerOwner` sets the per-owner share for the fairness case. */
export type OpenIdempotencyStore = (options?: { maxEntriesPerOwner?: number }) => Promise<IdempotencyStore>;

const OWNER = 'user_contract';

/** The behaviour every IdempotencyStore adapter must have; run by each adapter's spec. */
export function idempotencyStoreContract(name: string, open: OpenIdempotencyStore, unique: () => string): void {
  describe(`${name} (IdempotencyStore contract)`, () => {
    let store: IdempotencyStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('starts a new key once; a concurrent begin with the same body is in progress', async () => {
      const key = unique();
      const outcomes = await Promise.all([store.begin(OWNER, key, 'fp', 10_000), store.begin(OWNER, key, 'fp', 10_000), store.begin(OWNER, key, 'fp', 10_000)]);
      expect(outcomes.filter((o) => o.kind === 'started')).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'in-progress')).toHaveLength(2);
    });

    it('replays the completed response, and refuses the key with another body', async () => {
      const key = unique();
      const first = await store.begin(OWNER, key, 'fp', 10_000);
      if (first.kind !== 'started') throw new Error('expected started');
      await store.complete(OWNER, key, first.lease, 'fp', RESPONSE, 60_000);
      expect(await store.begin(OWNER, key, 'fp', 10_000)).toEqual({ kind: 'replay', response: RESPONSE });
      expect(await store.begin(OWNER, key, 'other', 10_000)).toEqual({ kind: 'mismatch' });
    });

    it('refuses another body also while the first request runs', async () => {
      const key = unique();
      await store.begin(OWNER, key, 'fp', 10_000);
      expect(await store.begin(OWNER, key, 'other', 10_000)).toEqual({ kind: 'mismatch' });
    });

    it('frees a released key, and only for the lease holder', async () => {
      const key = unique();
      const first = await store.begin(OWNER, key, 'fp', 10_000);
      if (first.kind !== 'started') throw new Error('expected started');
      await store.release(OWNER, key, 'not-the-lease');
      expect(await store.begin(OWNER, key, 'fp', 10_000)).toEqual({ kind: 'in-progress' });
      await store.release(OWNER, key, first.lease);
      expect((await store.begin(OWNER, key, 'fp', 10_000)).kind).toBe('started');
    });

    it('lets a key go when its lease expires, and keeps a completed key for its TTL', async () => {
      const leased = unique();
      await store.begin(OWNER, leased, 'fp', 30);
      const done = unique();
      const claim = await store.begin(OWNER, done, 'fp', 30);
      if (claim.kind !== 'started') throw new Error('expected started');
      await store.complete(OWNER, done, claim.lease, 'fp', RESPONSE, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect((await store.begin(OWNER, leased, 'fp', 10_000)).kind).toBe('started');
      expect((await store.begin(OWNER, done, 'fp', 10_000)).kind).toBe('replay');
    });

    it('does not let a stale lease overwrite the claim of a later request', async () => {
      const key = unique();
      const stale = await store.begin(OWNER, key, 'fp', 30);
      if (stale.kind !== 'started') throw new Error('expected started');
      await new Promise((resolve) => setTimeout(resolve, 80));
      const fresh = await store.begin(OWNER, key, 'fp', 10_000);
      expect(fresh.kind).toBe('started');
      await store.complete(OWNER, key, stale.lease, 'fp', RESPONSE, 60_000);
      expect(await store.begin(OWNER, key, 'fp', 10_000)).toEqual({ kind: 'in-progress' });
    });

    it('gives each owner a bounded share: one owner flooding unique keys evicts only its own records', async () => {
      const fair = await open({ maxEntriesPerOwner: 20 });
      try {
        const victim = unique();
        const claim = await fair.begin('user_victim', victim, 'fp', 10_000);
        if (claim.kind !== 'started') throw new Error('expected started');
        await fair.complete('user_victim', victim, claim.lease, 'fp', RESPONSE, 60_000);
        const flood = Array.from({ length: 200 }, unique);
        for (const key of flood) await fair.begin('user_flooder', key, 'fp', 10_000);
        expect(await fair.begin('user_victim', victim, 'fp', 10_000)).toEqual({ kind: 'replay', response: RESPONSE });
        // The flooder keeps its newest 20 and lost its oldest.
        expect(await fair.begin('user_flooder', flood[199], 'fp', 10_000)).toEqual({ kind: 'in-progress' });
        expect(await fair.begin('user_flooder', flood[180], 'fp', 10_000)).toEqual({ kind: 'in-progress' });
        expect((await fair.begin('user_flooder', flood[0], 'fp', 10_000)).kind).toBe('started');
      } finally {
        await fair.close();
      }
    });
  });
}
