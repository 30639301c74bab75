import { Worker } from 'node:worker_threads';
import { cpuSeconds, cpuSecondsFromStat, threadCpuSeconds, threadCpuSplit } from '../../../bench/http/targets';

describe('bench/http target CPU from /proc', () => {
  it('reads utime + stime (fields 14 and 15) in USER_HZ ticks, whatever the command name holds', () => {
    const stat = '4242 (node (worker) x) S 1 4242 4242 0 -1 4194560 9071 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 5000 18446744073709551615';
    expect(cpuSecondsFromStat(stat)).toBeCloseTo(18.01, 10);
    expect(cpuSecondsFromStat('7 (sh) R 1')).toBeNaN();
  });

  it("reads this process's own CPU, which only grows", () => {
    const first = cpuSeconds(process.pid);
    let spin = 0;
    for (let i = 0; i < 2e7; i++) spin += i % 7;
    expect(spin).toBeGreaterThan(0);
    expect(cpuSeconds(process.pid)).toBeGreaterThanOrEqual(first);
    expect(first).toBeGreaterThan(0);
  });

  it('splits CPU per request into the main thread, the next busiest and the rest', () => {
    const before = new Map([[100, 1.0], [101, 2.0], [102, 0.5], [103, 0.1]]);
    // 104 started after the first reading; 103 ended before the second.
    const after = new Map([[100, 8.2], [101, 6.5], [102, 0.9], [104, 0.3]]);
    expect(threadCpuSplit(100, before, after, 10_000)).toEqual({ mainThread: 720, nextBusiestThread: 450, otherThreads: 70 });
    expect(threadCpuSplit(100, before, after, 0)).toEqual({ mainThread: 0, nextBusiestThread: 0, otherThreads: 0 });
  });

  it("reads each live thread of this process, a worker thread's time with it", async () => {
    const worker = new Worker('let spin = 0; for (let i = 0; i < 5e7; i++) spin += i % 7; require("node:worker_threads").parentPort.postMessage(spin); setInterval(() => {}, 1000);', { eval: true });
    const reading = new Promise<Map<number, number>>((resolve) => worker.once('message', () => resolve(threadCpuSeconds(process.pid))));
    const threads = await reading;
    await worker.terminate();
    expect(threads.get(process.pid)).toBeGreaterThan(0);
    // The worker thread spun for a while and is still alive: some thread other than the main one has CPU time.
    expect(Math.max(...[...threads].filter(([tid]) => tid !== process.pid).map(([, seconds]) => seconds))).toBeGreaterThan(0);
  });
});
