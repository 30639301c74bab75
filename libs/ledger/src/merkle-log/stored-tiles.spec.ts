import { createHash } from 'node:crypto';
import { leafHash, rootFromLeafHashes } from '@ledgerline/integrity';
import { sqliteExecutor } from './sqlite-executor.spec-helper';
import { StoredMerkleTree } from './stored-merkle-tree';

// Three full level-0 tiles and 44 leaves: partial tiles at level 0 (width 44) and level 1 (width 3).
const SIZE = 3 * 256 + 44;
const inputs = Array.from({ length: SIZE }, (_, i) => createHash('sha256').update(`leaf ${i}`).digest());
const leafHashes = inputs.map((input) => leafHash(input));

describe('StoredMerkleTree: the hashes a tlog-tiles surface serves, read from the stored tree', () => {
  const sql = sqliteExecutor();
  beforeAll(async () => {
    await StoredMerkleTree.migrate(sql);
    const batch = 100;
    for (let i = 0; i < SIZE; i += batch) {
      await StoredMerkleTree.append(
        sql,
        inputs.slice(i, i + batch).map((leafInput, j) => ({ eventId: `e${i + j}`, position: BigInt(i + j + 1), leafInput })),
      );
    }
  });

  it('reads a level-0 tile as the leaf hashes, and entry bundles as the leaf inputs', async () => {
    expect(await StoredMerkleTree.nodesAtLevel(sql, 0, 256, 256)).toEqual(leafHashes.slice(256, 512));
    expect(await StoredMerkleTree.leafInputs(sql, 768, 44)).toEqual(inputs.slice(768));
  });

  it('reads a level-1 tile (tree level 8) as the roots of the full level-0 tiles under it', async () => {
    const tile = await StoredMerkleTree.nodesAtLevel(sql, 8, 0, 3);
    expect(tile).toEqual([0, 1, 2].map((i) => rootFromLeafHashes(leafHashes.slice(i * 256, (i + 1) * 256))));
  });

  it('answers fewer hashes than asked where the tree ends, never a node that is not complete', async () => {
    // 44 leaves after three full tiles: three complete level-8 nodes, not four.
    expect(await StoredMerkleTree.nodesAtLevel(sql, 8, 0, 256)).toHaveLength(3);
    expect(await StoredMerkleTree.nodesAtLevel(sql, 0, SIZE - 2, 256)).toHaveLength(2);
    expect(await StoredMerkleTree.nodesAtLevel(sql, 16, 0, 1)).toEqual([]);
    expect(await StoredMerkleTree.leafInputs(sql, SIZE, 256)).toEqual([]);
  });
});
