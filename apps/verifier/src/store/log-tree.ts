import { CompactMerkleTree, EMPTY_ROOT } from '@ledgerline/integrity';

/**
 * The SPEC §4 tree rebuilt from the leaves in global order, in O(log n) memory (the integrity lib's
 * CompactMerkleTree), keeping the root only at the sizes something will be compared at: the sizes the
 * checkpoints claim and the `--since` size. Also remembers where those leaf ranges start and end in
 * the log, to say where a mismatching range lies.
 */
export class LogTree {
  private readonly tree = new CompactMerkleTree();
  private readonly wanted: number[];
  private next = 0;
  private readonly roots = new Map<number, Buffer>([[0, EMPTY_ROOT]]);
  private readonly lastLeafPosition = new Map<number, number | string>();
  private readonly firstLeafAfter = new Map<number, number | string>();
  private captureAfter: number | undefined = 0;

  constructor(wantedSizes: Iterable<number>) {
    this.wanted = [...new Set(wantedSizes)].filter((s) => s > 0).sort((a, b) => a - b);
  }

  get size(): number {
    return this.tree.size;
  }

  /** Appends the leaf hash at `offset` in `leafHashes`; true when the new size is one whose root is wanted (it is now kept). */
  append(leafHashes: Uint8Array, offset: number, position: number | string): boolean {
    this.tree.appendFrom(leafHashes, offset);
    if (this.captureAfter !== undefined) {
      this.firstLeafAfter.set(this.captureAfter, position);
      this.captureAfter = undefined;
    }
    const size = this.tree.size;
    if (this.next >= this.wanted.length || this.wanted[this.next] !== size) return false;
    while (this.next < this.wanted.length && this.wanted[this.next] <= size) this.next++;
    this.roots.set(size, this.tree.root());
    this.lastLeafPosition.set(size, position);
    this.captureAfter = size;
    return true;
  }

  /** Asks for the root at a size not reached yet. */
  want(size: number): void {
    if (size <= this.tree.size || this.wanted.includes(size)) return;
    let i = this.next;
    while (i < this.wanted.length && this.wanted[i] < size) i++;
    this.wanted.splice(i, 0, size);
  }

  /** The root at `size` if it was kept (or is the current size), else undefined. */
  rootAt(size: number): Buffer | undefined {
    if (size === this.tree.size) return this.tree.root();
    return this.roots.get(size);
  }

  /** "leaves a..b-1 (positions x..y)" for the leaves between two kept sizes, as far as known. */
  describeRange(from: number, to: number): string {
    const first = this.firstLeafAfter.get(from);
    const last = this.lastLeafPosition.get(to);
    const positions = first !== undefined && last !== undefined ? ` (positions ${first}..${last})` : '';
    return `leaves ${from}..${to - 1}${positions}`;
  }
}
