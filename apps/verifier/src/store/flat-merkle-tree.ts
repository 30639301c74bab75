import { EMPTY_ROOT, nodeHash, sha256Into } from '@ledgerline/integrity';

const HASH = 32;
/** One level of the right edge: 0x01 || left || right, the node hash input of that level. */
const SLOT = 1 + 2 * HASH;
const LEFT = 1;
const RIGHT = 1 + HASH;
/** Levels of the right edge: a tree of up to 2^53 leaves (every safe size). */
const LEVELS = 54;

/**
 * The integrity lib's CompactMerkleTree (RFC 9162 root of leaves appended in order, O(log n) memory)
 * for one reader that appends a million leaves from chunk buffers, allocating nothing per leaf. The
 * right edge lives in one buffer of slots laid out as node hash inputs: level k's perfect subtree (when
 * bit k of the size is set) is the left half of slot k, and the subtree being merged up is written into
 * the right half, so each merge is one hash of the slot written straight into the next slot. Only the
 * root is asked for; no node is kept.
 */
export class FlatMerkleTree {
  private readonly edge = Buffer.alloc(LEVELS * SLOT);
  private readonly slots: Buffer[] = [];
  private count = 0;

  constructor() {
    for (let level = 0; level < LEVELS; level++) {
      this.edge[level * SLOT] = 1;
      this.slots.push(this.edge.subarray(level * SLOT, (level + 1) * SLOT));
    }
  }

  get size(): number {
    return this.count;
  }

  /** Appends the leaf hash at `offset` in `leafHashes`. */
  append(leafHashes: Uint8Array, offset: number): void {
    const edge = this.edge;
    // Byte by byte: for 32 bytes this beats Buffer#copy, which makes a view per call.
    for (let k = 0; k < HASH; k++) edge[RIGHT + k] = leafHashes[offset + k];
    let level = 0;
    // Each trailing set bit of the size is a subtree of the same height to merge with, on the left.
    for (let s = this.count; s % 2 === 1; s = (s - 1) / 2) {
      sha256Into(this.slots[level], edge, (level + 1) * SLOT + RIGHT);
      level++;
    }
    edge.copyWithin(level * SLOT + LEFT, level * SLOT + RIGHT, (level + 1) * SLOT);
    this.count++;
  }

  /** The root at the current size (EMPTY_ROOT when empty): the edge folded from its smallest subtree up. */
  root(): Buffer {
    let root: Buffer | undefined;
    let level = 0;
    for (let s = this.count; s > 0; s = Math.floor(s / 2), level++) {
      if (s % 2 === 0) continue;
      const subtree = this.edge.subarray(level * SLOT + LEFT, level * SLOT + RIGHT);
      root = root === undefined ? Buffer.from(subtree) : nodeHash(subtree, root);
    }
    return root ?? EMPTY_ROOT;
  }
}
