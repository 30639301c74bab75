import { b64DecodeStrict } from '../base64';
import { EnvelopeError } from '../integrity.errors';
import { nodeHash } from './tree-hash';

/** A proof hash as bytes, or as its standard base64 text (how bundles and receipts carry it). */
export type ProofHash = Uint8Array | string;

/**
 * verifyInclusion for many leaves against one (size, root), as when checking a bundle. It remembers
 * the last verified path: once a new proof reaches the same node with the same hash and its remaining
 * hashes equal the remembered ones, the rest of the RFC 9162 §2.1.3.2 computation would repeat work
 * already checked against the root, so it is skipped. Neighbouring leaves share all but a few levels,
 * which turns ~log2(n) hashes per leaf into ~2. Any difference falls back to the full computation,
 * so the answer is always exactly verifyInclusion's.
 */
export class InclusionChecker {
  private fns: number[] = [];
  private sns: number[] = [];
  private rs: Uint8Array[] = [];
  private hashes: ProofHash[] = [];

  constructor(
    readonly size: number,
    readonly root: Uint8Array,
  ) {
    if (!Number.isSafeInteger(size) || size < 0) throw new EnvelopeError('tree size must be a non-negative integer');
    if (root.length !== 32) throw new EnvelopeError('a root hash is 32 bytes');
  }

  /** True when `proof` shows `leafHash` at `index` in this tree. Base64 proof hashes must be canonical and 32 bytes. */
  verify(leafHash: Uint8Array, index: number, proof: readonly ProofHash[]): boolean {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size || leafHash.length !== 32) return false;
    let fn = index;
    let sn = this.size - 1;
    let r: Uint8Array = leafHash;
    const fns: number[] = [];
    const sns: number[] = [];
    const rs: Uint8Array[] = [];
    let j = 0;
    for (let i = 0; i < proof.length; i++) {
      if (sn === 0) return false;
      const p = toBytes(proof[i]);
      if (p === undefined) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = nodeHash(p, r);
        while (fn % 2 === 0 && fn !== 0) {
          fn /= 2;
          sn = Math.floor(sn / 2);
        }
      } else {
        r = nodeHash(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
      fns.push(fn);
      sns.push(sn);
      rs.push(r);

      while (j < this.sns.length && this.sns[j] > sn) j++;
      if (j < this.sns.length && this.sns[j] === sn && this.fns[j] === fn && Buffer.compare(this.rs[j], r) === 0 && this.sameTail(proof, i + 1, j + 1)) {
        this.remember(fns.concat(this.fns.slice(j + 1)), sns.concat(this.sns.slice(j + 1)), rs.concat(this.rs.slice(j + 1)), proof.slice(0, i + 1).concat(this.hashes.slice(j + 1)));
        return true;
      }
    }
    if (sn !== 0 || Buffer.compare(r, this.root) !== 0) return false;
    this.remember(fns, sns, rs, proof.slice());
    return true;
  }

  private sameTail(proof: readonly ProofHash[], from: number, cachedFrom: number): boolean {
    if (proof.length - from !== this.hashes.length - cachedFrom) return false;
    for (let k = 0; k < proof.length - from; k++) {
      if (!sameHash(proof[from + k], this.hashes[cachedFrom + k])) return false;
    }
    return true;
  }

  private remember(fns: number[], sns: number[], rs: Uint8Array[], hashes: ProofHash[]): void {
    this.fns = fns;
    this.sns = sns;
    this.rs = rs;
    this.hashes = hashes;
  }
}

function toBytes(hash: ProofHash): Uint8Array | undefined {
  if (typeof hash !== 'string') return hash.length === 32 ? hash : undefined;
  if (hash.length !== 44) return undefined;
  return b64DecodeStrict(hash);
}

function sameHash(a: ProofHash, b: ProofHash): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  const x = toBytes(a);
  const y = toBytes(b);
  return x !== undefined && y !== undefined && Buffer.compare(x, y) === 0;
}
