import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalCheckpointer } from './wal-checkpointer';

describe('WalCheckpointer', () => {
  let dir: string;
  let file: string;
  let writer: Database.Database;
  let checkpointing: Database.Database;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
    file = join(dir, 'events.sqlite');
    writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    // The writer never checkpoints by itself: all of it is left to the other connection.
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE t (v BLOB)');
    checkpointing = new Database(file);
    checkpointing.pragma('busy_timeout = 1000');
  });
  afterEach(() => {
    checkpointing.close();
    writer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const walBytes = () => statSync(`${file}-wal`).size;
  const write = (pages: number) => {
    const insert = writer.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < pages; i++) insert.run(Buffer.alloc(4000, i));
  };

  it('leaves a WAL below its threshold alone, and empties one past it into the database file', () => {
    const checkpointer = new WalCheckpointer(checkpointing, `${file}-wal`, { intervalMs: 60_000, minPages: 50 });
    write(10);
    expect(checkpointer.tick()).toBe(false);
    write(60);
    const before = walBytes();
    expect(before).toBeGreaterThan(50 * 4096);
    expect(checkpointer.tick()).toBe(true);
    expect(walBytes()).toBe(0);
    expect(writer.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 70 });
    // The writer carries on from an empty WAL.
    write(5);
    expect(walBytes()).toBeGreaterThan(0);
    expect(walBytes()).toBeLessThan(before);
    expect(checkpointer.counts).toEqual({ runs: 1, failures: 0 });
  });

  it('counts a checkpoint that could not get the database as failed and tries again on the next tick', () => {
    const checkpointer = new WalCheckpointer(checkpointing, `${file}-wal`, { intervalMs: 60_000, minPages: 5 });
    checkpointing.pragma('busy_timeout = 0');
    write(10);
    writer.exec('BEGIN IMMEDIATE');
    expect(checkpointer.tick()).toBe(false);
    writer.exec('COMMIT');
    expect(checkpointer.tick()).toBe(true);
    expect(checkpointer.counts).toEqual({ runs: 2, failures: 1 });
  });
});
