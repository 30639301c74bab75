import { EnvelopeError } from '../integrity.errors';
import { EMPTY_ROOT, leafHash as hashLeaf, nodeHash } from './tree-hash';

/** Called for every node that becomes complete: level 0 is each appended leaf hash. */
export type NodeSink = (level: number, index: number, hash: Buffer) => void;

/** The resumable state of a CompactMerkleTree: its size and its right-edge subtree hashes, largest first. */
export interface CompactTreeState {
  size: number;
  hashes: Buffer[];
}

/**
 * An append-only Merkle tree that keeps only the perfect subtrees on its right edge (one per set bit of
 * its size, O(log n) memory), so the root at any size is found by streaming the leaves once. `onNode`
 * sees every node as it completes, which is how a notary can persist the full tree as it grows.
 */
export class CompactMerkleTree {
  private count: number;
  private readonly edge: Buffer[];
  private cachedRoot: Buffer | undefined;
  private readonly onNode: NodeSink | undefined;

  constructor(options: { state?: CompactTreeState; onNode?: NodeSink } = {}) {
    const state = options.state ?? { size: 0, hashes: [] };
    if (!Number.isSafeInteger(state.size) || state.size < 0) throw new EnvelopeError('tree size must be a non-negative integer');
    if (state.hashes.length !== popcount(state.size) || state.hashes.some((h) => h.length !== 32)) {
      throw new EnvelopeError(`a tree of size ${state.size} has ${popcount(state.size)} right-edge hashes of 32 bytes`);
    }
    this.count = state.size;
    this.edge = state.hashes.map((h) => Buffer.from(h));
    this.onNode = options.onNode;
  }

  /** Number of leaves. */
  get size(): number {
    return this.count;
  }

  /** Appends a leaf by its leaf hash (H(0x00 || input)); returns its index. */
  append(leafHash: Uint8Array): number {
    if (leafHash.length !== 32) throw new EnvelopeError('a leaf hash is 32 bytes');
    const index = this.count;
    let h: Buffer = Buffer.from(leafHash);
    let nodeIndex = index;
    let level = 0;
    this.onNode?.(0, index, h);
    for (let s = index; s % 2 === 1; s = (s - 1) / 2) {
      h = nodeHash(this.edge.pop() as Buffer, h);
      level++;
      nodeIndex = Math.floor(nodeIndex / 2);
      this.onNode?.(level, nodeIndex, h);
    }
    this.edge.push(h);
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
    if (this.edge.length === 0) return (this.cachedRoot = EMPTY_ROOT);
    let root = this.edge[this.edge.length - 1];
    for (let i = this.edge.length - 2; i >= 0; i--) root = nodeHash(this.edge[i], root);
    return (this.cachedRoot = root);
  }

  /** A copy of the state, to persist and resume with `new CompactMerkleTree({ state })`. */
  state(): CompactTreeState {
    return { size: this.count, hashes: this.edge.map((h) => Buffer.from(h)) };
  }
}

function popcount(n: number): number {
  let bits = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) bits += s % 2;
  return bits;
}
