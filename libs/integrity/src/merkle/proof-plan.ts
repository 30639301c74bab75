import { foldRange, rangeNodes, type BatchNodeReader, type NodeId, type NodeReader } from './subtree';

/** The leaf ranges [start, end) whose hashes make up a proof, in proof order. */
export type ProofRanges = Array<[start: number, end: number]>;

/** Every node a proof needs, flattened in proof order, with how many belong to each proof hash. */
export interface ProofPlan {
  nodes: NodeId[];
  counts: number[];
}

export function planFor(ranges: ProofRanges): ProofPlan {
  const nodes: NodeId[] = [];
  const counts: number[] = [];
  for (const [start, end] of ranges) {
    const before = nodes.length;
    rangeNodes(start, end, nodes);
    counts.push(nodes.length - before);
  }
  return { nodes, counts };
}

/** Folds the read node hashes (in plan order) into the proof's hashes. */
export function assemble(plan: ProofPlan, hashes: readonly Buffer[]): Buffer[] {
  if (hashes.length !== plan.nodes.length) throw new RangeError(`node reader answered ${hashes.length} hashes for ${plan.nodes.length} nodes`);
  const proof: Buffer[] = [];
  let at = 0;
  for (const count of plan.counts) {
    proof.push(foldRange(hashes.slice(at, at + count)));
    at += count;
  }
  return proof;
}

export function readPlan(plan: ProofPlan, read: NodeReader): Buffer[] {
  return assemble(plan, plan.nodes.map((node) => read(node.level, node.index)));
}

export async function readPlanAsync(plan: ProofPlan, read: BatchNodeReader): Promise<Buffer[]> {
  return assemble(plan, plan.nodes.length === 0 ? [] : await read(plan.nodes));
}
