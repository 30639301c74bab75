import { availableParallelism } from 'node:os';
import { b64Encode, type Jwks, type NoteVerifierKey } from '@ledgerline/integrity';
import { ChainTracker } from './chain-tracker';
import type { ChunkResult } from './chunk-result';
import type { LogSource } from './log-source';
import { LogTree } from './log-tree';
import type { StoreFailure } from './store-failure';
import { VerifyPool } from './verify-pool';

export interface VerifyStoreOptions {
  source: LogSource;
  jwks: Jwks;
  logKey: NoteVerifierKey;
  /** A checkpoint saved earlier (already opened with the log key): the store must still extend it. */
  since?: { size: number; rootHash: Buffer };
  /** Skip the Ed25519 verify of event signatures (checkpoint notes are still verified). */
  fast?: boolean;
  /** Verify workers; default: one per core. */
  workers?: number;
  /** Events per slice handed to a worker. Default 1024. */
  sliceSize?: number;
  /** Called about every `progressMs` (default 2000) with the events checked so far. */
  onProgress?: (events: number, seconds: number) => void;
  progressMs?: number;
}

export interface StoreCounts {
  events: number;
  streams: number;
  checkpoints: number;
  leaves: number;
}

export interface StoreReport {
  ok: boolean;
  mode: 'full' | 'fast';
  checked: StoreCounts;
  firstFailure?: StoreFailure;
  warnings: string[];
  seconds: number;
  /** CPU time of the whole process (every thread) during the run: what the check costs, whatever else the machine runs. */
  cpuSeconds: number;
}

interface PendingCheckpoint {
  size: number;
  rootHash: string;
  where: Location;
}

type Location = Pick<StoreFailure, 'stream' | 'revision' | 'position'>;

class Found {
  constructor(readonly failure: StoreFailure) {}
}

/**
 * Verifies a whole store (SPEC §3, §4, §5 verify-store): workers check every event's envelope and
 * every checkpoint note in parallel, slice by slice; this thread takes the slices back in log order,
 * links every stream's chain, rebuilds the Merkle tree from the leaves and compares it with every
 * checkpoint and with the `since` checkpoint. Stops at the first failure in log order.
 */
export async function verifyStore(options: VerifyStoreOptions): Promise<StoreReport> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const { source } = options;
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const run = new StoreRun(options, await source.claimedCheckpointSizes());
  const pool = new VerifyPool(
    { jwks: options.jwks, logKey: options.logKey.vkey, checkSignatures: options.fast !== true, ...source.workerSource },
    workers,
  );
  const progress = options.onProgress
    ? setInterval(() => options.onProgress?.(run.counts().events, (performance.now() - started) / 1000), options.progressMs ?? 2000)
    : undefined;
  progress?.unref();

  let failure: StoreFailure | undefined;
  const window: Promise<ChunkResult>[] = [];
  try {
    const slices = source.slices(options.sliceSize ?? 1024)[Symbol.asyncIterator]();
    let seq = 0;
    let exhausted = false;
    const fill = async (): Promise<void> => {
      // Enough slices in flight that no worker waits for this thread, few enough to bound memory.
      while (!exhausted && window.length < workers * 8) {
        const next = await slices.next();
        if (next.done) {
          exhausted = true;
          return;
        }
        const result = pool.run({ seq: seq++, ...next.value });
        result.catch(() => undefined);
        window.push(result);
      }
    };
    await fill();
    while (window.length > 0 && failure === undefined) {
      failure = run.consume(await (window.shift() as Promise<ChunkResult>));
      if (failure === undefined) await fill();
    }
    failure ??= run.finish();
  } finally {
    if (progress) clearInterval(progress);
    await pool.close();
    await source.close();
  }
  const report: StoreReport = {
    ok: failure === undefined,
    mode: options.fast ? 'fast' : 'full',
    checked: run.counts(),
    warnings: run.warnings,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSecondsSince(cpuAtStart),
  };
  if (failure) report.firstFailure = failure;
  return report;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** The main-thread half of a run: chains, tree, checkpoints, in log order. */
class StoreRun {
  readonly warnings: string[] = [];
  private readonly chains = new ChainTracker();
  /** Per worker: its stream id → chain slot. */
  private readonly streamSlots: Int32Array[] = [];
  private readonly tree: LogTree;
  private events = 0;
  private checkpoints = 0;
  private lastCheckpointSize = -1;
  /** Largest checkpoint size whose root the rebuilt tree matched: where a later mismatch can start. */
  private verifiedSize = 0;
  private pending: PendingCheckpoint[] = [];
  private lastEvent: Location | undefined;

  constructor(
    private readonly options: VerifyStoreOptions,
    claimedSizes: number[],
  ) {
    this.tree = new LogTree(options.since ? [...claimedSizes, options.since.size] : claimedSizes);
  }

  counts(): StoreCounts {
    return { events: this.events, streams: this.chains.streams, checkpoints: this.checkpoints, leaves: this.tree.size };
  }

  /** Takes the next slice in log order; returns the first failure in it, if any. */
  consume(chunk: ChunkResult): StoreFailure | undefined {
    try {
      this.consumeEvents(chunk);
    } catch (error) {
      if (error instanceof Found) return error.failure;
      throw error;
    }
    return chunk.failure;
  }

  /** Checks that need the whole log: checkpoints beyond its end, and the `since` checkpoint. */
  finish(): StoreFailure | undefined {
    const beyond = this.pending[0];
    if (beyond) {
      return {
        kind: 'checkpoint-size',
        reason: `the checkpoint claims ${beyond.size} leaves but the log holds only ${this.tree.size}`,
        ...beyond.where,
      };
    }
    const since = this.options.since;
    if (since && this.tree.size < since.size) {
      const after = this.lastEvent ? ` after position ${this.lastEvent.position}` : '';
      return {
        kind: 'since-truncated',
        reason: `the saved checkpoint covers ${since.size} leaves but the store holds only ${this.tree.size}: the log was truncated${after}`,
        ...this.lastEvent,
      };
    }
    if (this.checkpoints === 0) this.warnings.push('the store holds no checkpoint: its log is not anchored to any signed tree head');
    return undefined;
  }

  private consumeEvents(chunk: ChunkResult): void {
    const words = (bytes: Uint8Array) => new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const prevs = words(chunk.prevs);
    const hashes = words(chunk.hashes);
    const slots = this.workerSlots(chunk);
    let claim = 0;
    for (let i = 0; i < chunk.count; i++) {
      const slot = slots[chunk.streamIndex[i]];
      const revision = chunk.revisions[i];
      const position = chunk.positionTexts?.[i] ?? chunk.positions[i];
      const broken = this.chains.link(slot, revision, prevs, hashes, i * 8);
      if (broken) throw new Found({ ...broken, stream: this.chains.name(slot), revision, position });
      this.events++;
      if (chunk.isLeaf[i] === 1) {
        if (this.tree.append(chunk.leafHashes, i * 32, position)) this.reachedWantedSize({ stream: this.chains.name(slot), revision, position });
      } else {
        const checkpoint = chunk.checkpoints[claim++];
        const where = { stream: this.chains.name(slot), revision, position };
        if (checkpoint.witnessed) this.witnessedCheckpoint(checkpoint.treeSize, checkpoint.rootHash, where);
        else this.checkpoint(checkpoint.treeSize, checkpoint.rootHash, where);
      }
      if (i === chunk.count - 1) this.lastEvent = { stream: this.chains.name(slot), revision, position };
    }
  }

  /** The chain slots of the chunk's worker's stream ids, learning the streams it names for the first time. */
  private workerSlots(chunk: ChunkResult): Int32Array {
    let slots = this.streamSlots[chunk.worker] ?? new Int32Array(1024);
    const needed = chunk.firstNewStream + chunk.newStreams.length;
    if (needed > slots.length) {
      const grown = new Int32Array(Math.max(needed, slots.length * 2));
      grown.set(slots);
      slots = grown;
    }
    this.streamSlots[chunk.worker] = slots;
    chunk.newStreams.forEach((stream, j) => (slots[chunk.firstNewStream + j] = this.chains.slot(stream)));
    return slots;
  }

  private checkpoint(size: number, rootHash: string, where: Location): void {
    this.checkpoints++;
    if (size < this.lastCheckpointSize) {
      throw new Found({ kind: 'checkpoint-order', reason: `checkpoint size ${size} is smaller than the previous checkpoint's ${this.lastCheckpointSize}`, ...where });
    }
    this.lastCheckpointSize = size;
    if (size > this.tree.size) {
      // Not reached yet (a notary signs only leaves already in the log, so this is unusual): checked when it is.
      this.pending.push({ size, rootHash, where });
      this.tree.want(size);
      return;
    }
    this.compare(size, rootHash, where, 'checkpoint');
  }

  /** A witnessed note's root must be the rebuilt tree's at its size, as a signed checkpoint's (it counts as none). */
  private witnessedCheckpoint(size: number, rootHash: string, where: Location): void {
    // The notary witnesses only checkpoints it signed: their sizes are the ones whose roots are kept.
    if (size <= this.tree.size && this.tree.rootAt(size) === undefined) {
      throw new Found({ kind: 'cosigned-event', reason: `a witnessed checkpoint of size ${size}, a size no signed checkpoint has`, ...where });
    }
    if (size > this.tree.size) {
      this.pending.push({ size, rootHash, where });
      this.tree.want(size);
      return;
    }
    this.compare(size, rootHash, where, 'checkpoint');
  }

  private reachedWantedSize(leaf: Location): void {
    const size = this.tree.size;
    const due = this.pending.filter((p) => p.size === size);
    if (due.length > 0) {
      this.pending = this.pending.filter((p) => p.size !== size);
      for (const p of due) this.compare(size, p.rootHash, p.where, 'checkpoint');
    }
    const since = this.options.since;
    if (since && since.size === size) this.compare(size, b64Encode(since.rootHash), leaf, 'since');
  }

  private compare(size: number, rootHash: string, where: Location, what: 'checkpoint' | 'since'): void {
    const root = this.tree.rootAt(size);
    if (root === undefined) {
      throw new Found({ kind: 'store-changed', reason: `no rebuilt root at size ${size}: the store changed while it was being verified`, ...where });
    }
    if (b64Encode(root) === rootHash) {
      if (size > this.verifiedSize) this.verifiedSize = size;
      return;
    }
    const from = this.verifiedSize <= size ? this.verifiedSize : 0;
    const range = this.tree.describeRange(from, size);
    if (what === 'since') {
      throw new Found({ kind: 'since-root', reason: `the store's tree at size ${size} is not the saved checkpoint's: ${range} were changed, removed, reordered or inserted`, ...where });
    }
    throw new Found({
      kind: 'checkpoint-root',
      reason: `the tree rebuilt from the log has another root at size ${size} than this checkpoint signed: ${range} were changed, removed, reordered or inserted`,
      ...where,
    });
  }
}
