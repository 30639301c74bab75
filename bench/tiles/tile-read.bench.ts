/**
 * What one tlog-tiles request costs the read database as the log grows: a full level-0 hash tile, a
 * level-1 tile and a full entry bundle, read from the notary's stored tree (SQLite file) at sizes from
 * 1 000 to 1 000 000 leaves. Bounded work means the times stay flat while the tree grows 1000-fold.
 *
 *   npm run build && flock /work/bench.lock node dist/bench/tiles/tile-read.bench.js [-- --sizes 1000,1000000 --reads 300]
 *
 * The last line of output is one JSON object (machine-readable results).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoredMerkleTree } from '@ledgerline/ledger';
import { SqliteReadDb } from '@ledgerline/projections';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const sizes = (args.get('sizes') ?? '1000,10000,100000,1000000').split(',').map(Number);
const reads = Number(args.get('reads') ?? 300);
const APPEND_BATCH = 2000;

/** Mean microseconds of `read` over `reads` calls, after a warm-up. */
async function meanMicros(read: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await read();
  const start = process.hrtime.bigint();
  for (let i = 0; i < reads; i++) await read();
  return Math.round(Number(process.hrtime.bigint() - start) / 1000 / reads);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ledgerline-tiles-bench-'));
  const db = new SqliteReadDb(join(dir, 'read.sqlite'));
  const results: Record<string, number>[] = [];
  try {
    await StoredMerkleTree.migrate(db);
    let size = 0;
    for (const target of sizes) {
      while (size < target) {
        const count = Math.min(APPEND_BATCH, target - size);
        const leaves = Array.from({ length: count }, (_, i) => ({
          eventId: `event-${size + i}`,
          position: BigInt(size + i + 1),
          leafInput: createHash('sha256').update(String(size + i)).digest(),
        }));
        await db.transaction((tx) => StoredMerkleTree.append(tx, leaves));
        size += count;
      }
      const fullTiles = Math.floor(size / 256);
      // A random full tile each time, so no one page stays hot in SQLite's cache.
      const anyFullTile = (): number => Math.floor(Math.random() * fullTiles) * 256;
      const result = {
        treeSize: size,
        level0TileMicros: await meanMicros(() => StoredMerkleTree.nodesAtLevel(db, 0, anyFullTile(), 256)),
        level1TileMicros: await meanMicros(() => StoredMerkleTree.nodesAtLevel(db, 8, 0, Math.min(256, fullTiles))),
        entryBundleMicros: await meanMicros(() => StoredMerkleTree.leafInputs(db, anyFullTile(), 256)),
      };
      console.log(`tree ${size}: level-0 tile ${result.level0TileMicros} µs, level-1 tile ${result.level1TileMicros} µs, entry bundle ${result.entryBundleMicros} µs`);
      results.push(result);
    }
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify({ bench: 'tile-read', reads, results }));
}

void main();
