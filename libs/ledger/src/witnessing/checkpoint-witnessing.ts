import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore } from '@ledgerline/event-store';
import { checkWitnessQuorum, type NoteVerifierKey } from '@ledgerline/integrity';
import type { ReadDb } from '@ledgerline/projections';
import type { LedgerWriter } from '../ledger-writer.port';
import { StoredMerkleTree } from '../merkle-log/stored-merkle-tree';
import { CHECKPOINT_COSIGNED, COSIGNATURE_STREAM, type CheckpointCosignedData } from '../notary/checkpoint.events';
import type { NotaryLogger } from '../notary/notary-logger';
import { latestCosignedCheckpoint } from './published-checkpoint';
import { addCheckpoint } from './witness-client';

/** A witness the log asks for cosignatures: its base URL and its pinned cosigner vkey. */
export interface WitnessEndpoint {
  url: string;
  key: NoteVerifierKey;
}

export interface CheckpointWitnessingOptions {
  witnesses: readonly WitnessEndpoint[];
  /** Cosignatures a checkpoint needs before it is published (1..witnesses.length). */
  quorum: number;
  logger: NotaryLogger;
  /** Per request. */
  timeoutMs: number;
  /** Tries per witness and checkpoint for an unreachable witness or a 5xx/429 (default 3), with doubling backoff. */
  attempts?: number;
  backoffMs?: number;
  /** A witness that could not cosign this round (metrics, security event): never a silent downgrade. */
  onWitnessFailure?: (witness: WitnessEndpoint, reason: string, treeSize: number) => void;
  /** A checkpoint met the quorum and was stored. */
  onWitnessed?: (treeSize: number, cosignatures: number) => void;
}

export type WitnessingOutcome = 'witnessed' | 'already-witnessed' | 'short-of-quorum';

type WitnessResult = { ok: true; lines: string[] } | { ok: false; reason: string };

const MAX_CONFLICTS = 2;

/**
 * Asks every witness to cosign a signed checkpoint (c2sp.org/tlog-witness), each with a consistency
 * proof from the size it last cosigned (learnt from its 409 answers), and stores the note with the
 * cosignatures as a CheckpointCosigned event once at least `quorum` valid ones came back. Only the
 * notary calls it, under its leadership, so the cosignature stream has one writer.
 */
export class CheckpointWitnessing {
  /** The size each witness holds for our origin, as far as we know (unknown: ask from 0 and learn it from the 409). */
  private readonly witnessSizes = new Map<string, number>();
  private witnessedSize: number | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly writer: LedgerWriter,
    private readonly tree: ReadDb,
    private readonly options: CheckpointWitnessingOptions,
  ) {}

  /** Collects cosignatures on `checkpoint` unless a checkpoint at least as large is already witnessed. */
  async witness(checkpoint: { note: string; treeSize: number }): Promise<WitnessingOutcome> {
    this.witnessedSize ??= (await latestCosignedCheckpoint(this.store))?.treeSize ?? 0;
    if (this.witnessedSize >= checkpoint.treeSize) return 'already-witnessed';
    const { witnesses, quorum, logger } = this.options;
    const results = await Promise.all(witnesses.map((witness) => this.askOne(witness, checkpoint)));
    const lines: string[] = [];
    results.forEach((result, i) => {
      if (result.ok) lines.push(...result.lines);
      else this.options.onWitnessFailure?.(witnesses[i], result.reason, checkpoint.treeSize);
    });
    if (lines.length < quorum) {
      logger.warn('checkpoint short of its witness quorum: not published', { treeSize: checkpoint.treeSize, cosignatures: lines.length, quorum });
      return 'short-of-quorum';
    }
    const data: CheckpointCosignedData = { treeSize: checkpoint.treeSize, note: checkpoint.note + lines.join('') };
    const id = randomUUID();
    await this.writer.append(COSIGNATURE_STREAM, [{ type: CHECKPOINT_COSIGNED, data }], 'any', {
      actor: { kind: 'system', id: 'notary' },
      correlationId: id,
      causationId: id,
    });
    this.witnessedSize = checkpoint.treeSize;
    logger.info('checkpoint witnessed', { treeSize: checkpoint.treeSize, cosignatures: lines.length });
    this.options.onWitnessed?.(checkpoint.treeSize, lines.length);
    return 'witnessed';
  }

  /** One witness: resends from the size a 409 names, retries with backoff when it is unreachable or overloaded. */
  private async askOne(witness: WitnessEndpoint, checkpoint: { note: string; treeSize: number }): Promise<WitnessResult> {
    const { attempts = 3, backoffMs = 100, timeoutMs } = this.options;
    let oldSize = this.witnessSizes.get(witness.url) ?? 0;
    let conflicts = 0;
    for (let attempt = 1; ; ) {
      if (oldSize > checkpoint.treeSize) return { ok: false, reason: `witness holds size ${oldSize}, beyond this checkpoint's ${checkpoint.treeSize}` };
      const proof = oldSize === 0 || oldSize === checkpoint.treeSize ? [] : await StoredMerkleTree.consistencyProof(this.tree, oldSize, checkpoint.treeSize);
      const answer = await addCheckpoint(witness.url, oldSize, proof, checkpoint.note, timeoutMs);
      if (answer.kind === 'cosigned') {
        this.witnessSizes.set(witness.url, checkpoint.treeSize);
        const valid = answer.lines.filter((line) => checkWitnessQuorum(checkpoint.note + line, [witness.key], 1).ok);
        return valid.length > 0 ? { ok: true, lines: valid.slice(0, 1) } : { ok: false, reason: 'answered without a valid cosignature from its pinned key' };
      }
      if (answer.kind === 'conflict') {
        this.witnessSizes.set(witness.url, answer.size);
        if (++conflicts > MAX_CONFLICTS) return { ok: false, reason: `size conflict persists (witness holds ${answer.size})` };
        oldSize = answer.size;
        continue;
      }
      const retriable = answer.kind === 'unreachable' || answer.status >= 500 || answer.status === 429;
      const reason = answer.kind === 'unreachable' ? `unreachable: ${answer.detail}` : `refused with ${answer.status}: ${answer.detail}`;
      if (!retriable || attempt >= attempts) return { ok: false, reason };
      await sleep(backoffMs * 2 ** (attempt - 1));
      attempt++;
    }
  }
}
