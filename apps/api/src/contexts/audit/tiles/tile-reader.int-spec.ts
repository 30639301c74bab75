import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leafHash } from '@ledgerline/integrity';
import { StoredMerkleTree } from '@ledgerline/ledger';
import { PostgresReadDb, SqliteReadDb, type ReadDb } from '@ledgerline/projections';
import { readTile } from './tile-reader';

const PG_URL = process.env.READ_DB_URL?.startsWith('postgres') ? process.env.READ_DB_URL : 'postgres://postgres@127.0.0.1:5432/test';
const inputs = Array.from({ length: 5 }, (_, i) => createHash('sha256').update(`leaf ${i}`).digest());

interface Backend {
  open(): Promise<ReadDb>;
  cleanup(): Promise<void>;
}

const sqlite = (): Backend => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-tiles-'));
  return { open: async () => new SqliteReadDb(path.join(dir, 'read.sqlite')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
};

// Others use the same `test` database at the same time: this tree lives in a schema of its own, dropped afterwards.
const postgres = (): Backend => {
  const schema = `tiles_${process.pid}_${randomUUID().slice(0, 8)}`;
  return {
    open: () => PostgresReadDb.open(PG_URL, { schema }),
    cleanup: async () => {
      const admin = await PostgresReadDb.open(PG_URL);
      await admin.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => admin.close());
    },
  };
};

describe.each([
  ['SQLite', sqlite],
  ['PostgreSQL', postgres],
])('readTile against a real %s read database', (_name, backend) => {
  let db: ReadDb;
  let store: Backend;
  beforeAll(async () => {
    store = backend();
    db = await store.open();
    await StoredMerkleTree.migrate(db);
    await StoredMerkleTree.append(db, inputs.map((leafInput, i) => ({ eventId: `e${i}`, position: BigInt(i + 1), leafInput })));
  });
  afterAll(async () => {
    await db.close();
    await store.cleanup();
  });

  it('serves hash tiles and entry bundles the checkpoint covers from the stored tree', async () => {
    expect(await readTile(db, { level: 0, index: 0, width: 3 }, 4)).toEqual({ found: true, body: Buffer.concat(inputs.slice(0, 3).map(leafHash)) });
    const bundle = await readTile(db, { level: 'entries', index: 0, width: 2 }, 4);
    expect(bundle).toEqual({ found: true, body: Buffer.concat(inputs.slice(0, 2).map((input) => Buffer.concat([Buffer.from([0, 32]), input]))) });
  });

  it('refuses a tile beyond the checkpoint even when the stored tree already has it', async () => {
    expect(await readTile(db, { level: 0, index: 0, width: 5 }, 4)).toEqual({ found: false, reason: 'beyond-checkpoint' });
  });

  it('says the tree is behind, never serves a short tile, when the read database has not caught up with the checkpoint', async () => {
    expect(await readTile(db, { level: 'entries', index: 0, width: 6 }, 8)).toEqual({ found: false, reason: 'tree-behind' });
  });
});
