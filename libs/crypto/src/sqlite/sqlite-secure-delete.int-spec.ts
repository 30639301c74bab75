import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { newKeyId } from '../data-key';
import { SqliteDataKeyStore } from './sqlite-data-key.store';

/** Every byte SQLite keeps for this database: the main file, its WAL and its shared-memory index. */
function fileBytes(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`, `${path}-shm`].filter(existsSync).map((p) => readFileSync(p)));
}

/**
 * True when any 8-byte run of `secret` occurs in `haystack`. Looking for the whole value is not
 * enough: a reused freed cell can keep most of the old bytes with its first few overwritten.
 */
function leaksFragment(haystack: Buffer, secret: Buffer, window = 8): boolean {
  for (let o = 0; o + window <= secret.length; o++) if (haystack.includes(secret.subarray(o, o + window))) return true;
  return false;
}

describe('SQLite data key erasure on disk', () => {
  let dir: string;
  let path: string;
  let db: Database.Database;
  let store: SqliteDataKeyStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-dks-disk-'));
    path = join(dir, 'read.sqlite');
    db = new Database(path);
    store = new SqliteDataKeyStore(db);
  });
  afterEach(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function seed(count: number, subject: (i: number) => string): Promise<Buffer[]> {
    const wrapped: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      const wrappedKey = randomBytes(40);
      wrapped.push(wrappedKey);
      await store.create(subject(i), { kid: newKeyId(), wrappedKey });
      if (i % 200 === 199) db.pragma('wal_checkpoint(TRUNCATE)');
    }
    // The hard case: the keys sit in the main database file, not only in the WAL.
    db.pragma('wal_checkpoint(TRUNCATE)');
    return wrapped;
  }

  it('leaves no fragment of the destroyed wrapped key in the database, WAL or shm file', async () => {
    const wrapped = await seed(30, (i) => `user_${i}`);
    expect(fileBytes(path).includes(wrapped[7]!)).toBe(true); // the search does find a stored key

    await store.destroy('user_7');
    const bytes = fileBytes(path);
    expect(leaksFragment(bytes, wrapped[7]!)).toBe(false);
    for (const [i, w] of wrapped.entries()) if (i !== 7) expect(bytes.includes(w)).toBe(true);
    db.close();
    expect(leaksFragment(fileBytes(path), wrapped[7]!)).toBe(false);
  });

  it('leaves no stale copy behind after page splits moved the keys around', async () => {
    // Scattered subject ids make inserts land mid-tree, so pages split and cells move while the keys are live.
    const subject = (i: number) => `user_${createHash('sha256').update(String(i)).digest('hex').slice(0, 12)}`;
    const wrapped = await seed(800, subject);
    const erased = wrapped.map((_, i) => i).filter((i) => i % 20 === 3);
    for (const i of erased) await store.destroy(subject(i));

    const bytes = fileBytes(path);
    for (const i of erased) expect(leaksFragment(bytes, wrapped[i]!)).toBe(false);
    for (const [i, w] of wrapped.entries()) if (!erased.includes(i)) expect(bytes.includes(w)).toBe(true);
  });

  it('control: the fragment search finds a row SQLite freed without secure_delete', async () => {
    const wrapped = await seed(30, (i) => `user_${i}`);
    db.pragma('secure_delete = OFF');
    db.prepare("DELETE FROM data_keys WHERE subject_id = 'user_7'").run();
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(leaksFragment(fileBytes(path), wrapped[7]!)).toBe(true);
  });
});
