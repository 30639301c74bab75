/// <reference types="jest" />
import { randomBytes } from 'node:crypto';
import { newKeyId, type NewDataKey } from './data-key';
import type { DataKeyStore } from './data-key-store.port';

/** How an adapter's spec hands the contract a store over empty storage, and cleans it up. */
export interface DataKeyStoreHarness {
  open(): Promise<{ store: DataKeyStore; dispose(): Promise<void> }>;
}

const candidate = (): NewDataKey => ({ kid: newKeyId(), wrappedKey: randomBytes(40) });

/** The conformance suite every DataKeyStore adapter must pass. */
export function describeDataKeyStoreContract(name: string, harness: DataKeyStoreHarness): void {
  describe(`DataKeyStore contract: ${name}`, () => {
    let store: DataKeyStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await harness.open());
    });
    afterEach(async () => {
      await dispose();
    });

    it('knows nothing of a subject it never saw', async () => {
      expect(await store.get('user_a')).toBeUndefined();
      expect(await store.getByKid(newKeyId())).toBeUndefined();
      expect(await store.isErased('user_a')).toBe(false);
    });

    it('stores a candidate and finds it by subject and by kid, bytes intact', async () => {
      const c = candidate();
      const created = await store.create('user_a', c);
      expect(created).toMatchObject({ status: 'active', subjectId: 'user_a', kid: c.kid });
      expect(created.status === 'active' && created.wrappedKey.equals(c.wrappedKey)).toBe(true);
      expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
      expect(await store.get('user_a')).toEqual(created);
      expect(await store.getByKid(c.kid)).toEqual(created);
      expect(await store.isErased('user_a')).toBe(false);
    });

    it('keeps the first key: a later create returns it instead of the new candidate', async () => {
      const first = await store.create('user_a', candidate());
      const second = await store.create('user_a', candidate());
      expect(second).toEqual(first);
    });

    it('ends concurrent creates for one subject with exactly one key, returned to every caller', async () => {
      const candidates = Array.from({ length: 12 }, candidate);
      const results = await Promise.all(candidates.map((c) => store.create('user_race', c)));
      const kids = new Set(results.map((r) => r.kid));
      expect(kids.size).toBe(1);
      const [kid] = [...kids];
      expect(candidates.map((c) => c.kid)).toContain(kid);
      expect((await store.get('user_race'))?.kid).toBe(kid);
      const losers = candidates.filter((c) => c.kid !== kid);
      for (const c of losers) expect(await store.getByKid(c.kid)).toBeUndefined();
    });

    it('destroys a key, leaving a tombstone without key material', async () => {
      const c = candidate();
      await store.create('user_a', c);
      const tomb = await store.destroy('user_a');
      expect(tomb).toMatchObject({ status: 'erased', subjectId: 'user_a', kid: c.kid });
      expect(Number.isNaN(Date.parse(tomb.erasedAt))).toBe(false);
      expect(tomb).not.toHaveProperty('wrappedKey');
      expect(await store.get('user_a')).toEqual(tomb);
      expect(await store.getByKid(c.kid)).toEqual(tomb);
      expect(await store.isErased('user_a')).toBe(true);
    });

    it('is idempotent on destroy and keeps the first erasure time', async () => {
      await store.create('user_a', candidate());
      const first = await store.destroy('user_a');
      await new Promise((r) => setTimeout(r, 5));
      expect(await store.destroy('user_a')).toEqual(first);
    });

    it('never resurrects an erased subject', async () => {
      const tomb = await store.destroy('user_never_had_a_key');
      expect(tomb.status).toBe('erased');
      expect(await store.isErased('user_never_had_a_key')).toBe(true);
      expect(await store.create('user_never_had_a_key', candidate())).toEqual(tomb);

      await store.create('user_b', candidate());
      const tombB = await store.destroy('user_b');
      expect(await store.create('user_b', candidate())).toEqual(tombB);
    });

    it('erases only the named subject', async () => {
      const a = await store.create('user_a', candidate());
      const b = await store.create('user_b', candidate());
      await store.destroy('user_a');
      expect(await store.get('user_b')).toEqual(b);
      expect(await store.getByKid(b.kid)).toEqual(b);
      expect((await store.getByKid(a.kid))?.status).toBe('erased');
    });

    it('ends erased when creates and a destroy race', async () => {
      await Promise.all([
        store.create('user_r', candidate()),
        store.destroy('user_r'),
        store.create('user_r', candidate()),
      ]);
      expect(await store.isErased('user_r')).toBe(true);
      expect((await store.get('user_r'))?.status).toBe('erased');
    });

    it('rejects malformed arguments', async () => {
      await expect(store.create('', candidate())).rejects.toThrow(TypeError);
      await expect(store.create('user_a', { kid: newKeyId(), wrappedKey: randomBytes(32) })).rejects.toThrow(TypeError);
      await expect(store.get('')).rejects.toThrow(TypeError);
    });
  });
}
