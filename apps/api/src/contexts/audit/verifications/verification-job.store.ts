import type { CommandContext } from '@ledgerline/ledger';
import type { ReadDb, SqlExecutor } from '@ledgerline/projections';
import type { LogFailure, LogVerificationResult } from './log-verification';

/** `queued` until the worker takes it; `interrupted` when the worker running it stopped or died first. */
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted';

/** `GET /v1/audit/verifications/:id`. */
export interface VerificationJobView {
  id: string;
  state: JobState;
  /** When the officer asked for it. */
  startedAt: string;
  finishedAt?: string;
  /** The compliance officer who started it. */
  startedBy: string;
  progress: { checked: number; total: number };
  firstFailure?: LogFailure;
  result?: Omit<LogVerificationResult, 'firstFailure'>;
}

/** A job the worker claimed, with the request's context (its outcome is sealed under it). */
export interface ClaimedJob {
  view: VerificationJobView;
  context: CommandContext;
}

/** What finishing writes: the final state and, for a check that ran, its findings. */
export interface JobOutcome {
  state: Exclude<JobState, 'queued' | 'running'>;
  progress: { checked: number; total: number };
  firstFailure?: LogFailure;
  result?: Omit<LogVerificationResult, 'firstFailure'>;
}

/*
 * `open_slot` is 1 while a job is queued or running and NULL afterwards: the unique index on it admits one open
 * job across every instance (NULLs never collide), which is the "one at a time" rule made atomic.
 */
const TABLE = `
CREATE TABLE IF NOT EXISTS verification_jobs (
  id TEXT PRIMARY KEY,
  open_slot INTEGER,
  state TEXT NOT NULL,
  started_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  finished_at TEXT,
  runner TEXT,
  heartbeat_at BIGINT,
  checked BIGINT NOT NULL,
  total BIGINT NOT NULL,
  context TEXT NOT NULL,
  outcome TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS verification_jobs_one_open ON verification_jobs (open_slot);
`;

/** Finished jobs are kept this long for `GET …/:id`; their outcome is sealed in the log for good. */
const KEEP_FINISHED_MS = 30 * 24 * 3600 * 1000;

interface JobRow {
  id: string;
  state: JobState;
  started_by: string;
  requested_at: string;
  finished_at: string | null;
  checked: number | bigint;
  total: number | bigint;
  context: string;
  outcome: string | null;
}

const COLUMNS = 'id, state, started_by, requested_at, finished_at, checked, total, context, outcome';

/**
 * Whole-log verification jobs in the read database, so every API instance sees the same jobs and the
 * worker that runs them may be another process. Not a read model: nothing here is rebuilt from the log.
 */
export class VerificationJobStore {
  constructor(
    readonly db: ReadDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates the table (owner role: at start with READ_DB_MIGRATE on, or `npm run db:migrate`). */
  static async migrate(db: SqlExecutor): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await db.exec(TABLE);
        return;
      } catch (error) {
        // Two processes creating it at once on PostgreSQL: the second sees it exists on retry.
        const code = (error as { code?: string })?.code ?? '';
        if (attempt >= 3 || !['23505', '42P07'].includes(code)) throw error;
      }
    }
  }

  /** Queues a job, or returns the open one (queued or running) when there is one. */
  async enqueue(id: string, context: CommandContext): Promise<{ queued: boolean; job: VerificationJobView }> {
    const at = this.now();
    await this.db.query("DELETE FROM verification_jobs WHERE open_slot IS NULL AND requested_at < $1", [new Date(at.getTime() - KEEP_FINISHED_MS).toISOString()]);
    const inserted = await this.db.query<JobRow>(
      `INSERT INTO verification_jobs (id, open_slot, state, started_by, requested_at, checked, total, context)
       VALUES ($1, 1, 'queued', $2, $3, 0, 0, $4) ON CONFLICT (open_slot) DO NOTHING RETURNING ${COLUMNS}`,
      [id, context.actor.id, at.toISOString(), JSON.stringify(context)],
    );
    if (inserted[0] !== undefined) return { queued: true, job: viewOf(inserted[0]) };
    const open = await this.db.query<JobRow>(`SELECT ${COLUMNS} FROM verification_jobs WHERE open_slot = 1`);
    // The open job finished between the two statements: try once more.
    if (open[0] === undefined) return this.enqueue(id, context);
    return { queued: false, job: viewOf(open[0]) };
  }

  async view(id: string): Promise<VerificationJobView | undefined> {
    const rows = await this.db.query<JobRow>(`SELECT ${COLUMNS} FROM verification_jobs WHERE id = $1`, [id]);
    return rows[0] === undefined ? undefined : viewOf(rows[0]);
  }

  /** The worker `runner` takes the queued job, if any (atomic: one claimant wins). */
  async claim(runner: string): Promise<ClaimedJob | undefined> {
    const rows = await this.db.query<JobRow>(
      `UPDATE verification_jobs SET state = 'running', runner = $1, heartbeat_at = $2
       WHERE open_slot = 1 AND state = 'queued' RETURNING ${COLUMNS}`,
      [runner, this.now().getTime()],
    );
    const row = rows[0];
    return row === undefined ? undefined : { view: viewOf(row), context: JSON.parse(row.context) as CommandContext };
  }

  /** Progress and liveness of a running job; false when it is no longer this runner's (marked interrupted). */
  async heartbeat(id: string, runner: string, progress: { checked: number; total: number }): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE verification_jobs SET heartbeat_at = $3, checked = $4, total = $5
       WHERE id = $1 AND runner = $2 AND state = 'running' RETURNING id`,
      [id, runner, this.now().getTime(), progress.checked, progress.total],
    );
    return rows.length > 0;
  }

  /** Closes this runner's job with its outcome; false when it was no longer this runner's. */
  async finish(id: string, runner: string, outcome: JobOutcome): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE verification_jobs SET open_slot = NULL, state = $3, finished_at = $4, checked = $5, total = $6, outcome = $7
       WHERE id = $1 AND runner = $2 AND state = 'running' RETURNING id`,
      [id, runner, outcome.state, this.now().toISOString(), outcome.progress.checked, outcome.progress.total, outcomeText(outcome)],
    );
    return rows.length > 0;
  }

  /**
   * Marks running jobs whose runner has not been heard of for `staleMs` as interrupted (a worker that
   * crashed or was killed), which frees the slot for a new job. Returns them, with their contexts.
   */
  async interruptStale(staleMs: number): Promise<ClaimedJob[]> {
    const now = this.now();
    const outcome: JobOutcome = {
      state: 'interrupted',
      progress: { checked: 0, total: 0 },
      firstFailure: { reason: 'interrupted', detail: 'the worker running this check stopped before it finished; start a new one' },
    };
    const rows = await this.db.query<JobRow>(
      `UPDATE verification_jobs SET open_slot = NULL, state = 'interrupted', finished_at = $1, outcome = $2
       WHERE state = 'running' AND heartbeat_at < $3 RETURNING ${COLUMNS}`,
      [now.toISOString(), outcomeText(outcome), now.getTime() - staleMs],
    );
    return rows.map((row) => ({ view: viewOf(row), context: JSON.parse(row.context) as CommandContext }));
  }
}

function outcomeText(outcome: JobOutcome): string {
  return JSON.stringify({ firstFailure: outcome.firstFailure, result: outcome.result });
}

function viewOf(row: JobRow): VerificationJobView {
  const view: VerificationJobView = {
    id: row.id,
    state: row.state,
    startedAt: row.requested_at,
    startedBy: row.started_by,
    progress: { checked: Number(row.checked), total: Number(row.total) },
  };
  if (row.finished_at !== null) view.finishedAt = row.finished_at;
  if (row.outcome !== null) {
    const { firstFailure, result } = JSON.parse(row.outcome) as Pick<JobOutcome, 'firstFailure' | 'result'>;
    if (result !== undefined) view.result = result;
    if (firstFailure !== undefined) view.firstFailure = firstFailure;
  }
  return view;
}
