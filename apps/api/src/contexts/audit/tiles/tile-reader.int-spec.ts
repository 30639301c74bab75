import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { leafHash } from '@ledgerline/integrity';
import { StoredMerkleTree } from '@ledgerline/ledger';
import { SqliteReadDb } from '@ledgerline/projections';
import { readTile } from './tile-reader';

const inputs = Array.from({ length: 5 }, (_, i) => createHash('sha256').update(`leaf ${i}`).digest());

describe('readTile against a real SQLite read database', () => {
  let dir: string;
  let db: SqliteReadDb;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-tiles-'));
    db = new SqliteReadDb(path.join(dir, 'read.sqlite'));
    await StoredMerkleTree.migrate(db);
    await StoredMerkleTree.append(db, inputs.map((leafInput, i) => ({ eventId: `e${i}`, position: BigInt(i + 1), leafInput })));
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a tile the checkpoint covers from the stored tree', async () => {
    expect(await readTile(db, { level: 0, index: 0, width: 3 }, 4)).toEqual({ found: true, body: Buffer.concat(inputs.slice(0, 3).map(leafHash)) });
  });

  it('refuses a tile beyond the checkpoint even when the stored tree already has it', async () => {
    expect(await readTile(db, { level: 0, index: 0, width: 5 }, 4)).toEqual({ found: false, reason: 'beyond-checkpoint' });
  });

  it('says the tree is behind, never serves a short tile, when the read database has not caught up with the checkpoint', async () => {
    expect(await readTile(db, { level: 'entries', index: 0, width: 6 }, 8)).toEqual({ found: false, reason: 'tree-behind' });
  });
});
