import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { MasterKeyError } from './crypto.errors';
import { loadOrCreateMasterKey } from './master-key';

describe('loadOrCreateMasterKey', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledgerline-mk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a missing file (and its folder) with mode 0600 and 32 random bytes in base64', () => {
    const path = join(dir, 'keys', 'master.key');
    const created = loadOrCreateMasterKey(path);
    expect(created.generated).toBe(true);
    expect(created.key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64')).toEqual(created.key);

    const again = loadOrCreateMasterKey(path);
    expect(again).toEqual({ key: created.key, generated: false });
  });

  it('reads an existing key, tolerating surrounding whitespace', () => {
    const key = randomBytes(32);
    const path = join(dir, 'mk');
    writeFileSync(path, `  ${key.toString('base64')}\r\n`);
    expect(loadOrCreateMasterKey(path)).toEqual({ key, generated: false });
  });

  it.each([
    ['too short', randomBytes(16).toString('base64')],
    ['too long', randomBytes(33).toString('base64')],
    ['not base64', 'this is definitely not a base64 key!!'],
    ['base64url alphabet', Buffer.alloc(32, 0xfb).toString('base64url')],
    ['empty', ''],
  ])('rejects a file that is %s without echoing its contents', (_why, contents) => {
    const path = join(dir, 'mk');
    writeFileSync(path, contents);
    let error: unknown;
    try {
      loadOrCreateMasterKey(path);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(MasterKeyError);
    const message = (error as Error).message;
    expect(message).toContain(path);
    if (contents.length > 0) expect(message).not.toContain(contents.trim().slice(0, 8));
    expect(readFileSync(path, 'utf8')).toBe(contents); // never overwritten
  });

  it('reports an unreadable path as MasterKeyError', () => {
    expect(() => loadOrCreateMasterKey(dir)).toThrow(MasterKeyError); // a directory
  });
});
