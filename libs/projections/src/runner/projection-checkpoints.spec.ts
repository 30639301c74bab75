import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SqlExecutor } from '../read-db/read-db.port';
import { SqliteReadDb } from '../read-db/sqlite-read-db';
import { ensureCheckpointTables, readStreamRevisions, writeStreamRevisions } from './projection-checkpoints';

describe('per-stream revisions of a read model', () => {
  let dir: string;
  let db: SqliteReadDb;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-checkpoints-'));
    db = new SqliteReadDb(path.join(dir, 'read.sqlite'));
    await ensureCheckpointTables(db);
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes and reads back batches of every size up to 700 with few statement shapes (so their statements stay prepared)', async () => {
    const texts = new Set<string>();
    await db.transaction(async (tx) => {
      const recording: SqlExecutor = {
        query: (sql, params) => (texts.add(sql), tx.query(sql, params)),
        exec: (sql) => tx.exec(sql),
      };
      for (let size = 0; size <= 700; size += 7) {
        const revisions = new Map(Array.from({ length: size }, (_, i) => [`document-${size}-${i}`, i] as const));
        await writeStreamRevisions(recording, 'documents', revisions);
        const read = await readStreamRevisions(recording, 'documents', [...revisions.keys(), `document-${size}-missing`]);
        expect(read).toEqual(revisions);
      }
    });
    // Powers of two up to 256 for the upserts (at most 300 a statement) and up to 256 for the reads (at most 500).
    expect(texts.size).toBeLessThanOrEqual(18);
  });
});
