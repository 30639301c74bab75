import { Inject, Injectable } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { AppConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import { BundleWriter, CHECKPOINT_STREAM, type Keyring } from '@ledgerline/integrity';
import { latestCheckpoint, type LatestCheckpoint } from '@ledgerline/ledger';
import type { ReadDb } from '@ledgerline/projections';
import { APP_CONFIG } from '../../../platform/config/config.tokens';
import { problem, ProblemException } from '../../../platform/errors/problem';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import { KEYRING } from '../../../platform/ledger/ledger.tokens';
import { LOG_VERIFIER_KEY } from '../../../platform/notary/notary.tokens';
import { ProjectionProgress } from '../../../platform/projections/projection-progress';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import { filterMembers, type AuditFilter } from '../audit-index/audit-filter';
import { AUDIT_INDEX } from '../audit-index/audit-index.projector';
import { AuditIndexReader } from '../audit-index/audit-index.reader';
import { readIndexedEventTexts } from '../events/stored-event';
import { InclusionProofs } from '../proofs/inclusion-proofs';
import { positionOfLeaf } from '../proofs/merkle-log.reader';
import { checkpointWaitMs, waitForCoveringCheckpoint } from './checkpoint-wait';

/** What an export was decided to be before its first byte: the filter and the checkpoint every proof is against. */
export interface PreparedExport {
  filter: AuditFilter;
  checkpoint: LatestCheckpoint;
  /** Global position of the checkpoint's last leaf: matching events up to it are in the bundle. */
  lastCovered: bigint;
  generatedAt: Date;
}

/** How an export ended, for its AuditAccessed record. */
export interface ExportOutcome {
  count: number;
  pending: number;
}

/**
 * Index rows per page, and leaves whose proof nodes are read together. Small on purpose: a page's rows
 * and nodes live until its last event is written, and what outlives two young-generation collections
 * is promoted to the old one. At 500 rows a page (≈ 15 MB of allocation, a scavenge's worth) most
 * pages were promoted: ≈ 30 MB of old-space garbage per 100 k export, left for a mark-compact that
 * V8's default heap sizing runs late. At 100 they die young.
 */
const PAGE = 100;
/** Events read and written at a time within a page. */
const READ_BATCH = 50;
/**
 * Characters gathered before a chunk goes to the socket: fewer, larger writes, yet every chunk string
 * (at most this plus one line, two bytes a character at worst) stays below V8's 128 KiB large-object
 * size. A large object skips the young generation and waits for a full collection: chunks of 100–200 KB
 * had the heap grow by 110–150 MB of dead chunks between collections, and RSS past 300 MiB.
 */
const CHUNK_CHARS = 32 * 1024;
/** The longest an export waits for the audit index to reach its checkpoint. */
const INDEX_WAIT_MS = 5_000;

/**
 * SPEC §5 evidence bundles, produced as the client reads them: the index and the store are paged
 * through (or the stream read, for a stream export), proofs come from the stored tree in batches, and
 * the next page is only read when the response has taken the previous chunk — constant memory.
 */
@Injectable()
export class EvidenceExporter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(LOG_VERIFIER_KEY) private readonly logKey: string,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly progress: ProjectionProgress,
    private readonly index: AuditIndexReader,
  ) {}

  /** Every check that can refuse the export, done before anything is sent (problems, not truncated bundles). */
  async prepare(filter: AuditFilter, waitForCheckpoint: boolean): Promise<PreparedExport> {
    if (filter.stream === CHECKPOINT_STREAM) {
      throw exportProblem(400, 'not-exportable', `${CHECKPOINT_STREAM} holds the checkpoints themselves, not leaves of the log; fetch them from the checkpoint routes`);
    }
    if (filter.stream !== undefined && (filter.type ?? filter.actor ?? filter.from ?? filter.to) !== undefined) {
      throw exportProblem(400, 'stream-export-is-whole', 'an export by stream holds the whole stream from revision 0; it takes no other filter');
    }
    if (filter.stream !== undefined && (await this.store.readLastEvent(filter.stream)) === undefined) {
      throw exportProblem(404, 'stream-not-found', 'the store holds no event of this stream');
    }
    const checkpoint = waitForCheckpoint
      ? await waitForCoveringCheckpoint(this.store, this.db, this.progress, checkpointWaitMs(this.config.checkpointIntervalMs))
      : await latestCheckpoint(this.store);
    if (checkpoint === undefined) {
      throw exportProblem(409, 'no-checkpoint-yet', 'no checkpoint has been signed yet; retry shortly or ask with ?waitForCheckpoint=true');
    }
    const lastCovered = await positionOfLeaf(this.db, checkpoint.treeSize - 1);
    if (lastCovered === undefined) throw new Error(`the stored tree lacks leaf ${checkpoint.treeSize - 1} of the newest checkpoint`);
    // The export lists what the audit index holds: it must have reached the checkpoint, or events would be missing.
    if (!(await this.progress.waitFor(lastCovered, INDEX_WAIT_MS, [AUDIT_INDEX]))) {
      throw exportProblem(503, 'projection-lag', 'the audit index has not reached the newest checkpoint yet; retry shortly');
    }
    return { filter, checkpoint, lastCovered, generatedAt: new Date() };
  }

  /**
   * The bundle's text, a chunk (≈ CHUNK_CHARS) at a time. `beforeTrailer` runs once every event line
   * is out and before the signed trailer: if it throws (the access could not be recorded), the bundle
   * ends without a trailer and is invalid by construction.
   */
  async *bundle(prepared: PreparedExport, beforeTrailer: (outcome: ExportOutcome) => Promise<void>): AsyncGenerator<string> {
    const { filter, checkpoint, lastCovered } = prepared;
    const writer = new BundleWriter(this.keyring);
    const chunk = new ChunkBuffer();
    chunk.addBytes(
      writer.header({
        generatedAt: prepared.generatedAt,
        query: filterMembers(filter),
        checkpoint: checkpoint.note,
        logKey: this.logKey,
        jwks: this.keyring.jwks(),
      }),
    );
    const proofs = new InclusionProofs(this.db, checkpoint.treeSize);
    const order = filter.stream !== undefined ? new WholeStream(filter.stream) : undefined;
    // Every matching leaf up to the checkpoint's last one, in position order, which is leaf order.
    // Exports bound no page scan (SCAN_BUDGET): they go through the whole range anyway, rate-limited.
    for await (const page of this.index.scan(filter, { atMost: lastCovered, pageSize: PAGE, scanBudget: Infinity })) {
      // Checkpoint events are left out here rather than in SQL, where the extra condition would cost
      // every page a bounded scan for events only a few filters can match.
      const rows = page.filter((row) => row.stream !== CHECKPOINT_STREAM);
      for (const row of rows) {
        if (row.leafIndex === null || row.leafIndex >= checkpoint.treeSize) {
          throw new Error(`event ${row.eventId} at position ${row.position} is not a leaf of the checkpoint it precedes`);
        }
        order?.next(row.revision);
      }
      await proofs.load(rows.map((row) => row.leafIndex as number));
      // Events are read a few at a time, as their stored text, which goes into the lines unparsed: the
      // fewer objects an export makes, the fewer outlive the garbage collector's young generation.
      for (let at = 0; at < rows.length; at += READ_BATCH) {
        const slice = rows.slice(at, at + READ_BATCH);
        const events = await readIndexedEventTexts(this.store, slice);
        for (let i = 0; i < events.length; i++) {
          const event = events[i];
          const leafIndex = slice[i].leafIndex as number;
          chunk.add(
            writer.eventText({
              leafIndex,
              id: event.id,
              stream: event.stream,
              revision: event.revision,
              type: event.type,
              dataJson: event.dataJson,
              metadataJson: event.metadataJson,
              inclusionProof: proofs.proof(leafIndex),
            }),
          );
          if (chunk.length >= CHUNK_CHARS) yield chunk.take();
        }
      }
      await nextTurn();
    }
    const pending = await this.index.count(filter, { from: lastCovered + 1n }, true);
    await beforeTrailer({ count: writer.count, pending });
    chunk.addBytes(writer.end({ pending }));
    yield chunk.take();
  }
}

/** A stream export must hold revisions 0, 1, 2… with no gap; one that cannot is stopped, not sent short. */
class WholeStream {
  private expected = 0;

  constructor(private readonly stream: string) {}

  next(revision: number): void {
    if (revision !== this.expected) {
      throw new Error(`stream ${this.stream}: the audit index holds revision ${revision} where ${this.expected} was expected`);
    }
    this.expected++;
  }
}

/**
 * Lines gathered as text, handed on as one string per chunk: the socket copies a string into memory it
 * frees when the write completes, where a Buffer per chunk would be external memory that only a garbage
 * collection releases. (What kept RSS high was chunk size, not type: see CHUNK_CHARS.)
 */
class ChunkBuffer {
  private parts: string[] = [];
  length = 0;

  add(text: string): void {
    this.parts.push(text);
    this.length += text.length;
  }

  addBytes(bytes: Buffer): void {
    this.add(bytes.toString('utf8'));
  }

  take(): string {
    const out = this.parts.join('');
    this.parts = [];
    this.length = 0;
    return out;
  }
}

function exportProblem(status: number, type: string, detail: string): ProblemException {
  return new ProblemException(problem(status, { type, detail }));
}
