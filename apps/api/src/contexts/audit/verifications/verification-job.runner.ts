import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@ledgerline/event-store';
import { parseVerifierKey, type Keyring } from '@ledgerline/integrity';
import type { CommandContext, LedgerWriter } from '@ledgerline/ledger';
import type winston from 'winston';
import { nextCommandContext } from '../../access/authorization/command-context';
import { LOGGER } from '../../../platform/config/config.tokens';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import { KEYRING, LEDGER_WRITER } from '../../../platform/ledger/ledger.tokens';
import { LOG_VERIFIER_KEY } from '../../../platform/notary/notary.tokens';
import { auditAccessStreamName } from '../access-log/audit-access.events';
import { verifyLog } from './log-verification';
import type { ClaimedJob, JobOutcome, VerificationJobStore } from './verification-job.store';

/** Sealed record of a finished whole-log check, in the day's audit-access stream. */
export const LOG_VERIFICATION_COMPLETED = 'LogVerificationCompleted';

/** How often the worker looks for a queued job, and writes a running job's progress (its heartbeat). */
const POLL_MS = 500;
const HEARTBEAT_MS = 1_000;
/** A running job not heard of for this long lost its worker (killed, crashed, powered off). */
const STALE_MS = 5_000;

/**
 * The worker's side of verification jobs: polls the job table, claims the queued job (atomically, so of
 * several workers one runs it), runs the whole-log check here with a heartbeat, stores and seals the
 * outcome. Marks jobs whose worker went silent as interrupted, and seals that too.
 */
@Injectable()
export class VerificationJobRunner {
  private readonly id = randomUUID();
  private store: VerificationJobStore | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(LOG_VERIFIER_KEY) private readonly logKey: string,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    @Inject(LOGGER) private readonly logger: winston.Logger,
  ) {}

  start(store: VerificationJobStore): void {
    this.store = store;
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
    void this.poll();
  }

  /** Stops polling; a running check is aborted and its job closed as interrupted before the store closes. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.polling;
  }

  private poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollOnce(): Promise<void> {
    const store = this.store;
    if (store === undefined || this.abort.signal.aborted) return;
    try {
      for (const lost of await store.interruptStale(STALE_MS)) {
        this.logger.warn('log verification interrupted: its worker stopped', { context: 'audit', jobId: lost.view.id });
        await this.seal(lost.view.id, { state: 'interrupted', progress: lost.view.progress, firstFailure: lost.view.firstFailure }, lost.context);
      }
      const job = await store.claim(this.id);
      if (job !== undefined) await this.run(store, job);
    } catch (error) {
      this.logger.error('log verification jobs could not be polled', { context: 'audit', error });
    }
  }

  private async run(store: VerificationJobStore, job: ClaimedJob): Promise<void> {
    const id = job.view.id;
    let progress = { checked: 0, total: await this.estimatedTotal() };
    const heartbeat = setInterval(() => void store.heartbeat(id, this.id, progress).catch(() => undefined), HEARTBEAT_MS);
    let outcome: JobOutcome;
    try {
      const result = await verifyLog(this.events, {
        keys: this.keyring.keyMap(),
        logKey: parseVerifierKey(this.logKey),
        total: progress.total,
        signal: this.abort.signal,
        onProgress: (now) => (progress = now),
      });
      const { firstFailure, ...summary } = result;
      outcome = { state: result.ok ? 'succeeded' : 'failed', progress, result: summary, ...(firstFailure ? { firstFailure } : {}) };
    } catch (error) {
      this.logger.error('log verification job failed to run', { context: 'audit', jobId: id, error });
      outcome = { state: 'failed', progress, firstFailure: { reason: 'error', detail: 'the check could not run to the end; see the server log' } };
    } finally {
      clearInterval(heartbeat);
    }
    if (this.abort.signal.aborted) {
      outcome = { state: 'interrupted', progress, firstFailure: { reason: 'interrupted', detail: 'the worker stopped before the check finished; start a new one' } };
    }
    if (await store.finish(id, this.id, outcome)) await this.seal(id, outcome, job.context);
  }

  private async seal(jobId: string, outcome: JobOutcome, context: CommandContext): Promise<void> {
    try {
      await this.writer.append(
        auditAccessStreamName(new Date()),
        [
          {
            type: LOG_VERIFICATION_COMPLETED,
            data: {
              jobId,
              state: outcome.state,
              checked: outcome.progress.checked,
              ...(outcome.result?.headPosition ? { headPosition: outcome.result.headPosition } : {}),
              ...(outcome.firstFailure ? { firstFailure: { ...outcome.firstFailure } } : {}),
            },
          },
        ],
        'any',
        nextCommandContext(context),
      );
    } catch (error) {
      this.logger.error('could not record a log verification outcome', { context: 'audit', jobId, error });
    }
  }

  /** Events in the audit index: what the check will read, give or take what arrives meanwhile. */
  private async estimatedTotal(): Promise<number> {
    const rows = await this.store!.db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_events');
    return Number(rows[0]?.n ?? 0);
  }
}
