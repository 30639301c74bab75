import { inclusionProof, inclusionProofPlan } from '@ledgerline/integrity';
import type { SqlExecutor } from '@ledgerline/projections';
import { nodeKey as key, nodesAt } from './merkle-log.reader';

/**
 * Nodes at or above this level (subtrees of ≥ 1024 leaves) are kept between batches: every proof in a
 * region of the tree shares them. Lower nodes mostly serve one batch and are dropped with it, so they
 * die young in the garbage collector instead of piling up in a long-lived cache.
 */
const SHARED_LEVEL = 10;
/** Bound on the shared nodes kept (a reset beyond it; a 2^40-leaf tree would still fit a few regions). */
const DEFAULT_SHARED_NODES = 10_000;

/**
 * Inclusion proofs against one tree size for many leaves: each batch reads only the nodes it lacks,
 * level by level in a few queries. The proofs themselves are the integrity lib's (RFC 9162), computed
 * from those nodes.
 */
export class InclusionProofs {
  private readonly shared = new Map<string, Buffer>();
  private readonly sharedLevel: number;
  private readonly maxSharedNodes: number;

  constructor(
    private readonly sql: SqlExecutor,
    readonly treeSize: number,
    options: { sharedLevel?: number; maxSharedNodes?: number } = {},
  ) {
    this.sharedLevel = options.sharedLevel ?? SHARED_LEVEL;
    this.maxSharedNodes = options.maxSharedNodes ?? DEFAULT_SHARED_NODES;
  }

  /** One proof per leaf index, in the order given. */
  async proofs(leafIndexes: readonly number[]): Promise<Buffer[][]> {
    if (this.shared.size > this.maxSharedNodes) this.shared.clear();
    const batch = new Map<string, Buffer>();
    const wanted = new Map<number, Set<number>>();
    for (const index of leafIndexes) {
      for (const node of inclusionProofPlan(index, this.treeSize).nodes) {
        if (this.shared.has(key(node.level, node.index))) continue;
        let level = wanted.get(node.level);
        if (level === undefined) wanted.set(node.level, (level = new Set()));
        level.add(node.index);
      }
    }
    const found = await nodesAt(this.sql, new Map([...wanted].map(([level, indexes]) => [level, [...indexes]])));
    for (const [level, indexes] of wanted) {
      const into = level >= this.sharedLevel ? this.shared : batch;
      for (const index of indexes) {
        const hash = found.get(key(level, index));
        if (hash === undefined) throw new RangeError(`merkle node (${level}, ${index}) is not stored`);
        into.set(key(level, index), hash);
      }
    }
    return leafIndexes.map((index) =>
      inclusionProof(index, this.treeSize, (level, i) => {
        const hash = (level >= this.sharedLevel ? this.shared : batch).get(key(level, i));
        if (hash === undefined) throw new RangeError(`merkle node (${level}, ${i}) is not stored`);
        return hash;
      }),
    );
  }
}
