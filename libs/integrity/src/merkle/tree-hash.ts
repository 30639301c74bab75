import { sha256, sha256Into } from '../hash';

/** Root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = sha256(Buffer.alloc(0));

// Scratch buffers for the common 32-byte case: sha256 copies its input synchronously, so reuse is safe
// and saves a Buffer.concat per hash on the hot path of tree building and proof checking.
const leafScratch = Buffer.alloc(33, 0);
const nodeScratch = Buffer.alloc(65, 0);
nodeScratch[0] = 1;

/** RFC 9162 leaf hash: H(0x00 || input). In Ledgerline the input is the 32 bytes of an event's `hash`. */
export function leafHash(input: Uint8Array): Buffer {
  if (input.length === 32) {
    leafScratch.set(input, 1);
    return sha256(leafScratch);
  }
  return sha256(Buffer.concat([leafScratch.subarray(0, 1), input]));
}

/** leafHash of the 32 bytes at `sourceOffset` in `source`, written into `target` at `targetOffset` (nothing allocated but the digest). */
export function leafHashInto(source: Uint8Array, sourceOffset: number, target: Buffer, targetOffset: number): void {
  copyHash(source, sourceOffset, leafScratch, 1);
  sha256Into(leafScratch, target, targetOffset);
}

/** Copies the 32-byte hash at `sourceOffset` to `targetOffset`: byte by byte, which for 32 bytes beats Buffer#copy (a view per call). */
export function copyHash(source: Uint8Array, sourceOffset: number, target: Uint8Array, targetOffset: number): void {
  for (let k = 0; k < 32; k++) target[targetOffset + k] = source[sourceOffset + k];
}

/** RFC 9162 interior node hash: H(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length === 32 && right.length === 32) {
    nodeScratch.set(left, 1);
    nodeScratch.set(right, 33);
    return sha256(nodeScratch);
  }
  return sha256(Buffer.concat([nodeScratch.subarray(0, 1), left, right]));
}

/** Merkle tree hash (RFC 9162 §2.1.1) of a list of leaf hashes. */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Buffer {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  // Right-edge stack of perfect subtree hashes, as in CompactMerkleTree, without its bookkeeping.
  const stack: Buffer[] = [];
  for (let i = 0; i < leafHashes.length; i++) {
    let h: Buffer = Buffer.from(leafHashes[i]);
    for (let s = i; s % 2 === 1; s = (s - 1) / 2) h = nodeHash(stack.pop() as Buffer, h);
    stack.push(h);
  }
  let root = stack[stack.length - 1];
  for (let i = stack.length - 2; i >= 0; i--) root = nodeHash(stack[i], root);
  return root;
}
