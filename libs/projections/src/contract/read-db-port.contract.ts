/// <reference types="jest" />
import { guardRevision, ensureCheckpointTables } from '../runner/projection-checkpoints';
import { toBigInt } from '../read-db/sql-values';
import type { ReadTx } from '../read-db/read-db.port';
import { contractFixture, type ReadDbHarness } from './contract-support';

/** The port's portable-SQL promises (see read-db.port.ts), on one adapter. */
export function describeReadDbPort(harness: ReadDbHarness): void {
  const fixture = contractFixture(harness);

  it('binds $n parameters (repeated too), booleans as 1/0 and undefined as NULL', async () => {
    const db = await fixture.db();
    await db.exec('CREATE TABLE IF NOT EXISTS t_params (k TEXT PRIMARY KEY, a INTEGER, b INTEGER, c TEXT)');
    await db.query('INSERT INTO t_params (k, a, b, c) VALUES ($1, $2, $3, $4)', ['x', true, false, undefined]);
    await db.query('INSERT INTO t_params (k, a, b, c) VALUES ($2, $1, $1, $3)', [7, 'y', 'seven']);
    const rows = await db.query('SELECT k, a, b, c FROM t_params ORDER BY k');
    expect(rows).toEqual([
      { k: 'x', a: 1, b: 0, c: null },
      { k: 'y', a: 7, b: 7, c: 'seven' },
    ]);
  });

  it('returns integers as numbers when exact and as bigints above 2^53, COUNT and SUM included', async () => {
    const db = await fixture.db();
    const big = 2n ** 60n + 7n;
    await db.exec('CREATE TABLE IF NOT EXISTS t_ints (k TEXT PRIMARY KEY, n BIGINT NOT NULL)');
    await db.query('INSERT INTO t_ints (k, n) VALUES ($1, $2), ($3, $4), ($5, $6)', ['a', 1, 'b', 2n, 'c', big]);
    const rows = await db.query<{ k: string; n: unknown }>('SELECT k, n FROM t_ints ORDER BY k');
    expect(rows.map((r) => r.n)).toEqual([1, 2, big]);
    expect(rows.map((r) => toBigInt(r.n))).toEqual([1n, 2n, big]);
    const [agg] = await db.query<{ c: unknown; s: unknown }>("SELECT COUNT(*) AS c, SUM(n) AS s FROM t_ints WHERE k <> 'c'");
    expect(agg).toEqual({ c: 2, s: 3 });
  });

  it('refuses parameters outside the portable subset', async () => {
    const db = await fixture.db();
    await expect(db.query('SELECT $1 AS v', [{ json: true }])).rejects.toThrow(/unsupported type/);
    await expect(db.query('SELECT $1 AS v', [Number.NaN])).rejects.toThrow(/finite/);
  });

  it('upserts, and RETURNING yields only the rows actually written (the revision guard)', async () => {
    const db = await fixture.db();
    await db.transaction(async (tx) => ensureCheckpointTables(tx));
    const guard = (revision: number) => db.transaction((tx) => guardRevision(tx, 'p', 'document-1', revision));
    expect(await guard(0)).toBe(true);
    expect(await guard(1)).toBe(true);
    expect(await guard(1)).toBe(false);
    expect(await guard(0)).toBe(false);
    expect(await guard(5)).toBe(true);
    const rows = await db.query<{ revision: unknown }>('SELECT revision FROM projection_stream_revisions WHERE projection = $1', ['p']);
    expect(rows.map((r) => toBigInt(r.revision))).toEqual([5n]);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const db = await fixture.db();
    await db.exec('CREATE TABLE IF NOT EXISTS t_tx (k TEXT PRIMARY KEY)');
    await expect(db.transaction(async (tx) => (await tx.query('INSERT INTO t_tx (k) VALUES ($1) RETURNING k', ['kept']))[0])).resolves.toEqual({ k: 'kept' });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t_tx (k) VALUES ($1)', ['lost']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query('SELECT k FROM t_tx ORDER BY k')).toEqual([{ k: 'kept' }]);
  });

  it('refuses a transaction handle used after its transaction ended', async () => {
    const db = await fixture.db();
    let leaked: ReadTx | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1 AS one')).rejects.toThrow(/after it ended/);
  });

  it('keeps concurrent transactions apart: one rolling back does not undo the other', async () => {
    const db = await fixture.db();
    await db.exec('CREATE TABLE IF NOT EXISTS t_iso (k TEXT PRIMARY KEY)');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_iso (k) VALUES ($1)', ['from-failing']);
      await gate;
      throw new Error('rolled back');
    });
    const succeeding = db.transaction(async (tx) => {
      await tx.query('INSERT INTO t_iso (k) VALUES ($1)', ['from-succeeding']);
    });
    // Outside any transaction: the uncommitted row is invisible.
    expect(await db.query('SELECT k FROM t_iso WHERE k = $1', ['from-failing'])).toEqual([]);
    release();
    await expect(failing).rejects.toThrow('rolled back');
    await succeeding;
    expect(await db.query('SELECT k FROM t_iso ORDER BY k')).toEqual([{ k: 'from-succeeding' }]);
  });

  it('runs several DDL statements in one exec and sees them from another connection', async () => {
    const db = await fixture.db();
    await db.exec('CREATE TABLE IF NOT EXISTS t_a (k TEXT PRIMARY KEY); CREATE TABLE IF NOT EXISTS t_b (k TEXT PRIMARY KEY)');
    await db.query('INSERT INTO t_b (k) VALUES ($1)', ['b']);
    const other = await fixture.reopen();
    expect(await other.query('SELECT k FROM t_b')).toEqual([{ k: 'b' }]);
    expect(await other.query('SELECT COUNT(*) AS n FROM t_a')).toEqual([{ n: 0 }]);
  });

  it('rejects work after close', async () => {
    const db = await fixture.db();
    await db.close();
    await expect(db.query('SELECT 1 AS one')).rejects.toThrow(/closed/);
    await expect(db.transaction(async () => undefined)).rejects.toThrow(/closed/);
  });
}
