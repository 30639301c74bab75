import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@ledgerline/event-store';
import { parseVerifierKey, type Keyring } from '@ledgerline/integrity';
import type { CommandContext, LedgerWriter } from '@ledgerline/ledger';
import { nextCommandContext } from '../../access/authorization/command-context';
import type { ReadDb } from '@ledgerline/projections';
import type winston from 'winston';
import { LOGGER } from '../../../platform/config/config.tokens';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import { KEYRING, LEDGER_WRITER } from '../../../platform/ledger/ledger.tokens';
import { LOG_VERIFIER_KEY } from '../../../platform/notary/notary.tokens';
import { READ_DB } from '../../../platform/projections/projections.tokens';
import { auditAccessStreamName } from '../access-log/audit-access.events';
import { verifyLog, type LogFailure, type LogVerificationResult } from './log-verification';

export type JobState = 'running' | 'succeeded' | 'failed';

/** `GET /v1/audit/verifications/:id`. */
export interface VerificationJobView {
  id: string;
  state: JobState;
  startedAt: string;
  finishedAt?: string;
  /** The compliance officer who started it. */
  startedBy: string;
  progress: { checked: number; total: number };
  firstFailure?: LogFailure;
  result?: Omit<LogVerificationResult, 'firstFailure'>;
}

/** Sealed record of a finished whole-log check, in the day's audit-access stream. */
export const LOG_VERIFICATION_COMPLETED = 'LogVerificationCompleted';

/** Finished jobs remembered for `GET …/:id` (in memory: a restart forgets them; their outcome stays in the log). */
const KEPT_JOBS = 50;

interface Job {
  view: VerificationJobView;
  abort: AbortController;
  done: Promise<void>;
}

/**
 * Whole-log verification jobs, run in this process in the background, one at a time: the check
 * reads every event and verifies every signature (CPU-bound), so a second POST while one runs is
 * answered 409 with the running job's id instead of doubling the load.
 */
@Injectable()
export class VerificationJobs implements OnModuleDestroy {
  private readonly jobs = new Map<string, Job>();
  private running: Job | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(KEYRING) private readonly keyring: Keyring,
    @Inject(LOG_VERIFIER_KEY) private readonly logKey: string,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    @Inject(LOGGER) private readonly logger: winston.Logger,
  ) {}

  /** Starts a job, or returns the one already running. */
  start(context: CommandContext): { started: boolean; job: VerificationJobView } {
    if (this.running) return { started: false, job: this.running.view };
    const view: VerificationJobView = {
      id: randomUUID(),
      state: 'running',
      startedAt: new Date().toISOString(),
      startedBy: context.actor.id,
      progress: { checked: 0, total: 0 },
    };
    const abort = new AbortController();
    const job: Job = { view, abort, done: Promise.resolve() };
    job.done = this.run(job, context).finally(() => {
      if (this.running === job) this.running = undefined;
    });
    this.running = job;
    this.remember(job);
    return { started: true, job: view };
  }

  view(id: string): VerificationJobView | undefined {
    return this.jobs.get(id)?.view;
  }

  /** Stops a running job before the store closes. */
  async onModuleDestroy(): Promise<void> {
    const job = this.running;
    if (job === undefined) return;
    job.abort.abort();
    await job.done;
  }

  private async run(job: Job, context: CommandContext): Promise<void> {
    const { view } = job;
    try {
      view.progress.total = await this.estimatedTotal();
      const result = await verifyLog(this.store, {
        keys: this.keyring.keyMap(),
        logKey: parseVerifierKey(this.logKey),
        total: view.progress.total,
        signal: job.abort.signal,
        onProgress: (progress) => (view.progress = progress),
      });
      const { firstFailure, ...summary } = result;
      view.result = summary;
      if (firstFailure) view.firstFailure = firstFailure;
      view.state = result.ok ? 'succeeded' : 'failed';
    } catch (error) {
      this.logger.error('log verification job failed to run', { context: 'audit', jobId: view.id, error });
      view.state = 'failed';
      view.firstFailure = { reason: 'error', detail: 'the check could not run to the end; see the server log' };
    }
    view.finishedAt = new Date().toISOString();
    // The check is over: a new job may start now, while this one's outcome is being sealed.
    if (this.running === job) this.running = undefined;
    if (job.abort.signal.aborted) return;
    await this.recordOutcome(view, context);
  }

  private async recordOutcome(view: VerificationJobView, context: CommandContext): Promise<void> {
    try {
      await this.writer.append(
        auditAccessStreamName(new Date()),
        [
          {
            type: LOG_VERIFICATION_COMPLETED,
            data: {
              jobId: view.id,
              state: view.state,
              checked: view.progress.checked,
              ...(view.result?.headPosition ? { headPosition: view.result.headPosition } : {}),
              ...(view.firstFailure ? { firstFailure: { ...view.firstFailure } } : {}),
            },
          },
        ],
        'any',
        nextCommandContext(context),
      );
    } catch (error) {
      this.logger.error('could not record a log verification outcome', { context: 'audit', jobId: view.id, error });
    }
  }

  /** Events in the audit index: what the check will read, give or take what arrives meanwhile. */
  private async estimatedTotal(): Promise<number> {
    const rows = await this.db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM audit_events');
    return Number(rows[0]?.n ?? 0);
  }

  private remember(job: Job): void {
    this.jobs.set(job.view.id, job);
    for (const [id, kept] of this.jobs) {
      if (this.jobs.size <= KEPT_JOBS) break;
      if (kept !== this.running) this.jobs.delete(id);
    }
  }
}
