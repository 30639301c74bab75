import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalFileSync } from './wal-file-sync';

describe('WalFileSync', () => {
  let dir: string;
  let db: Database.Database;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-file-sync-'));
    file = join(dir, 'events.sqlite');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (v TEXT)');
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs one fdatasync at a time and lets every caller during it share the single next one', async () => {
    const sync = new WalFileSync(file);
    const handle = (sync as unknown as { openWal(): Promise<{ datasync(): Promise<void> }> }).openWal.bind(sync);
    let datasyncs = 0;
    (sync as unknown as { openWal(): Promise<unknown> }).openWal = async () => {
      const wal = await handle();
      return { datasync: () => (datasyncs++, wal.datasync()), close: () => (wal as unknown as { close(): Promise<void> }).close() };
    };
    db.prepare('INSERT INTO t VALUES (?)').run('a');
    const first = sync.sync();
    const during = [sync.sync(), sync.sync(), sync.sync()];
    await Promise.all([first, ...during]);
    expect(datasyncs).toBe(2);
    await sync.sync();
    expect(datasyncs).toBe(3);
    await sync.close();
    await expect(sync.sync()).rejects.toThrow('WAL sync is closed');
  });

  it('fails, and can be asked again, while the database has no -wal file', async () => {
    const sync = new WalFileSync(join(dir, 'missing.sqlite'));
    await expect(sync.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(sync.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    await sync.close();
  });
});
