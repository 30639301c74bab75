import { ZERO_HASH } from './envelope.types';

/**
 * Why a link between consecutive events of a stream failed: `start` (a complete stream must begin at
 * revision 0), `gap` (a revision is missing), `order` (a revision repeats or goes backwards), `chain`
 * (prev is not the previous event's hash).
 */
export type LinkFailureReason = 'start' | 'gap' | 'order' | 'chain';

export interface LinkFailure {
  reason: LinkFailureReason;
  detail: string;
}

/**
 * The newest (revision, hash) seen per stream while reading events in order, to check §3 chain links
 * in one pass over a bundle or a whole store (memory: one entry per stream).
 */
export class StreamHeads {
  private readonly heads = new Map<string, { revision: number; hash: string }>();

  /**
   * Links the next seen event of `stream`. With `complete`, the stream must start at revision 0 and
   * have no gap; without it (a filtered bundle) a gap is allowed and only adjacent revisions are linked.
   * The head advances even on failure, so each broken link is reported once.
   */
  link(stream: string, revision: number, prev: string, hash: string, complete: boolean): LinkFailure | undefined {
    const head = this.heads.get(stream);
    this.heads.set(stream, { revision, hash });
    if (head === undefined) {
      if (complete && revision !== 0) return { reason: 'start', detail: `stream ${stream} starts at revision ${revision}, not 0` };
      if (revision === 0 && prev !== ZERO_HASH) return { reason: 'chain', detail: `stream ${stream} revision 0 has prev ≠ 64 zeros` };
      return undefined;
    }
    if (revision <= head.revision) {
      return { reason: 'order', detail: `stream ${stream} revision ${revision} follows revision ${head.revision}` };
    }
    if (revision === head.revision + 1) {
      if (prev !== head.hash) return { reason: 'chain', detail: `stream ${stream} revision ${revision}: prev ≠ hash of revision ${head.revision}` };
      return undefined;
    }
    if (complete) return { reason: 'gap', detail: `stream ${stream} jumps from revision ${head.revision} to ${revision}` };
    return undefined;
  }

  /** The newest revision and hash seen for `stream`. */
  head(stream: string): { revision: number; hash: string } | undefined {
    return this.heads.get(stream);
  }

  /** Number of streams seen. */
  get size(): number {
    return this.heads.size;
  }
}
