import { EMPTY_ROOT, nodeHash, sha256Into } from '@ledgerline/integrity';

const HASH = 32;
/** Levels of the right edge: a tree of up to 2^53 leaves (every safe size). */
const LEVELS = 54;

/**
 * The integrity lib's CompactMerkleTree (RFC 9162 root of leaves appended in order, O(log n) memory)
 * for one reader that appends a million leaves from chunk buffers: the right edge lives in one buffer,
 * level k at k·32, and each interior node is hashed in a scratch buffer and written in place, so an
 * append allocates nothing but the digest. Only the root is asked for; no node is kept.
 */
export class FlatMerkleTree {
  /** Level k holds the perfect subtree of 2^k leaves on the right edge, when bit k of the size is set. */
  private readonly edge = Buffer.alloc(LEVELS * HASH);
  /** 0x01 || left || right: the node hash input, whose right half carries the subtree being merged up. */
  private readonly scratch = Buffer.alloc(1 + 2 * HASH, 0);
  private count = 0;

  constructor() {
    this.scratch[0] = 1;
  }

  get size(): number {
    return this.count;
  }

  /** Appends the leaf hash at `offset` in `leafHashes`. */
  append(leafHashes: Buffer, offset: number): void {
    const { edge, scratch } = this;
    leafHashes.copy(scratch, 1 + HASH, offset, offset + HASH);
    let level = 0;
    // Each trailing set bit of the size is a subtree of the same height to merge with, on the left.
    for (let s = this.count; s % 2 === 1; s = (s - 1) / 2) {
      edge.copy(scratch, 1, level * HASH, level * HASH + HASH);
      sha256Into(scratch, scratch, 1 + HASH);
      level++;
    }
    scratch.copy(edge, level * HASH, 1 + HASH, 1 + 2 * HASH);
    this.count++;
  }

  /** The root at the current size (EMPTY_ROOT when empty): the edge folded from its smallest subtree up. */
  root(): Buffer {
    let root: Buffer | undefined;
    let level = 0;
    for (let s = this.count; s > 0; s = Math.floor(s / 2), level++) {
      if (s % 2 === 0) continue;
      const subtree = this.edge.subarray(level * HASH, level * HASH + HASH);
      root = root === undefined ? Buffer.from(subtree) : nodeHash(subtree, root);
    }
    return root ?? EMPTY_ROOT;
  }
}
