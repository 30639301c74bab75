/** Why a link between consecutive events of a stream failed (the integrity lib's StreamHeads reasons). */
export type ChainFailureKind = 'start' | 'gap' | 'order' | 'chain';

/** Revision slot value before a stream's first event. */
const NO_HEAD = -1;

/**
 * §3 chain links of every stream of a whole store, read in global order: each stream starts at
 * revision 0 (whose prev is 64 zeros), has no gap, and each prev is the hash of the revision before.
 * The same rules as the integrity lib's StreamHeads (`complete` mode), kept on 32-byte hashes in flat
 * typed arrays, one slot per stream, so a million events cost no string or object each.
 */
export class ChainTracker {
  private readonly slots = new Map<string, number>();
  private readonly names: string[] = [];
  private revisions = new Float64Array(1024);
  private hashes = new Uint32Array(1024 * 8);

  private linked = 0;

  /** Streams with at least one event linked. */
  get streams(): number {
    return this.linked;
  }

  /** The slot that holds `stream`'s head (created empty on first use). */
  slot(stream: string): number {
    let slot = this.slots.get(stream);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(stream, slot);
      this.names.push(stream);
      if (slot >= this.revisions.length) this.grow();
      this.revisions[slot] = NO_HEAD;
    }
    return slot;
  }

  /** The stream whose head `slot` holds. */
  name(slot: number): string {
    return this.names[slot];
  }

  /**
   * Links the next event of the stream in `slot`: `prev` and `hash` are 32-byte values given as 8 words
   * at `at` in their arrays. Returns the failure, or undefined. The head advances even on failure.
   */
  link(slot: number, revision: number, prev: Uint32Array, hash: Uint32Array, at: number): { kind: ChainFailureKind; reason: string } | undefined {
    const stream = this.names[slot];
    const head = this.revisions[slot];
    const base = slot * 8;
    let linked = true;
    for (let k = 0; k < 8; k++) {
      // Before the first event the slot holds zeros: exactly the prev revision 0 must carry.
      if (prev[at + k] !== (head === NO_HEAD ? 0 : this.hashes[base + k])) linked = false;
      this.hashes[base + k] = hash[at + k];
    }
    this.revisions[slot] = revision;
    if (head === NO_HEAD) {
      this.linked++;
      if (revision !== 0) return { kind: 'start', reason: `stream ${stream} starts at revision ${revision}, not 0` };
      if (!linked) return { kind: 'chain', reason: `stream ${stream} revision 0 has prev ≠ 64 zeros` };
      return undefined;
    }
    if (revision <= head) return { kind: 'order', reason: `stream ${stream} revision ${revision} follows revision ${head}` };
    if (revision !== head + 1) return { kind: 'gap', reason: `stream ${stream} jumps from revision ${head} to ${revision}` };
    if (!linked) return { kind: 'chain', reason: `stream ${stream} revision ${revision}: prev ≠ hash of revision ${head}` };
    return undefined;
  }

  private grow(): void {
    const revisions = new Float64Array(this.revisions.length * 2);
    revisions.set(this.revisions);
    this.revisions = revisions;
    const hashes = new Uint32Array(this.hashes.length * 2);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }
}
