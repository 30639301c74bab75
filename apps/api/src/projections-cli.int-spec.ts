import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledgerline/event-store';
import { openReadDb, readCheckpoint, type Projector, type ReadTx } from '@ledgerline/projections';
import type { RecordedEvent } from '@ledgerline/event-store';
import { runProjectionsCli } from './projections-cli';

/** Events per event type: a read model small enough to check by hand. */
class TypeCountProjector implements Projector {
  readonly name = 'type_counts';
  readonly version = 1;
  constructor(private readonly failAt?: bigint) {}
  async migrate(tx: ReadTx): Promise<void> {
    await tx.exec('CREATE TABLE IF NOT EXISTS type_counts (type TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  }
  async drop(tx: ReadTx): Promise<void> {
    await tx.exec('DROP TABLE IF EXISTS type_counts');
  }
  async apply(event: RecordedEvent, tx: ReadTx): Promise<void> {
    if (event.position === this.failAt) throw new Error(`cannot project position ${event.position}`);
    await tx.query('INSERT INTO type_counts (type, n) VALUES ($1, 1) ON CONFLICT (type) DO UPDATE SET n = type_counts.n + 1', [event.type]);
  }
}

class Captured {
  text = '';
  constructor(readonly isTTY: boolean) {}
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

describe('projections CLI', () => {
  const root = mkdtempSync(join(tmpdir(), 'ledgerline-projections-cli-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function dataDirWithEvents(count: number): Promise<string> {
    const dataDir = join(root, randomUUID());
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    const appends = Array.from({ length: count }, (_, i) =>
      store.append(`document-${i % 4}`, [{ id: randomUUID(), type: i % 3 === 0 ? 'DocumentCreated' : 'DocumentRenamed', data: {}, metadata: {} }], 'any'),
    );
    await Promise.all(appends);
    await store.close();
    return dataDir;
  }

  async function typeCounts(dataDir: string): Promise<Record<string, unknown>[]> {
    const db = await openReadDb(undefined, dataDir);
    try {
      return await db.query('SELECT type, n FROM type_counts ORDER BY type');
    } finally {
      await db.close();
    }
  }

  it('rebuilds the configured read models from DATA_DIR, printing progress lines when stderr is not a terminal', async () => {
    const dataDir = await dataDirWithEvents(1200);
    const db = await openReadDb(undefined, dataDir);
    await db.exec('CREATE TABLE type_counts (type TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    await db.query("INSERT INTO type_counts (type, n) VALUES ('Stale', 99)");
    await db.close();

    const stderr = new Captured(false);
    const code = await runProjectionsCli(['rebuild'], {
      env: { DATA_DIR: dataDir },
      stderr,
      projectors: () => [new TypeCountProjector()],
      progressIntervalMs: 0,
    });
    expect(code).toBe(0);
    expect(await typeCounts(dataDir)).toEqual([
      { type: 'DocumentCreated', n: 400 },
      { type: 'DocumentRenamed', n: 800 },
    ]);
    expect(stderr.text).toContain('rebuilding 1 read model(s): type_counts v1');
    expect(stderr.text).not.toContain('\r');
    expect(stderr.text).toMatch(/\[#{30}\] 100\.0%  1200 events  position 1200\/1200\n/);
    expect(stderr.text).toMatch(/rebuilt from 1200 events up to position 1200 in \d+\.\d s\n$/);
    // One line per 500-event batch, plus the start.
    expect(stderr.text.match(/%  \d+ events/g)).toHaveLength(4);
  });

  it('redraws one line with carriage returns on a terminal', async () => {
    const dataDir = await dataDirWithEvents(30);
    const stderr = new Captured(true);
    const code = await runProjectionsCli(['rebuild'], { env: { DATA_DIR: dataDir }, stderr, projectors: () => [new TypeCountProjector()] });
    expect(code).toBe(0);
    expect(stderr.text).toContain('\r[');
    expect(stderr.text).toContain('100.0%  30 events  position 30/30\n');
  });

  it('exits 1 when a projector fails, keeping what was committed before the failing batch', async () => {
    const dataDir = await dataDirWithEvents(700);
    const stderr = new Captured(false);
    const code = await runProjectionsCli(['rebuild'], {
      env: { DATA_DIR: dataDir },
      stderr,
      projectors: () => [new TypeCountProjector(600n)],
    });
    expect(code).toBe(1);
    expect(stderr.text).toContain('rebuild failed: cannot project position 600');
    const db = await openReadDb(undefined, dataDir);
    try {
      expect((await readCheckpoint(db, 'type_counts'))?.position).toBe(500n);
    } finally {
      await db.close();
    }
  });

  it('exits 1 with the usage on an unknown command and with the reason on a bad configuration', async () => {
    const usage = new Captured(false);
    expect(await runProjectionsCli(['rebuild-all'], { env: {}, stderr: usage })).toBe(1);
    expect(usage.text).toContain('usage: projections-cli rebuild');

    const config = new Captured(false);
    expect(await runProjectionsCli(['rebuild'], { env: { READ_DB_URL: 'mysql://h/db' }, stderr: config })).toBe(1);
    expect(config.text).toMatch(/invalid configuration: .*READ_DB_URL/);
  });
});
