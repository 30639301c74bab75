import { Client } from 'pg';

export interface LeaderLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
}

export interface LeadershipCallbacks {
  /** Called when this instance becomes the leader: start the singleton work. */
  elected(): Promise<void>;
  /** Called when leadership is lost (connection gone) or on stop: stop the singleton work. */
  deposed(): Promise<void>;
}

/** Seed of the workers' advisory-lock key ("ledgerline worker"); the key itself is per schema (TRY_TO_LEAD). */
export const WORKER_LOCK_ID = 0x4c65_6467_6572n;

/**
 * An advisory lock is per database, but a deployment's read models live in one schema (READ_DB_URL's
 * search_path may confine them to it): the key is hashed from that schema, so deployments in different
 * schemas of one database each elect their own leader, and the workers of one deployment share one lock.
 */
const TRY_TO_LEAD = "SELECT pg_try_advisory_lock(hashtextextended(coalesce(current_schema(), ''), $1)) AS locked";

/**
 * One leader at a time for the notary and the projections, by a PostgreSQL session advisory lock:
 * the lock lives as long as the leader's connection, so a killed leader (kill -9, crash, network)
 * releases it and a follower polling `pg_try_advisory_lock` takes over from the stored checkpoints.
 */
export class PostgresLeaderElection {
  private client: Client | undefined;
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private attempt: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly callbacks: LeadershipCallbacks,
    private readonly logger: LeaderLogger,
    private readonly pollMs = 1000,
  ) {}

  /** Tries once now, then keeps trying every pollMs until elected. */
  async start(): Promise<void> {
    await this.tryToLead();
    this.timer = setInterval(() => {
      this.attempt = this.attempt.then(() => this.tryToLead());
    }, this.pollMs);
    this.timer.unref();
  }

  isLeader(): boolean {
    return this.leading;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.attempt;
    await this.stepDown('stopping');
  }

  private async tryToLead(): Promise<void> {
    if (this.leading || this.stopped) return;
    try {
      if (this.client === undefined) {
        const client = new Client({ connectionString: this.url });
        client.on('error', () => void this.stepDown('connection error'));
        client.on('end', () => void this.stepDown('connection ended'));
        await client.connect();
        this.client = client;
      }
      const result = await this.client.query<{ locked: boolean }>(TRY_TO_LEAD, [WORKER_LOCK_ID.toString()]);
      if (!result.rows[0]?.locked || this.stopped) return;
      this.leading = true;
      this.logger.info('elected leader: running the notary and projections', { context: 'leadership' });
      await this.callbacks.elected();
    } catch (error) {
      this.logger.warn('leader election attempt failed; retrying', { context: 'leadership', error });
      await this.stepDown('election attempt failed');
    }
  }

  private async stepDown(reason: string): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (this.leading) {
      this.leading = false;
      this.logger.warn(`leadership lost (${reason}): stopping the notary and projections`, { context: 'leadership' });
      await this.callbacks.deposed();
    }
    await client?.end().catch(() => undefined);
  }
}
