/// <reference types="jest" />
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore, type NewEvent } from '@ledgerline/event-store';
import type { ReadDb } from '../read-db/read-db.port';
import type { ProjectionLogger } from '../runner/projection-logger';
import { ProjectionRunner, type ProjectionRunnerOptions } from '../runner/projection-runner';
import type { Projector } from '../projector.port';

/** What an adapter's spec provides so the shared contract can run against it. */
export interface ReadDbHarness {
  /** A read database on fresh, empty storage. */
  open(): Promise<ReadDb>;
  /** Another connection to the storage of the latest `open()` (a restart, or a second process). */
  reopen(): Promise<ReadDb>;
  /** Removes all storage the harness created. */
  cleanup(): Promise<void>;
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
}

/** A logger that keeps what it is told, for assertions. */
export function recordingLogger(): ProjectionLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (message) => void lines.push({ level: 'info', message }),
    warn: (message) => void lines.push({ level: 'warn', message }),
    error: (message) => void lines.push({ level: 'error', message }),
  };
}

const CATEGORIES = ['document', 'account', 'billing'];

/** Appends `count` one-event appends over a few streams of three categories; every third event is flagged. */
export async function appendEvents(store: EventStore, count: number, offset = 0): Promise<bigint> {
  const appends: Promise<unknown>[] = [];
  for (let i = offset; i < offset + count; i++) {
    const stream = `${CATEGORIES[i % 3]}-${i % 5}`;
    const event: NewEvent = { id: randomUUID(), type: i % 2 ? 'Changed' : 'Created', data: { i, flag: i % 3 === 0 }, metadata: {} };
    appends.push(store.append(stream, [event], 'any'));
  }
  await Promise.all(appends);
  return (await store.headPosition()) ?? 0n;
}

/** Per-test resources: a real SQLite event store, read databases from the harness, runners; all closed after each test. */
export function contractFixture(harness: ReadDbHarness) {
  const root = mkdtempSync(join(tmpdir(), 'ledgerline-projections-'));
  const closers: (() => Promise<void>)[] = [];

  afterEach(async () => {
    // Last opened, first closed: runners before their databases and stores.
    while (closers.length > 0) await closers.pop()!();
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await harness.cleanup();
  });

  return {
    store(): SqliteEventStore {
      const store = new SqliteEventStore(join(root, randomUUID(), 'events.sqlite'), { pollIntervalMs: 25 });
      closers.push(() => store.close());
      return store;
    },
    async db(): Promise<ReadDb> {
      const db = await harness.open();
      closers.push(() => db.close());
      return db;
    },
    async reopen(): Promise<ReadDb> {
      const db = await harness.reopen();
      closers.push(() => db.close());
      return db;
    },
    runner(store: EventStore, db: ReadDb, projector: Projector, options: ProjectionRunnerOptions = {}): ProjectionRunner {
      const runner = new ProjectionRunner(store, db, projector, { logger: recordingLogger(), ...options });
      closers.push(() => runner.stop());
      return runner;
    },
    /** Registers extra clean-up (runs before the resources opened earlier are closed). */
    defer(close: () => Promise<void>): void {
      closers.push(close);
    },
  };
}

/** Resolves when `condition` holds, checking after every macrotask turn; rejects after `ms`. */
export async function eventually(condition: () => boolean | Promise<boolean>, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
