import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { CiphertextInvalidError, KeyUnwrapError, SubjectErasedError, UnknownDataKeyError } from './crypto.errors';
import type { DataKeyRecord, ErasedDataKey, NewDataKey } from './data-key';
import type { DataKeyStore } from './data-key-store.port';
import { redactDeep } from './deep-values';
import type { EncryptedValue } from './encrypted-value';
import { FieldCipher, type DecryptResult } from './field-cipher';
import { parseCompactJwe } from './jwe-compact';
import { unwrapKey } from './key-wrap';
import { SqliteDataKeyStore } from './sqlite/sqlite-data-key.store';

/** Passes every call to the real store, counting lookups and optionally holding getByKid's answer. */
class ObservedStore implements DataKeyStore {
  lookups = 0;
  hold: Promise<void> | undefined;
  constructor(private readonly inner: DataKeyStore) {}
  get(subjectId: string) {
    this.lookups++;
    return this.inner.get(subjectId);
  }
  async getByKid(kid: string): Promise<DataKeyRecord | undefined> {
    this.lookups++;
    const record = await this.inner.getByKid(kid);
    await this.hold;
    return record;
  }
  create(subjectId: string, candidate: NewDataKey) {
    return this.inner.create(subjectId, candidate);
  }
  destroy(subjectId: string): Promise<ErasedDataKey> {
    return this.inner.destroy(subjectId);
  }
  isErased(subjectId: string) {
    return this.inner.isErased(subjectId);
  }
}

const plain = (r: DecryptResult) => ('value' in r ? r.value : 'ERASED');

describe('FieldCipher', () => {
  let dir: string;
  let dbPath: string;
  let sqlite: SqliteDataKeyStore;
  let store: ObservedStore;
  const masterKey = randomBytes(32);
  let cipher: FieldCipher;
  let extra: SqliteDataKeyStore[];
  /** Another connection to the same database, as another process would have. */
  const openStore = (path = dbPath) => {
    const s = new SqliteDataKeyStore(path);
    extra.push(s);
    return s;
  };

  beforeEach(() => {
    extra = [];
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-fc-'));
    dbPath = join(dir, 'read.sqlite');
    sqlite = openStore();
    store = new ObservedStore(sqlite);
    cipher = new FieldCipher({ masterKey, store });
  });
  afterEach(() => {
    for (const s of extra) s.close(); // includes `sqlite`
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips values under one random-id key per subject', async () => {
    const a1 = await cipher.encrypt('user_alice', 'Alice Example');
    const a2 = await cipher.encrypt('user_alice', 'alice@example.com');
    const b1 = await cipher.encrypt('user_bob', 'Bob');
    expect(Object.keys(a1)).toEqual(['$jwe']);
    expect(plain(await cipher.decrypt(a1))).toBe('Alice Example');
    expect(plain(await cipher.decrypt(a2))).toBe('alice@example.com');
    expect(plain(await cipher.decrypt(b1))).toBe('Bob');

    const kidA = parseCompactJwe(a1.$jwe).kid;
    expect(parseCompactJwe(a2.$jwe).kid).toBe(kidA);
    expect(parseCompactJwe(b1.$jwe).kid).not.toBe(kidA);
    expect((await sqlite.get('user_alice'))?.kid).toBe(kidA);
    expect(kidA).not.toMatch(/alice/i);
    expect(a1.$jwe).not.toContain(Buffer.from('Alice').toString('base64url').slice(0, 6));
  });

  it('is readable by another instance (another process) with the same master key and store', async () => {
    const v = await cipher.encrypt('user_alice', 'shared');
    const other = new FieldCipher({ masterKey, store: openStore() });
    expect(plain(await other.decrypt(v))).toBe('shared');
  });

  it('creates exactly one key when first uses of a subject race, within and across instances', async () => {
    const other = new FieldCipher({ masterKey, store: openStore() });
    const values = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? cipher : other).encrypt('user_new', `v${i}`)),
    );
    expect(new Set(values.map((v) => parseCompactJwe(v.$jwe).kid)).size).toBe(1);
    for (const [i, v] of values.entries()) expect(plain(await cipher.decrypt(v))).toBe(`v${i}`);
  });

  describe('erasure', () => {
    it('makes every value of the subject read as erased and leaves other subjects intact', async () => {
      const alice = await Promise.all(['name', 'mail', 'phone', ''].map((s) => cipher.encrypt('user_alice', s)));
      const bob = await cipher.encrypt('user_bob', 'Bob');
      await cipher.decrypt(alice[0]!); // cached before the erasure

      const tombstone = await cipher.eraseSubject('user_alice');
      expect(tombstone).toMatchObject({ status: 'erased', subjectId: 'user_alice', kid: parseCompactJwe(alice[0]!.$jwe).kid });

      for (const v of alice) expect(await cipher.decrypt(v)).toEqual({ erased: true });
      expect(await cipher.decrypt(bob)).toEqual({ value: 'Bob' });
      const fresh = new FieldCipher({ masterKey, store: openStore() });
      for (const v of alice) expect(await fresh.decrypt(v)).toEqual({ erased: true });
      expect(await fresh.decrypt(bob)).toEqual({ value: 'Bob' });
    });

    it('refuses to encrypt anything new for an erased subject', async () => {
      await cipher.encrypt('user_alice', 'x');
      await cipher.eraseSubject('user_alice');
      await expect(cipher.encrypt('user_alice', 'y')).rejects.toThrow(SubjectErasedError);
      await cipher.eraseSubject('user_never_seen');
      await expect(cipher.encrypt('user_never_seen', 'y')).rejects.toThrow(SubjectErasedError);
    });

    it('reaches other instances when their cache entry expires (TTL)', async () => {
      let now = 0;
      const reader = new FieldCipher({ masterKey, store: openStore(), cacheTtlMs: 1_000, now: () => now });
      const v = await cipher.encrypt('user_alice', 'hello');
      expect(plain(await reader.decrypt(v))).toBe('hello');
      await cipher.eraseSubject('user_alice');
      now = 999;
      expect(plain(await reader.decrypt(v))).toBe('hello'); // the documented window
      now = 1_000;
      expect(await reader.decrypt(v)).toEqual({ erased: true });
    });

    it('does not cache a key whose load was overtaken by the erasure', async () => {
      const v = await cipher.encrypt('user_alice', 'hello');
      const reader = new FieldCipher({ masterKey, store }); // cold cache
      let release!: () => void;
      store.hold = new Promise((r) => (release = r));
      const pending = reader.decrypt(v); // reads the live key, then waits
      await new Promise((r) => setImmediate(r));
      await reader.eraseSubject('user_alice');
      release();
      store.hold = undefined;
      expect(await pending).toEqual({ value: 'hello' }); // it started before the erasure
      expect(await reader.decrypt(v)).toEqual({ erased: true });
    });
  });

  describe('rejections', () => {
    it('throws CiphertextInvalidError for a tampered value, never garbage', async () => {
      const v = await cipher.encrypt('user_alice', 'a secret');
      const parts = v.$jwe.split('.');
      const ct = Buffer.from(parts[3]!, 'base64url');
      ct[0] = (ct[0] ?? 0) ^ 0x20;
      parts[3] = ct.toString('base64url');
      await expect(cipher.decrypt({ $jwe: parts.join('.') })).rejects.toThrow(CiphertextInvalidError);
    });

    it('throws CiphertextInvalidError for a value that is not {$jwe}', async () => {
      await expect(cipher.decrypt({ $jwe: 'nope' })).rejects.toThrow(CiphertextInvalidError);
      await expect(cipher.decrypt('plain' as unknown as EncryptedValue)).rejects.toThrow(CiphertextInvalidError);
    });

    it('throws CiphertextInvalidError when a value is moved to another subject’s kid', async () => {
      const a = await cipher.encrypt('user_alice', 'a');
      const b = await cipher.encrypt('user_bob', 'b');
      const bobHeader = b.$jwe.split('.')[0];
      const moved = [bobHeader, ...a.$jwe.split('.').slice(1)].join('.');
      await expect(cipher.decrypt({ $jwe: moved })).rejects.toThrow(CiphertextInvalidError);
    });

    it('throws UnknownDataKeyError for a kid this store never held', async () => {
      const elsewhere = openStore(join(dir, 'other.sqlite'));
      const v = await new FieldCipher({ masterKey, store: elsewhere }).encrypt('user_alice', 'x');
      await expect(cipher.decrypt(v)).rejects.toThrow(UnknownDataKeyError);
    });

    it('throws KeyUnwrapError under the wrong master key', async () => {
      const v = await cipher.encrypt('user_alice', 'x');
      const wrong = new FieldCipher({ masterKey: randomBytes(32), store: sqlite });
      await expect(wrong.decrypt(v)).rejects.toThrow(KeyUnwrapError);
      await expect(wrong.encrypt('user_alice', 'y')).rejects.toThrow(KeyUnwrapError);
    });

    it('refuses a master key that is not 32 bytes', () => {
      expect(() => new FieldCipher({ masterKey: randomBytes(16), store })).toThrow(TypeError);
    });
  });

  describe('key cache', () => {
    it('serves repeated use from memory', async () => {
      const v = await cipher.encrypt('user_alice', 'x');
      const before = store.lookups;
      for (let i = 0; i < 50; i++) {
        await cipher.decrypt(v);
        await cipher.encrypt('user_alice', 'y');
      }
      expect(store.lookups).toBe(before);
    });

    it('never holds more than cacheMaxEntries keys and reloads evicted ones from the store', async () => {
      const small = new FieldCipher({ masterKey, store, cacheMaxEntries: 3 });
      const values: EncryptedValue[] = [];
      for (let i = 0; i < 10; i++) {
        values.push(await small.encrypt(`user_${i}`, `value ${i}`));
        expect(small.cachedKeyCount).toBeLessThanOrEqual(3);
      }
      const before = store.lookups;
      for (const [i, v] of values.entries()) {
        expect(plain(await small.decrypt(v))).toBe(`value ${i}`);
        expect(small.cachedKeyCount).toBeLessThanOrEqual(3);
      }
      expect(store.lookups - before).toBeGreaterThanOrEqual(7); // the evicted ones came from the store
    });

    it('loads a key once for many concurrent decrypts', async () => {
      const v = await cipher.encrypt('user_alice', 'x');
      const reader = new FieldCipher({ masterKey, store });
      const before = store.lookups;
      await Promise.all(Array.from({ length: 25 }, () => reader.decrypt(v)));
      expect(store.lookups - before).toBe(1);
    });
  });

  describe('whole objects', () => {
    it('decryptDeep replaces each {$jwe} with its plaintext or null and reports erasure', async () => {
      const doc = {
        id: 'doc-1',
        title: await cipher.encrypt('user_alice', 'Alice’s title'),
        body: await cipher.encrypt('user_alice', 'body'),
        shares: [{ user: 'user_bob', note: await cipher.encrypt('user_bob', 'Bob’s note') }],
        revision: 3,
      };
      expect(await cipher.decryptDeep(doc)).toEqual({
        value: { id: 'doc-1', title: 'Alice’s title', body: 'body', shares: [{ user: 'user_bob', note: 'Bob’s note' }], revision: 3 },
        erased: false,
      });
      await cipher.eraseSubject('user_alice');
      expect(await cipher.decryptDeep(doc)).toEqual({
        value: { id: 'doc-1', title: null, body: null, shares: [{ user: 'user_bob', note: 'Bob’s note' }], revision: 3 },
        erased: true,
      });
      expect(await cipher.decryptDeep({ none: [1, 'two'] })).toEqual({ value: { none: [1, 'two'] }, erased: false });
    });

    it('decryptDeep fails on a tampered member rather than returning a partial answer', async () => {
      const good = await cipher.encrypt('user_alice', 'x');
      const parts = good.$jwe.split('.');
      const iv = Buffer.from(parts[2]!, 'base64url');
      iv[11] = (iv[11] ?? 0) ^ 0x01;
      parts[2] = iv.toString('base64url');
      const bad = { $jwe: parts.join('.') };
      await expect(cipher.decryptDeep({ good, bad })).rejects.toThrow(CiphertextInvalidError);
    });

    it('redactDeep shows ciphertexts as "[encrypted]"', async () => {
      const v = await cipher.encrypt('user_alice', 'x');
      expect(redactDeep({ displayName: v, id: 'u' })).toEqual({ displayName: '[encrypted]', id: 'u' });
    });
  });

  describe('on disk', () => {
    const files = () => Buffer.concat([dbPath, `${dbPath}-wal`].filter(existsSync).map((p) => readFileSync(p)));
    const hasFragment = (hay: Buffer, secret: Buffer) =>
      Array.from({ length: secret.length - 7 }, (_, o) => secret.subarray(o, o + 8)).some((w) => hay.includes(w));

    it('stores only wrapped keys, and nothing of them after erasure', async () => {
      for (let i = 0; i < 5; i++) await cipher.encrypt(`user_${i}`, 'x');
      const records = await Promise.all([0, 1, 2, 3, 4].map((i) => sqlite.get(`user_${i}`)));
      const wrapped = records.map((r) => (r?.status === 'active' ? r.wrappedKey : Buffer.alloc(0)));
      const raw = wrapped.map((w) => unwrapKey(masterKey, w));

      let bytes = files();
      for (const [i, w] of wrapped.entries()) {
        expect(bytes.includes(w)).toBe(true); // the search can see what is there
        expect(hasFragment(bytes, raw[i]!)).toBe(false);
      }
      expect(hasFragment(bytes, masterKey)).toBe(false);

      await cipher.eraseSubject('user_2');
      bytes = files();
      expect(hasFragment(bytes, wrapped[2]!)).toBe(false);
      expect(bytes.includes(wrapped[3]!)).toBe(true);
    });
  });
});
