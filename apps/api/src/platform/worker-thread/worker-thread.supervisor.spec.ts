import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger } from '../observability/logger';
import { WorkerThread } from './worker-thread.supervisor';

// Real worker threads speaking the supervisor's protocol: one answers metrics requests (with its request
// id as the value, so answers can be told apart) and session verdicts, the other never does (a thread busy
// folding the log).
const PROTOCOL = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (message) => {
  if (message.type === 'stop') process.exit(0);
  if (message.type === 'request' && message.question === 'metrics' && ANSWERS) {
    const metric = { name: 'fixture_requests', help: 'the request id', type: 'gauge', aggregator: 'sum', values: [{ value: message.id, labels: {} }] };
    parentPort.postMessage({ type: 'answer', id: message.id, answer: [metric] });
  }
  if (message.type === 'request' && message.question === 'session-verdict' && ANSWERS) {
    parentPort.postMessage({ type: 'answer', id: message.id, answer: message.payload.token === 'good' ? { claims: { sub: 'user_a' } } : null });
  }
});
parentPort.postMessage({ type: 'ready' });
`;

describe('WorkerThread requests (real worker threads)', () => {
  let dir: string;
  const logger = createLogger({ level: 'error', format: 'json', stream: new PassThrough() });
  const deaths: number[] = [];
  const start = (name: 'answering' | 'silent') => WorkerThread.start(path.join(dir, `${name}.cjs`), logger, (code) => deaths.push(code));

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ledgerline-worker-thread-'));
    writeFileSync(path.join(dir, 'answering.cjs'), `const ANSWERS = true;${PROTOCOL}`);
    writeFileSync(path.join(dir, 'silent.cjs'), `const ANSWERS = false;${PROTOCOL}`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => expect(deaths).toEqual([]));

  it("answers each request with the thread's own answer to it", async () => {
    const thread = await start('answering');
    try {
      const answers = await Promise.all([thread.metrics(10_000), thread.metrics(10_000)]);
      const ids = answers.map((metrics) => {
        expect(metrics).toEqual([expect.objectContaining({ name: 'fixture_requests' })]);
        return metrics?.[0].values[0].value;
      });
      expect(new Set(ids).size).toBe(2);
    } finally {
      await thread.stop();
    }
  });

  it('asks any question the same way: the answer comes back as the thread gave it, and "could not" as undefined', async () => {
    const thread = await start('answering');
    try {
      await expect(thread.ask('session-verdict', { token: 'good' }, 10_000)).resolves.toEqual({ claims: { sub: 'user_a' } });
      await expect(thread.ask('session-verdict', { token: 'bad' }, 10_000)).resolves.toBeUndefined();
    } finally {
      await thread.stop();
    }
  });

  it('gives up on a thread that does not answer in time, and the thread still stops cleanly', async () => {
    const thread = await start('silent');
    try {
      await expect(thread.metrics(50)).resolves.toBeUndefined();
    } finally {
      await thread.stop();
    }
  });

  it('asks a stopping thread nothing: a request in flight and any later one go without its metrics', async () => {
    const thread = await start('silent');
    const inFlight = thread.metrics(60_000);
    const stopped = thread.stop();
    await expect(inFlight).resolves.toBeUndefined();
    await expect(thread.metrics(60_000)).resolves.toBeUndefined();
    await stopped;
  });
});
