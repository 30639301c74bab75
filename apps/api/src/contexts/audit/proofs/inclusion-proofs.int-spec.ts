import { StoredMerkleTree } from '@ledgerline/ledger';
import { SqliteReadDb } from '@ledgerline/projections';
import { InclusionProofs } from './inclusion-proofs';

describe('InclusionProofs (batched, cached reads of the stored tree)', () => {
  let db: SqliteReadDb;
  const LEAVES = 333;

  beforeAll(async () => {
    db = new SqliteReadDb(':memory:');
    await StoredMerkleTree.migrate(db);
    const leaves = Array.from({ length: LEAVES }, (_, i) => ({ eventId: `e${i}`, position: BigInt(i + 1), leafInput: Buffer.alloc(32, i % 251) }));
    for (let i = 0; i < LEAVES; i += 50) await StoredMerkleTree.append(db, leaves.slice(i, i + 50));
  });
  afterAll(() => db.close());

  it.each([
    ['no node shared between batches', 64, 0],
    ['upper nodes shared between batches', 2, 100_000],
    ['a shared-node cache smaller than one batch, reset between batches', 2, 1],
  ])('gives exactly the stored tree’s own proofs with %s', async (_name, sharedLevel, maxSharedNodes) => {
    for (const treeSize of [1, 2, 7, 64, 200, LEAVES]) {
      const proofs = new InclusionProofs(db, treeSize, { sharedLevel, maxSharedNodes });
      // Batches of spread-out leaves, in increasing order as exports ask for them.
      const indexes = Array.from({ length: treeSize }, (_, i) => i).filter((i) => i % 3 !== 1);
      for (let at = 0; at < indexes.length; at += 17) {
        const batch = indexes.slice(at, at + 17);
        const got = await proofs.proofs(batch);
        const expected = await Promise.all(batch.map((i) => StoredMerkleTree.inclusionProof(db, i, treeSize)));
        expect({ treeSize, batch, proofs: got }).toEqual({ treeSize, batch, proofs: expected.map((p) => p.map((h) => h.toString('base64'))) });
      }
    }
  });

  it('holds a bounded number of nodes however many leaves it proves', async () => {
    const big = new SqliteReadDb(':memory:');
    try {
      await StoredMerkleTree.migrate(big);
      const treeSize = 4096;
      for (let i = 0; i < treeSize; i += 512) {
        await StoredMerkleTree.append(
          big,
          Array.from({ length: 512 }, (_, j) => ({ eventId: `e${i + j}`, position: BigInt(i + j + 1), leafInput: Buffer.alloc(32, (i + j) % 251) })),
        );
      }
      const maxSharedNodes = 8;
      const proofs = new InclusionProofs(big, treeSize, { sharedLevel: 3, maxSharedNodes });
      let most = 0;
      for (let at = 0; at < treeSize; at += 10) {
        await proofs.proofs(Array.from({ length: Math.min(10, treeSize - at) }, (_, i) => at + i));
        most = Math.max(most, proofs.heldNodes);
      }
      // The shared bound, plus one page's nodes: 10 proofs hold at most 30 below level 3 and add their few above it.
      expect(most).toBeLessThanOrEqual(maxSharedNodes + 30 + 30);
    } finally {
      await big.close();
    }
  });
});
