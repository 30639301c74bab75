import { createSecretKey, KeyObject } from 'node:crypto';
import { CiphertextInvalidError, SubjectErasedError, UnknownDataKeyError } from './crypto.errors';
import { newKeyId, type ErasedDataKey } from './data-key';
import type { DataKeyStore } from './data-key-store.port';
import { collectEncryptedValues, replaceEncryptedValues, type Decrypted } from './deep-values';
import { isEncryptedValue, type EncryptedValue } from './encrypted-value';
import { decryptParsedJwe, encryptCompact, parseCompactJwe } from './jwe-compact';
import { unwrapKey, wrapKey } from './key-wrap';
import { LruTtlCache } from './lru-ttl-cache';
import { pooledRandomBytes } from './random-pool';

export interface FieldCipherOptions {
  /** The 32-byte master key that wraps every data key (see loadOrCreateMasterKey). */
  masterKey: Buffer | KeyObject;
  store: DataKeyStore;
  /** Most unwrapped keys held in memory; default 10 000. */
  cacheMaxEntries?: number;
  /**
   * How long a cached key is used before the store is asked again; default 60 s. An erasure in
   * this process drops the key at once, but other processes only notice when their entry
   * expires, so this bounds how long they can still decrypt an erased subject's values.
   */
  cacheTtlMs?: number;
  /** Clock for the cache (ms). */
  now?: () => number;
}

export type DecryptResult = { value: string } | { erased: true };

export interface DecryptDeepResult<T> {
  value: Decrypted<T>;
  /** True when at least one value belonged to an erased subject (and reads as null). */
  erased: boolean;
}

interface SubjectKey {
  kid: string;
  key: KeyObject;
}

// Erasure is permanent, so "this kid is erased" is as safe to cache as a key.
const ERASED = Symbol('erased');
type KidEntry = KeyObject | typeof ERASED;

/**
 * Field encryption at rest (SPEC §6): each data subject's values are JWE `dir`/`A256GCM` under
 * that subject's own data key; destroying the key (eraseSubject) makes all of them unreadable.
 */
export class FieldCipher {
  private readonly masterKey: KeyObject;
  private readonly store: DataKeyStore;
  private readonly byKid: LruTtlCache<string, KidEntry>;
  private readonly kidBySubject: LruTtlCache<string, string>;
  private readonly loadingKid = new Map<string, Promise<KidEntry>>();
  private readonly loadingSubject = new Map<string, Promise<SubjectKey>>();
  /** Bumped by every erasure: a key loaded before it is used once but never cached. */
  private epoch = 0;

  constructor(options: FieldCipherOptions) {
    this.masterKey = options.masterKey instanceof KeyObject ? options.masterKey : createSecretKey(options.masterKey);
    if (this.masterKey.symmetricKeySize !== 32) throw new TypeError('the master key must be 32 bytes');
    this.store = options.store;
    const cache = { maxEntries: options.cacheMaxEntries ?? 10_000, ttlMs: options.cacheTtlMs ?? 60_000, now: options.now };
    this.byKid = new LruTtlCache(cache);
    this.kidBySubject = new LruTtlCache(cache);
  }

  /** Encrypts under the subject's data key, creating that key on first use. Throws SubjectErasedError after erasure. */
  async encrypt(subjectId: string, plaintext: string): Promise<EncryptedValue> {
    if (typeof plaintext !== 'string') throw new TypeError('plaintext must be a string');
    const { kid, key } = await this.subjectKey(subjectId);
    return { $jwe: encryptCompact(key, kid, plaintext) };
  }

  /**
   * The plaintext, or `{ erased: true }` when the key was destroyed. A malformed or tampered
   * value throws CiphertextInvalidError; a kid the store never knew throws UnknownDataKeyError.
   */
  async decrypt(value: EncryptedValue): Promise<DecryptResult> {
    if (!isEncryptedValue(value)) throw new CiphertextInvalidError('not an {"$jwe": …} value');
    const jwe = parseCompactJwe(value.$jwe);
    const entry = await this.keyForKid(jwe.kid);
    if (entry === ERASED) return { erased: true };
    return { value: decryptParsedJwe(jwe, entry) };
  }

  /**
   * A copy of `root` with every `{$jwe}` replaced by its plaintext, or null when erased.
   * Throws like decrypt() if any value is invalid.
   */
  async decryptDeep<T>(root: T): Promise<DecryptDeepResult<T>> {
    const results = new Map<EncryptedValue, DecryptResult>();
    await Promise.all(
      collectEncryptedValues(root).map(async (v) => {
        results.set(v, await this.decrypt(v));
      }),
    );
    let erased = false;
    const value = replaceEncryptedValues(root, (v) => {
      const r = results.get(v) as DecryptResult;
      if ('erased' in r) {
        erased = true;
        return null;
      }
      return r.value;
    });
    return { value, erased };
  }

  /** Crypto-shredding: destroys the subject's data key in the store and in this process's cache. */
  async eraseSubject(subjectId: string): Promise<ErasedDataKey> {
    const tombstone = await this.store.destroy(subjectId);
    this.epoch++;
    this.loadingKid.clear();
    this.loadingSubject.clear();
    this.kidBySubject.delete(subjectId);
    this.byKid.set(tombstone.kid, ERASED);
    return tombstone;
  }

  /** Entries in the key cache (unwrapped keys and known-erased kids); never above cacheMaxEntries. */
  get cachedKeyCount(): number {
    return this.byKid.size;
  }

  private async subjectKey(subjectId: string): Promise<SubjectKey> {
    const kid = this.kidBySubject.get(subjectId);
    const entry = kid === undefined ? undefined : this.byKid.get(kid);
    if (kid !== undefined && entry !== undefined && entry !== ERASED) return { kid, key: entry };
    return this.once(this.loadingSubject, subjectId, () => this.loadSubjectKey(subjectId));
  }

  private async loadSubjectKey(subjectId: string): Promise<SubjectKey> {
    const epoch = this.epoch;
    let record = await this.store.get(subjectId);
    let fresh: { kid: string; raw: Buffer } | undefined;
    if (!record) {
      fresh = { kid: newKeyId(), raw: pooledRandomBytes(32) };
      // The store keeps only one candidate per subject; if another writer won, use theirs.
      record = await this.store.create(subjectId, { kid: fresh.kid, wrappedKey: wrapKey(this.masterKey, fresh.raw) });
    }
    try {
      if (record.status === 'erased') throw new SubjectErasedError(subjectId);
      const raw = fresh?.kid === record.kid ? fresh.raw : unwrapKey(this.masterKey, record.wrappedKey);
      const key = createSecretKey(raw); // copies; the Buffer is wiped below
      raw.fill(0);
      this.remember(epoch, record.kid, key, subjectId);
      return { kid: record.kid, key };
    } finally {
      fresh?.raw.fill(0);
    }
  }

  private async keyForKid(kid: string): Promise<KidEntry> {
    const cached = this.byKid.get(kid);
    if (cached !== undefined) return cached;
    return this.once(this.loadingKid, kid, async () => {
      const epoch = this.epoch;
      const record = await this.store.getByKid(kid);
      if (!record) throw new UnknownDataKeyError(kid);
      if (record.status === 'erased') {
        this.byKid.set(kid, ERASED);
        return ERASED;
      }
      const raw = unwrapKey(this.masterKey, record.wrappedKey);
      const key = createSecretKey(raw);
      raw.fill(0);
      this.remember(epoch, kid, key, record.subjectId);
      return key;
    });
  }

  private remember(epoch: number, kid: string, key: KeyObject, subjectId: string): void {
    if (epoch !== this.epoch) return; // an erasure ran while this key was loading
    this.byKid.set(kid, key);
    this.kidBySubject.set(subjectId, kid);
  }

  /** Concurrent callers for the same key share one load (one store round trip, one key created). */
  private async once<T>(loading: Map<string, Promise<T>>, id: string, load: () => Promise<T>): Promise<T> {
    const running = loading.get(id);
    if (running) return running;
    const started = load();
    loading.set(id, started);
    try {
      return await started;
    } finally {
      if (loading.get(id) === started) loading.delete(id);
    }
  }
}
