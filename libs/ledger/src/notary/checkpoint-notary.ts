import { randomUUID, type KeyObject } from 'node:crypto';
import { ConcurrencyError, type EventStore } from '@ledgerline/event-store';
import { b64Encode, signCheckpoint } from '@ledgerline/integrity';
import type { ReadDb } from '@ledgerline/projections';
import type { LedgerWriter } from '../ledger-writer.port';
import { StoredMerkleTree } from '../merkle-log/stored-merkle-tree';
import type { LogTamperAlarm } from './log-tamper-alarm';
import { CHECKPOINT_SIGNED, CHECKPOINT_STREAM, isCheckpointSignedData, type CheckpointSignedData } from './checkpoint.events';
import type { NotaryLogger } from './notary-logger';

export type { NotaryLogger } from './notary-logger';

export interface CheckpointNotaryOptions {
  origin: string;
  checkpointKey: KeyObject;
  intervalMs: number;
  logger: NotaryLogger;
  /** Called after each checkpoint this notary signed (metrics). */
  onSigned?: (treeSize: number) => void;
  /** Tripped by the Merkle-log projector at a tampered event: from then on this notary signs nothing. */
  tamperAlarm?: LogTamperAlarm;
  /** With witnesses configured: asks them to cosign each newest checkpoint (SPEC §4), retried every round until witnessed. */
  witnessing?: { witness(checkpoint: { note: string; treeSize: number }): Promise<unknown> };
}

export type SigningOutcome = 'signed' | 'unchanged' | 'refused';

export interface LatestCheckpoint extends CheckpointSignedData {
  revision: number;
}

/** The newest checkpoint in the store, or undefined before the first. */
export async function latestCheckpoint(store: EventStore): Promise<LatestCheckpoint | undefined> {
  const event = await store.readLastEvent(CHECKPOINT_STREAM);
  if (event === undefined) return undefined;
  if (event.type !== CHECKPOINT_SIGNED || !isCheckpointSignedData(event.data)) {
    throw new Error(`${CHECKPOINT_STREAM} revision ${event.revision} is not a CheckpointSigned event`);
  }
  return { ...event.data, revision: event.revision };
}

/**
 * Signs a checkpoint whenever the stored tree grew. It is the only signer of checkpoints, and it
 * never signs one that is not consistent with the previous: before signing, the stored tree's root
 * at the previous checkpoint's size must equal that checkpoint's root. Once the tamper alarm is tripped
 * (a stored event fails its own hashes), it stops signing until an operator has looked.
 */
export class CheckpointNotary {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SigningOutcome> | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly writer: LedgerWriter,
    private readonly tree: ReadDb,
    private readonly options: CheckpointNotaryOptions,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.signIfGrown().catch(() => undefined), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a signing in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One signing round; concurrent calls share the round in progress. */
  signIfGrown(): Promise<SigningOutcome> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<SigningOutcome> {
    const outcome = await this.signRound();
    const { witnessing, logger } = this.options;
    if (witnessing !== undefined && outcome !== 'refused') {
      // A witness failing is reported by the witnessing itself; the round goes on signing either way.
      const newest = await latestCheckpoint(this.store);
      if (newest !== undefined) await witnessing.witness(newest).catch((error: unknown) => logger.error('witnessing failed', { error }));
    }
    return outcome;
  }

  private async signRound(): Promise<SigningOutcome> {
    const { logger, origin, checkpointKey } = this.options;
    if (this.options.tamperAlarm?.tripped !== undefined) return 'refused';
    try {
      const size = await StoredMerkleTree.size(this.tree);
      const previous = await latestCheckpoint(this.store);
      if (size === 0 || (previous !== undefined && size <= previous.treeSize)) return 'unchanged';
      if (previous !== undefined) {
        const rootThen = b64Encode(await StoredMerkleTree.rootAt(this.tree, previous.treeSize));
        if (rootThen !== previous.rootHash) {
          logger.error('notary refuses to sign: the stored tree is not consistent with the latest checkpoint', {
            checkpointSize: previous.treeSize,
            treeSize: size,
          });
          return 'refused';
        }
      }
      const root = await StoredMerkleTree.rootAt(this.tree, size);
      const note = signCheckpoint({ origin, size, rootHash: root }, checkpointKey);
      const data: CheckpointSignedData = { note, treeSize: size, rootHash: b64Encode(root) };
      const id = randomUUID();
      await this.writer.append(CHECKPOINT_STREAM, [{ type: CHECKPOINT_SIGNED, data }], previous?.revision ?? 'no_stream', {
        actor: { kind: 'system', id: 'notary' },
        correlationId: id,
        causationId: id,
      });
      logger.info('checkpoint signed', { treeSize: size });
      this.options.onSigned?.(size);
      return 'signed';
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        logger.warn('another notary signed first; skipping this round', { stream: CHECKPOINT_STREAM });
        return 'unchanged';
      }
      logger.error('checkpoint signing failed', { error });
      throw error;
    }
  }
}
