import { EnvelopeError } from '../integrity.errors';
import { sha256Into } from '../hash';
import { copyHash, EMPTY_ROOT, leafHash as hashLeaf, nodeHash } from './tree-hash';

/** Called for every node that becomes complete: level 0 is each appended leaf hash. */
export type NodeSink = (level: number, index: number, hash: Buffer) => void;

/** The resumable state of a CompactMerkleTree: its size and its right-edge subtree hashes, largest first. */
export interface CompactTreeState {
  size: number;
  hashes: Buffer[];
}

const HASH = 32;
/** One level of the right edge: 0x01 || left || right, that level's node hash input. */
const SLOT = 1 + 2 * HASH;
const LEFT = 1;
const RIGHT = 1 + HASH;
/** Levels of the right edge: enough for every safe size (< 2^53). */
const LEVELS = 54;

/**
 * An append-only Merkle tree that keeps only the perfect subtrees on its right edge (one per set bit of
 * its size, O(log n) memory), so the root at any size is found by streaming the leaves once. `onNode`
 * sees every node as it completes, which is how a notary can persist the full tree as it grows.
 *
 * The edge lives in one buffer of slots laid out as node hash inputs: level k's subtree (when bit k of
 * the size is set) is the left half of slot k, and the subtree being merged up is written into the right
 * half, so a merge hashes the slot straight into the next one. Without `onNode`, an append allocates
 * nothing but the digests (a verifier appends millions of leaves).
 */
export class CompactMerkleTree {
  private count: number;
  private readonly edge = Buffer.alloc(LEVELS * SLOT);
  /** Views of the slots, made once: hashing a slot then needs no view per call. */
  private readonly slots: Buffer[] = [];
  private cachedRoot: Buffer | undefined;
  private readonly onNode: NodeSink | undefined;

  constructor(options: { state?: CompactTreeState; onNode?: NodeSink } = {}) {
    const state = options.state ?? { size: 0, hashes: [] };
    if (!Number.isSafeInteger(state.size) || state.size < 0) throw new EnvelopeError('tree size must be a non-negative integer');
    // state.hashes is largest first: the highest set bit's subtree comes first.
    const levels = edgeLevels(state.size).reverse();
    if (state.hashes.length !== levels.length || state.hashes.some((h) => h.length !== HASH)) {
      throw new EnvelopeError(`a tree of size ${state.size} has ${levels.length} right-edge hashes of 32 bytes`);
    }
    for (let level = 0; level < LEVELS; level++) {
      this.edge[level * SLOT] = 1;
      this.slots.push(this.edge.subarray(level * SLOT, (level + 1) * SLOT));
    }
    levels.forEach((level, i) => this.edge.set(state.hashes[i], level * SLOT + LEFT));
    this.count = state.size;
    this.onNode = options.onNode;
  }

  /** Number of leaves. */
  get size(): number {
    return this.count;
  }

  /** Appends a leaf by its leaf hash (H(0x00 || input)); returns its index. */
  append(leafHash: Uint8Array): number {
    if (leafHash.length !== HASH) throw new EnvelopeError('a leaf hash is 32 bytes');
    return this.appendFrom(leafHash, 0);
  }

  /** Appends the leaf hash at `offset` in `leafHashes` (a buffer of many); returns its index. */
  appendFrom(leafHashes: Uint8Array, offset: number): number {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + HASH > leafHashes.length) throw new EnvelopeError('a leaf hash is 32 bytes inside its buffer');
    const { edge, onNode } = this;
    const index = this.count;
    copyHash(leafHashes, offset, edge, RIGHT);
    onNode?.(0, index, Buffer.from(edge.subarray(RIGHT, RIGHT + HASH)));
    let level = 0;
    let nodeIndex = index;
    // Each trailing set bit of the size is a subtree of the same height to merge with, on the left.
    for (let s = index; s % 2 === 1; s = (s - 1) / 2) {
      const into = (level + 1) * SLOT + RIGHT;
      sha256Into(this.slots[level], edge, into);
      level++;
      nodeIndex = Math.floor(nodeIndex / 2);
      onNode?.(level, nodeIndex, Buffer.from(edge.subarray(into, into + HASH)));
    }
    edge.copyWithin(level * SLOT + LEFT, level * SLOT + RIGHT, (level + 1) * SLOT);
    this.count++;
    this.cachedRoot = undefined;
    return index;
  }

  /** Appends a leaf by its input (for Ledgerline, the 32 bytes of an event's hash); returns its index. */
  appendLeafInput(input: Uint8Array): number {
    return this.append(hashLeaf(input));
  }

  /** The RFC 9162 root at the current size (EMPTY_ROOT when empty); O(log n) hashes, cached until the next append. */
  root(): Buffer {
    if (this.cachedRoot) return this.cachedRoot;
    let root: Buffer | undefined;
    // Folded from the smallest subtree up.
    for (const level of edgeLevels(this.count)) {
      const subtree = this.subtree(level);
      root = root === undefined ? Buffer.from(subtree) : nodeHash(subtree, root);
    }
    return (this.cachedRoot = root ?? EMPTY_ROOT);
  }

  /** A copy of the state, to persist and resume with `new CompactMerkleTree({ state })`. */
  state(): CompactTreeState {
    const hashes = edgeLevels(this.count).reverse().map((level) => Buffer.from(this.subtree(level)));
    return { size: this.count, hashes };
  }

  private subtree(level: number): Buffer {
    return this.edge.subarray(level * SLOT + LEFT, level * SLOT + RIGHT);
  }
}

/** The levels whose bit is set in `size`, smallest first: where a tree of that size has its right-edge subtrees. */
function edgeLevels(size: number): number[] {
  const levels: number[] = [];
  for (let s = size, level = 0; s > 0; s = Math.floor(s / 2), level++) if (s % 2 === 1) levels.push(level);
  return levels;
}
