import { createPrivateKey, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateEd25519Pem, openCheckpoint, parseVerifierKey, signCheckpoint } from '@ledgerline/integrity';
import type { LedgerWriter } from '@ledgerline/ledger';
import { LEDGER_WRITER } from '../../apps/api/src/platform/ledger/ledger.tokens';
import { bootApp, type BootedApp } from '../../apps/api/test/app-boot';
import { eventually } from '../support/eventually';
import { buildGoTlogClient, runGoTlogClient } from './go-client';

/**
 * Issue 21 part 4: a tlog client no one here wrote (Go's golang.org/x/mod/sumdb/tlog, built from
 * Debian's packages) audits the log through GET /checkpoint and GET /tile/… alone: it recomputes
 * the tree from the entry bundles, authenticates hash tiles against the checkpoint, and checks
 * inclusion and consistency proofs for several sizes, partial tiles included.
 */
const ORIGIN = 'tiles.example/log';
const BATCH = 50;

describe('tlog-tiles read surface, audited by Go’s sumdb/tlog', () => {
  let workDir: string;
  let client: string;
  let booted: BootedApp;
  let checkpointPem: string;

  beforeAll(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-tiles-'));
    client = buildGoTlogClient(workDir);
    checkpointPem = generateEd25519Pem();
    const keyFile = path.join(workDir, 'checkpoint-key.pem');
    writeFileSync(keyFile, checkpointPem, { mode: 0o600 });
    booted = await bootApp({
      AUDIT_LOG_ORIGIN: ORIGIN,
      CHECKPOINT_KEY_FILE: keyFile,
      CHECKPOINT_INTERVAL_MS: '100',
      // The checkpoint polling below and the client's requests are not what this spec measures (tiles.e2e-spec covers the limit).
      RATE_LIMIT_IP_PER_MIN: '0',
    });
  });
  afterAll(async () => {
    await booted?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const logKey = async (): Promise<string> => (await (await fetch(`${booted.baseUrl}/v1/audit/log-key`)).text()).trim();

  /** The published checkpoint once its tree has at least `size` leaves. */
  const checkpointOfAtLeast = (size: number): Promise<string> =>
    eventually(async () => {
      const response = await fetch(`${booted.baseUrl}/checkpoint`);
      if (response.status !== 200) return undefined;
      const note = await response.text();
      return Number(note.split('\n')[1]) >= size ? note : undefined;
    }, `a checkpoint of ${size} leaves`);

  /**
   * Appends `count` sealed events through the API's own write path (the LedgerWriter its commands use),
   * one atomic batch a stream: each event is a leaf, and no HTTP round trip per event slows the spec.
   */
  async function writeEvents(count: number, round: string): Promise<void> {
    const writer = booted.app.get<LedgerWriter>(LEDGER_WRITER);
    for (let first = 0; first < count; first += BATCH) {
      const events = Array.from({ length: Math.min(BATCH, count - first) }, (_, i) => ({ type: 'TilesSampleRecorded', data: { round, n: first + i } }));
      const id = randomUUID();
      await writer.append(`tiles-${round}${first}`, events, 'no_stream', { actor: { kind: 'system', id: 'tiles-spec' }, correlationId: id, causationId: id });
    }
  }

  const saveNote = (name: string, note: string): string => {
    const file = path.join(workDir, name);
    writeFileSync(file, note);
    return file;
  };

  it('recomputes the tree from the tiles and checks inclusion and consistency at several sizes, partial tiles included', async () => {
    const vkey = await logKey();
    const bootstrap = await checkpointOfAtLeast(1);
    // Sizes chosen so the trees have full and partial tiles at level 0 and partial ones at level 1.
    await writeEvents(260, 'a');
    const middle = await checkpointOfAtLeast(260);
    await writeEvents(260, 'b');
    const latest = await checkpointOfAtLeast(520);
    const sizes = [bootstrap, middle, latest].map((note) => openCheckpoint(note, parseVerifierKey(vkey)).size);

    const run = await runGoTlogClient(client, { url: booted.baseUrl, vkey, olds: [saveNote('bootstrap', bootstrap), saveNote('middle', middle)], compareApi: true });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const summary = JSON.parse(run.stdout) as {
      treeSize: number;
      recordsProved: number;
      treesProved: number;
      apiProofsEqual: number;
      oldCheckpoints: number[];
      tiles: string[];
    };
    // The client may have read a newer checkpoint than `latest`; never an older one.
    const [old, mid, size] = [sizes[0], sizes[1], summary.treeSize];
    expect(size).toBeGreaterThanOrEqual(sizes[2]);
    expect([old < 256, mid > 256 && mid < 512, size > 512 && size < 768]).toEqual([true, true, true]);
    expect(summary.oldCheckpoints).toEqual([old, mid]);
    expect(summary.recordsProved).toBeGreaterThanOrEqual(20);
    expect(summary.treesProved).toBeGreaterThanOrEqual(10);
    // The audit API's own consistency proofs are Go's, hash for hash.
    expect(summary.apiProofsEqual).toBe(summary.treesProved - 1);
    // Every tile each tree needs, no more: full and partial at levels 0 and 1 (the old trees' narrower
    // partial tiles too, still served), and every entry bundle of the newest tree.
    expect(summary.tiles).toEqual(
      [
        'tile/0/000',
        `tile/0/000.p/${old}`,
        'tile/0/001',
        `tile/0/001.p/${mid - 256}`,
        `tile/0/002.p/${size - 512}`,
        'tile/1/000.p/1',
        'tile/1/000.p/2',
        'tile/entries/000',
        'tile/entries/001',
        `tile/entries/002.p/${size - 512}`,
      ].sort(),
    );
  });

  it('fails a split view: a checkpoint signed with the log key over another tree does not match the tiles', async () => {
    const vkey = await logKey();
    const honest = openCheckpoint(await checkpointOfAtLeast(520), parseVerifierKey(vkey));
    // Same key, same size, another root: what a log showing two histories would sign.
    const forked = signCheckpoint({ origin: ORIGIN, size: 260, rootHash: Buffer.alloc(32, 7) }, createPrivateKey(checkpointPem));
    expect(honest.size).toBeGreaterThan(260);

    const run = await runGoTlogClient(client, { url: booted.baseUrl, vkey, olds: [saveNote('forked', forked)] });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('old checkpoint of size 260: inclusion proof of record 0 in tree 260: downloaded inconsistent tile');
  });
});
