import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { PostgresReadDb, SqliteReadDb, type ReadDb } from '@ledgerline/projections';
import { documentSharesProjector } from '../../read-models/document-shares.projector';
import { documentsProjector } from '../../read-models/documents.projector';
import { listDocumentsSql } from './list-documents.handler';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function migrate(db: ReadDb): Promise<void> {
  await db.transaction(async (tx) => {
    await documentsProjector.migrate(tx);
    await documentSharesProjector.migrate(tx);
  });
}

// A list must cost O(the caller's documents): index range scans only, never a scan of every document.
describe('listing documents reads index ranges only', () => {
  it.each([false, true])('SQLite (cursor: %p): no table scan of documents or shares', async (withCursor) => {
    const dir = mkdtempSync(join(os.tmpdir(), 'list-plan-'));
    const db = new SqliteReadDb(join(dir, 'read.sqlite'));
    try {
      await migrate(db);
      const sql = listDocumentsSql(withCursor);
      const params = withCursor ? ['user_a', 21, 5] : ['user_a', 21];
      const planOf = async (text: string) => (await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${text}`, params)).map((row) => row.detail);
      const owned = await planOf(sql.owned);
      const details = [...owned, ...(await planOf(sql.shared))];
      // The caller's own documents come in index order: no sort at all.
      expect(owned.filter((d) => /TEMP B-TREE/.test(d))).toEqual([]);
      expect(details.some((d) => /^SEARCH d USING (COVERING )?INDEX documents_by_owner/.test(d))).toBe(true);
      expect(details.some((d) => /^SEARCH s USING (COVERING )?INDEX document_shares_by_user/.test(d))).toBe(true);
      expect(details.filter((d) => /^SCAN (d|s|documents|document_shares)\b/.test(d))).toEqual([]);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('PostgreSQL: an index path exists for both halves (sequential scans disabled for the check, as tiny test tables would otherwise be scanned)', async () => {
    const schema = `list_plan_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const db = await PostgresReadDb.open(PG_URL, { schema });
    try {
      await migrate(db);
      const plan = await db.transaction(async (tx) => {
        await tx.exec('SET LOCAL enable_seqscan = off');
        const sql = listDocumentsSql(true);
        return [...(await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql.owned}`, ['user_a', 21, 5])), ...(await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql.shared}`, ['user_a', 21, 5]))];
      });
      const text = plan.map((row) => row['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index (Only )?Scan[^\n]* on documents_by_owner|documents_by_owner/);
      expect(text).toMatch(/document_shares_by_user/);
      expect(text).not.toMatch(/Seq Scan on (documents|document_shares)\b/);
    } finally {
      await db.close();
      const admin = await PostgresReadDb.open(PG_URL);
      await admin.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.close();
    }
  });
});
