/// <reference types="jest" />
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConcurrencyError, InvalidEventStoreInputError } from '../event-store.errors';
import type { EventStore, ExpectedRevision, JsonObject, NewEvent, RecordedEvent } from '../event-store.port';
import type { AckLine } from './append-until-killed';

/** What an adapter's spec provides so the shared suite can run against it. */
export interface EventStoreHarness {
  /** A store on fresh, empty storage. */
  open(): Promise<EventStore>;
  /** Another store instance on the storage of the latest `open()` (a restart, or a second process). */
  reopen(): Promise<EventStore>;
  /** URL of the latest `open()`'s storage, for `openEventStore` in a child process. */
  connectionUrl(): string;
  /** Removes all storage the harness created. */
  cleanup(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '../../../..');
const CHILD = resolve(REPO_ROOT, 'dist/libs/event-store/src/conformance/append-until-killed.js');

/** The compiled child script; a missing build fails the test (never skips it). */
function childScript(): string {
  if (!existsSync(CHILD)) throw new Error(`multi-process tests need the compiled child script ${CHILD}: run \`npm run build\` first`);
  return CHILD;
}

interface ChildRun {
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill: () => void;
  exitCode: () => number | null;
  /** Writes a line to the child's stdin. */
  send: (line: string) => void;
}

function runChild(args: string[]): ChildRun {
  const child = spawn(process.execPath, [childScript(), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { stdout: () => stdout, stderr: () => stderr, exited, kill: () => child.kill('SIGKILL'), exitCode: () => child.exitCode, send: (line) => child.stdin.write(`${line}\n`) };
}

/** Acknowledged appends: whole lines after "ready" (a line cut by a kill was never fully acknowledged). */
function ackLines(stdout: string): AckLine[] {
  return stdout
    .split('\n')
    .slice(1, -1)
    .map((line) => JSON.parse(line) as AckLine);
}

const uniq = (): string => randomUUID().slice(0, 8);

function newEvent(type = 'Tested', data: JsonObject = {}, metadata: JsonObject = {}): NewEvent {
  return { id: randomUUID(), type, data, metadata };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** Rejects with `message` if `promise` has not settled within `ms` (instead of a bare Jest timeout). */
async function within<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${message}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function conflictOf(promise: Promise<unknown>): Promise<ConcurrencyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ConcurrencyError)) throw new Error(`expected a ConcurrencyError, got ${String(error)}`);
  return error;
}

function expectGapless(events: RecordedEvent[]): void {
  expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
}

/**
 * The behaviour every EventStore adapter must show. Call from an adapter's `*.int-spec.ts`.
 * The SIGKILL test needs `npm run build` first (it runs the compiled child script).
 */
export function describeEventStoreConformance(adapterName: string, harness: EventStoreHarness): void {
  describe(`EventStore conformance: ${adapterName}`, () => {
    const opened: EventStore[] = [];
    const track = (store: EventStore): EventStore => {
      opened.push(store);
      return store;
    };
    const open = async (): Promise<EventStore> => track(await harness.open());
    const reopen = async (): Promise<EventStore> => track(await harness.reopen());

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });
    afterAll(() => harness.cleanup());

    describe('append and read back', () => {
      it('starts empty', async () => {
        const store = await open();
        expect(await store.headPosition()).toBeUndefined();
        expect(await collect(store.readAll())).toEqual([]);
        expect(await store.readLastEvent('nothing-here')).toBeUndefined();
        expect(await collect(store.readStream('nothing-here'))).toEqual([]);
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('returns the new head revision and position, and stores events exactly', async () => {
        const store = await open();
        const stream = `order-${uniq()}`;
        const events = [
          newEvent('OrderPlaced', { total: 12.5, items: [{ sku: 'a', qty: 2 }], note: 'ünïcødé ✓' }, { v: 1, actor: { kind: 'user', id: 'u1' } }),
          newEvent('OrderPaid', { nested: { deep: [null, true, 0] } }, { v: 1 }),
          newEvent('OrderShipped', {}, {}),
        ];
        const result = await store.append(stream, events, 'no_stream');
        expect(result.nextExpectedRevision).toBe(2);
        expect(typeof result.position).toBe('bigint');
        expect(await store.headPosition()).toBe(result.position);

        const read = await collect(store.readStream(stream));
        expect(read.map(({ id, type, stream: s, revision, data, metadata }) => ({ id, type, stream: s, revision, data, metadata }))).toEqual(
          events.map((e, revision) => ({ ...e, stream, revision })),
        );
        expect(read[2].position).toBe(result.position);
        expect(read[0].position < read[1].position && read[1].position < read[2].position).toBe(true);
      });

      it('stores a given dataJson as the data, member order included', async () => {
        const store = await open();
        const stream = `text-${uniq()}`;
        const dataJson = '{"a":[{"c":2,"d":1}],"b":"é"}';
        const event = { ...newEvent('Texted', { b: 'é', a: [{ d: 1, c: 2 }] }), dataJson };
        await store.append(stream, [event], 'no_stream');
        const [read] = await collect(store.readStream(stream));
        expect(read.data).toEqual({ a: [{ c: 2, d: 1 }], b: 'é' });
        expect(JSON.stringify(read.data)).toBe(dataJson);
      });

      it('keeps global order = append order across streams, and each stream gapless from 0', async () => {
        const store = await open();
        const streams = [`a-${uniq()}`, `b-${uniq()}`, `c-${uniq()}`];
        const appended: string[] = [];
        for (let k = 0; k < 30; k++) {
          const events = Array.from({ length: 1 + (k % 3) }, () => newEvent('Step', { k }));
          await store.append(streams[k % 3], events, 'any');
          appended.push(...events.map((e) => e.id));
        }
        const all = await collect(store.readAll());
        expect(all.map((e) => e.id)).toEqual(appended);
        for (let i = 1; i < all.length; i++) expect(all[i].position > all[i - 1].position).toBe(true);
        for (const stream of streams) expectGapless(await collect(store.readStream(stream)));
      });

      it('persists across close and reopen', async () => {
        const store = await open();
        const stream = `durable-${uniq()}`;
        const first = newEvent('First', { n: 1 });
        const { position } = await store.append(stream, [first], 'no_stream');
        await store.close();

        const again = await reopen();
        expect(await again.headPosition()).toBe(position);
        expect((await again.readLastEvent(stream))?.id).toBe(first.id);
        expect((await again.append(stream, [newEvent()], 0)).nextExpectedRevision).toBe(1);
      });

      it('rejects invalid input with InvalidEventStoreInputError and writes nothing', async () => {
        const store = await open();
        class NotPlain {
          x = 1;
        }
        const bad: Array<[string, unknown, unknown]> = [
          ['', [newEvent()], 'any'],
          ['x'.repeat(201), [newEvent()], 'any'],
          ['ok', [], 'any'],
          ['ok', [{ ...newEvent(), id: 'not-a-uuid' }], 'any'],
          ['ok', [{ ...newEvent(), id: randomUUID().toUpperCase() }], 'any'],
          ['ok', [{ ...newEvent(), type: '' }], 'any'],
          ['ok', [{ ...newEvent(), data: [1, 2] }], 'any'],
          ['ok', [{ ...newEvent(), data: new NotPlain() }], 'any'],
          ['ok', [{ ...newEvent(), metadata: null }], 'any'],
          ['ok', [{ ...newEvent(), dataJson: '{"n":' }], 'any'],
          ['ok', [{ ...newEvent(), dataJson: '[1]' }], 'any'],
          ['ok', [{ ...newEvent(), dataJson: 5 }], 'any'],
          ['ok', [{ ...newEvent(), data: [1], dataJson: '{}' }], 'any'],
          ['ok', [newEvent()], -1],
          ['ok', [newEvent()], 1.5],
          ['ok', [newEvent()], 'latest'],
        ];
        const dup = newEvent();
        bad.push(['ok', [dup, { ...dup }], 'any']);
        for (const [stream, events, expected] of bad) {
          await expect(store.append(stream, events as NewEvent[], expected as ExpectedRevision)).rejects.toBeInstanceOf(InvalidEventStoreInputError);
        }
        expect(() => store.readStream('ok', { maxCount: -1 })).toThrow(InvalidEventStoreInputError);
        expect(() => store.readAll({ after: 5 as unknown as bigint })).toThrow(InvalidEventStoreInputError);
        expect(await store.headPosition()).toBeUndefined();
        expect((await store.append('x'.repeat(200), [newEvent()], 'any')).nextExpectedRevision).toBe(0);
      });
    });

    describe('atomicity', () => {
      it('writes each multi-event append contiguously even when appends run concurrently', async () => {
        const store = await open();
        const groups: string[][] = [];
        await Promise.all(
          Array.from({ length: 20 }, async (_, w) => {
            const stream = `atomic-${w}-${uniq()}`;
            for (let k = 0; k < 5; k++) {
              const events = Array.from({ length: 4 }, (_, i) => newEvent('Part', { w, k, i }));
              await store.append(stream, events, k === 0 ? 'no_stream' : k * 4 - 1);
              groups.push(events.map((e) => e.id));
            }
          }),
        );
        const index = new Map((await collect(store.readAll())).map((e, i) => [e.id, i] as const));
        expect(index.size).toBe(400);
        for (const ids of groups) {
          const at = ids.map((id) => index.get(id)!);
          expect(at).toEqual(at.map((_, i) => at[0] + i));
        }
      });

      it('writes nothing of a multi-event append that fails its expectation', async () => {
        const store = await open();
        const stream = `atomic-fail-${uniq()}`;
        await store.append(stream, [newEvent(), newEvent()], 'no_stream');
        const head = await store.headPosition();
        const rejected = [newEvent(), newEvent(), newEvent()];
        await conflictOf(store.append(stream, rejected, 'no_stream'));
        expect(await store.headPosition()).toBe(head);
        const ids = new Set((await collect(store.readAll())).map((e) => e.id));
        expect(rejected.some((e) => ids.has(e.id))).toBe(false);
        expect(await collect(store.readStream(stream))).toHaveLength(2);
      });
    });

    describe('expected revision', () => {
      type Case = [label: string, existing: number, expected: ExpectedRevision, outcome: 'ok' | number | 'no_stream'];
      const cases: Case[] = [
        ['any on a missing stream', 0, 'any', 'ok'],
        ['any on an existing stream', 2, 'any', 'ok'],
        ['no_stream on a missing stream', 0, 'no_stream', 'ok'],
        ['no_stream on an existing stream', 2, 'no_stream', 1],
        ['stream_exists on an existing stream', 2, 'stream_exists', 'ok'],
        ['stream_exists on a missing stream', 0, 'stream_exists', 'no_stream'],
        ['exact head revision', 2, 1, 'ok'],
        ['exact revision below the head', 2, 0, 1],
        ['exact revision above the head', 2, 2, 1],
        ['exact revision on a missing stream', 0, 0, 'no_stream'],
      ];
      it.each(cases)('%s', async (_label, existing, expected, outcome) => {
        const store = await open();
        const stream = `exp-${uniq()}`;
        if (existing > 0) await store.append(stream, Array.from({ length: existing }, () => newEvent()), 'no_stream');
        const event = newEvent('Probe');
        if (outcome === 'ok') {
          const result = await store.append(stream, [event], expected);
          expect(result.nextExpectedRevision).toBe(existing);
          expect((await store.readLastEvent(stream))?.id).toBe(event.id);
        } else {
          const error = await conflictOf(store.append(stream, [event], expected));
          expect(error).toMatchObject({ stream, expected, actual: outcome });
          expect(await collect(store.readStream(stream))).toHaveLength(existing);
        }
      });

      it('gives exactly one winner per revision among 50 concurrent appenders on one stream', async () => {
        const store = await open();
        const stream = `race-${uniq()}`;
        const target = 40; // ≈ 50 × 40 append attempts: enough contention, bounded work on a loaded CI machine
        const winners = new Map<number, string[]>();
        let conflicts = 0;
        await Promise.all(
          Array.from({ length: 50 }, async () => {
            for (;;) {
              const last = await store.readLastEvent(stream);
              if ((last?.revision ?? -1) + 1 >= target) return;
              const expected: ExpectedRevision = last ? last.revision : 'no_stream';
              const event = newEvent('Raced');
              try {
                const { nextExpectedRevision } = await store.append(stream, [event], expected);
                winners.set(nextExpectedRevision, [...(winners.get(nextExpectedRevision) ?? []), event.id]);
              } catch (error) {
                if (!(error instanceof ConcurrencyError)) throw error;
                expect(error.expected).toBe(expected);
                expect(error.actual).not.toBe(expected);
                conflicts++;
              }
            }
          }),
        );
        const events = await collect(store.readStream(stream));
        expectGapless(events);
        expect(events).toHaveLength(target);
        expect([...winners.keys()].sort((a, b) => a - b)).toEqual(events.map((e) => e.revision));
        for (const e of events) expect(winners.get(e.revision)).toEqual([e.id]);
        expect(conflicts).toBeGreaterThan(0);
      });
    });

    describe('reads', () => {
      async function tenEvents(store: EventStore): Promise<{ stream: string; ids: string[] }> {
        const stream = `read-${uniq()}`;
        const events = Array.from({ length: 10 }, (_, n) => newEvent('Numbered', { n }));
        await store.append(stream, events.slice(0, 4), 'no_stream');
        await store.append(`other-${uniq()}`, [newEvent()], 'no_stream');
        await store.append(stream, events.slice(4), 3);
        return { stream, ids: events.map((e) => e.id) };
      }

      it('reads a stream forwards and backwards, from a revision, at most maxCount', async () => {
        const store = await open();
        const { stream, ids } = await tenEvents(store);
        const revs = async (options?: Parameters<EventStore['readStream']>[1]): Promise<number[]> =>
          (await collect(store.readStream(stream, options))).map((e) => e.revision);
        expect((await collect(store.readStream(stream))).map((e) => e.id)).toEqual(ids);
        expect(await revs({ fromRevision: 4 })).toEqual([4, 5, 6, 7, 8, 9]);
        expect(await revs({ maxCount: 3 })).toEqual([0, 1, 2]);
        expect(await revs({ fromRevision: 4, maxCount: 3 })).toEqual([4, 5, 6]);
        expect(await revs({ fromRevision: 10 })).toEqual([]);
        expect(await revs({ maxCount: 0 })).toEqual([]);
        expect(await revs({ direction: 'backwards' })).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        expect(await revs({ direction: 'backwards', fromRevision: 4 })).toEqual([4, 3, 2, 1, 0]);
        expect(await revs({ direction: 'backwards', maxCount: 2 })).toEqual([9, 8]);
        expect(await revs({ direction: 'backwards', fromRevision: 5, maxCount: 3 })).toEqual([5, 4, 3]);
        expect(await collect(store.readStream(`missing-${uniq()}`, { direction: 'backwards' }))).toEqual([]);
      });

      it('reads the global log after a position, at most maxCount', async () => {
        const store = await open();
        await tenEvents(store);
        const all = await collect(store.readAll());
        expect(all).toHaveLength(11);
        const ids = all.map((e) => e.id);
        expect((await collect(store.readAll({ after: all[3].position }))).map((e) => e.id)).toEqual(ids.slice(4));
        expect((await collect(store.readAll({ maxCount: 2 }))).map((e) => e.id)).toEqual(ids.slice(0, 2));
        expect((await collect(store.readAll({ after: all[5].position, maxCount: 3 }))).map((e) => e.id)).toEqual(ids.slice(6, 9));
        expect(await collect(store.readAll({ after: all[10].position }))).toEqual([]);
        expect(await collect(store.readAll({ maxCount: 0 }))).toEqual([]);
      });

      it('reads events at given positions as their stored text, where the adapter offers it', async () => {
        const store = await open();
        if (store.readTextAt === undefined) return; // optional: callers fall back to readStream
        const { stream } = await tenEvents(store);
        const all = await collect(store.readAll());
        const asked = [all[7].position, all[2].position, all[10].position + 1000n, all[7].position];
        const texts = await store.readTextAt(asked);
        expect(texts).toHaveLength(4);
        expect(texts[2]).toBeUndefined();
        for (const at of [0, 1, 3]) {
          const event = all.find((e) => e.position === asked[at])!;
          const text = texts[at]!;
          const { dataJson, metadataJson, ...where } = text;
          expect(where).toEqual({ id: event.id, type: event.type, stream: event.stream, revision: event.revision, position: event.position });
          expect(JSON.parse(dataJson)).toEqual(event.data);
          expect(JSON.parse(metadataJson)).toEqual(event.metadata);
        }
        expect(texts[0]!.stream).toBe(stream);
        // More positions than one query takes, in an order of their own.
        const many = [...all].reverse().flatMap((e) => Array.from({ length: 10 }, () => e.position));
        expect((await store.readTextAt(many)).map((t) => t?.id)).toEqual([...all].reverse().flatMap((e) => Array.from({ length: 10 }, () => e.id)));
        expect(await store.readTextAt([])).toEqual([]);
        await expect(store.readTextAt([-1n])).rejects.toBeInstanceOf(InvalidEventStoreInputError);
      });

      it('reads the last event of a stream and the head position of the log', async () => {
        const store = await open();
        const { stream, ids } = await tenEvents(store);
        const last = await store.readLastEvent(stream);
        expect(last).toMatchObject({ id: ids[9], revision: 9, stream, type: 'Numbered', data: { n: 9 } });
        expect(await store.headPosition()).toBe(last!.position);
        const { position } = await store.append(`later-${uniq()}`, [newEvent()], 'any');
        expect(await store.headPosition()).toBe(position);
        expect(position > last!.position).toBe(true);
      });
    });

    describe('subscribeAll', () => {
      it('catches up, then goes live, with no gap and no duplicate while appends continue', async () => {
        const store = await open();
        const appended: string[] = [];
        const appendSome = async (writer: number, count: number): Promise<void> => {
          const stream = `sub-${writer}-${uniq()}`;
          for (let k = 0; k < count; k++) {
            const events = Array.from({ length: 1 + (k % 2) }, () => newEvent('Live', { writer, k }));
            await store.append(stream, events, 'any');
            appended.push(...events.map((e) => e.id));
          }
        };
        await appendSome(0, 100);

        const subscription = store.subscribeAll();
        const iterator = subscription[Symbol.asyncIterator]();
        const received: RecordedEvent[] = [];
        const writers = Promise.all([1, 2, 3, 4].map((w) => appendSome(w, 40)));
        const consume = async (until: () => number): Promise<void> => {
          while (received.length < until()) {
            const next = await iterator.next();
            if (next.done) throw new Error('subscription ended early');
            received.push(next.value);
          }
        };
        await within(Promise.all([writers, consume(() => 150 + 4 * 60)]), 20_000, 'catch-up while writing');

        const late = newEvent('Late');
        await store.append(`late-${uniq()}`, [late], 'no_stream');
        appended.push(late.id);
        await within(consume(() => appended.length), 5_000, 'a live event after catching up');

        expect(received.map((e) => e.id)).toEqual((await collect(store.readAll())).map((e) => e.id));
        expect(new Set(received.map((e) => e.id))).toEqual(new Set(appended));
        expect(received).toHaveLength(appended.length);
        await subscription.close();
        expect(await iterator.next()).toEqual({ done: true, value: undefined });
      });

      it('starts strictly after the given position', async () => {
        const store = await open();
        const stream = `after-${uniq()}`;
        const events = Array.from({ length: 5 }, () => newEvent());
        await store.append(stream, events, 'no_stream');
        const all = await collect(store.readAll());
        const subscription = store.subscribeAll({ after: all[1].position });
        const got: string[] = [];
        for await (const event of subscription) {
          got.push(event.id);
          if (got.length === 3) break;
        }
        expect(got).toEqual(events.slice(2).map((e) => e.id));
        await subscription.close();
      });

      it('ends a waiting consumer on close and delivers nothing afterwards', async () => {
        const store = await open();
        const subscription = store.subscribeAll();
        const iterator = subscription[Symbol.asyncIterator]();
        const first = newEvent();
        await store.append(`close-${uniq()}`, [first], 'no_stream');
        expect((await within(iterator.next(), 5_000, 'first event')).value?.id).toBe(first.id);

        const waiting = iterator.next();
        await new Promise((r) => setTimeout(r, 50));
        await subscription.close();
        expect(await within(waiting, 5_000, 'close to end the pending next()')).toEqual({ done: true, value: undefined });
        await store.append(`close-${uniq()}`, [newEvent()], 'no_stream');
        expect(await iterator.next()).toEqual({ done: true, value: undefined });
      });

      it('sees appends made through another store instance on the same storage', async () => {
        const store = await open();
        const other = await reopen();
        const subscription = store.subscribeAll();
        const iterator = subscription[Symbol.asyncIterator]();
        const pending = iterator.next();
        const event = newEvent('FromElsewhere');
        await other.append(`elsewhere-${uniq()}`, [event], 'no_stream');
        expect((await within(pending, 5_000, 'an append by another instance')).value?.id).toBe(event.id);
        await subscription.close();
      });
    });

    describe('lifecycle', () => {
      it('flushes appends still pending when close is called', async () => {
        const store = await open();
        const stream = `flush-${uniq()}`;
        const pending = Array.from({ length: 25 }, (_, k) => store.append(stream, [newEvent('Queued', { k })], 'any'));
        await store.close();
        const results = await Promise.all(pending);
        expect(results.map((r) => r.nextExpectedRevision).sort((a, b) => a - b)).toEqual(results.map((_, i) => i));
        await expect(store.append(stream, [newEvent()], 'any')).rejects.toThrow(/closed/);
        const again = await reopen();
        expectGapless(await collect(again.readStream(stream)));
        expect(await collect(again.readStream(stream))).toHaveLength(25);
      });
    });

    describe('several processes', () => {
      it('never forks a stream that two processes append to with the revisions they read', async () => {
        const setup = await open();
        await setup.close();
        const stream = `shared-${uniq()}`;
        const wins = 75;
        const children = [0, 1].map(() => runChild(['race', harness.connectionUrl(), stream, String(wins)]));
        await within(
          (async () => {
            while (!children.every((c) => c.stdout().startsWith('ready\n'))) {
              if (children.some((c) => c.exitCode() !== null)) throw new Error(`a racing process exited early: ${children.map((c) => c.stderr()).join('')}`);
              await new Promise((r) => setTimeout(r, 20));
            }
          })(),
          20_000,
          'both racing processes to open the store',
        );
        for (const child of children) child.send('go');
        const exits = await within(Promise.all(children.map((c) => c.exited)), 30_000, 'both racing processes to finish');
        expect(exits.map((e, i) => ({ ...e, stderr: children[i].stderr() }))).toEqual(children.map(() => ({ code: 0, signal: null, stderr: '' })));

        expect(children.map((c) => ackLines(c.stdout()).length)).toEqual([wins, wins]);
        const acked = children.flatMap((c) => ackLines(c.stdout()));
        const store = await reopen();
        const events = await collect(store.readStream(stream));
        expectGapless(events);
        expect(events).toHaveLength(2 * wins);
        expect(acked.map((a) => a.fromRevision).sort((a, b) => a - b)).toEqual(events.map((e) => e.revision));
        for (const ack of acked) expect(events[ack.fromRevision].id).toBe(ack.ids[0]);
      });
    });

    describe('crash', () => {
      it('keeps every acknowledged append, and no partial one, after the writer is SIGKILLed', async () => {
        const setup = await open();
        await setup.close();
        const child = runChild(['crash', harness.connectionUrl(), '32']);
        await within(
          (async () => {
            while (!child.stdout().startsWith('ready\n') || child.stdout().split('\n').length < 202) {
              if (child.exitCode() !== null) throw new Error(`child exited early (${child.exitCode()}): ${child.stderr()}`);
              await new Promise((r) => setTimeout(r, 20));
            }
          })(),
          20_000,
          'child to acknowledge 200 appends',
        );
        await new Promise((r) => setTimeout(r, 1000));
        child.kill();
        const { signal } = await child.exited;
        expect({ signal, stderr: child.stderr() }).toEqual({ signal: 'SIGKILL', stderr: '' });
        const acked = ackLines(child.stdout());
        expect(acked.length).toBeGreaterThan(200);

        const store = await reopen();
        const byStream = new Map<string, RecordedEvent[]>();
        for await (const event of store.readAll()) {
          const events = byStream.get(event.stream);
          if (events) events.push(event);
          else byStream.set(event.stream, [event]);
        }
        expect(byStream.size).toBe(32);
        for (const events of byStream.values()) {
          expectGapless(events);
          for (let r = 0; r < events.length; ) {
            const { appendId, count } = events[r].data as { appendId: string; count: number };
            const group = events.slice(r, r + count);
            expect(group.map((e) => e.data)).toEqual(group.map((_, index) => expect.objectContaining({ appendId, index, count })));
            r += count;
          }
        }
        for (const ack of acked) {
          const events = byStream.get(ack.stream)!.slice(ack.fromRevision, ack.toRevision + 1);
          expect(events.map((e) => e.id)).toEqual(ack.ids);
          expect(events[events.length - 1].position.toString()).toBe(ack.position);
        }
        const [stream, events] = [...byStream.entries()][0];
        const result = await store.append(stream, [newEvent()], events.length - 1);
        expect(result.nextExpectedRevision).toBe(events.length);
      });
    });
  });
}
