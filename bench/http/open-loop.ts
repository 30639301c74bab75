import { fork } from 'node:child_process';
import path from 'node:path';
import type { LatencySummary } from './latency';
import type { LoadPlan, LoadResult } from './load';
import type { VisitSplit } from './visit-latencies';

/** One open-loop run: `rate` requests per second for `seconds`, whatever the responses do. */
export interface OpenLoopPlan extends LoadPlan {
  rate: number;
  /** Report every n-th successful create's id and receive time (0: none). */
  sampleCreatesEvery: number;
}

/** `achieved` runs from the first scheduled send to the last answer; a request that found no free socket waited in the agent's queue (and is late). */
export interface OpenLoopResult extends LoadResult {
  sent: number;
  /** How late the generator itself sent (actual send − scheduled time): its own share of the latency. */
  sendLag: LatencySummary;
  /** 2xx responses in each second after the start (warm-up, stalls and catching up show here). */
  okPerSecond: number[];
  /** Latencies of users' first requests against their later ones, and p99 per second. */
  visits: VisitSplit;
  /** Still unanswered when the drain time ran out; counted in the latencies at that time (a lower bound). */
  unfinished: number;
  /** The generator's own CPU (user + system) per request sent, in µs: what it took from the cores the server shares. */
  generatorCpuUsPerRequest: number;
}

/** A sampled create: the document id and `process.hrtime.bigint()` (CLOCK_MONOTONIC, so comparable across processes) when its 201 arrived. */
export interface CreatedSample {
  id: string;
  receivedAtNs: string;
}

export type GeneratorMessage = { type: 'created'; sample: CreatedSample } | { type: 'result'; result: OpenLoopResult };

/**
 * The fixed send schedule: request i is due `i / rate` seconds after the start, whether or not
 * earlier ones were answered; its latency is measured from that time, so a stalled server (or a
 * stalled generator) shows up as latency instead of as fewer requests (no coordinated omission).
 */
export class SendSchedule {
  readonly total: number;
  private nextIndex = 0;

  constructor(private readonly rate: number, seconds: number) {
    this.total = Math.floor(rate * seconds);
  }

  /** Offset of request i from the start, in ns. */
  scheduledNs(i: number): number {
    return Math.ceil((i * 1e9) / this.rate);
  }

  /** Indices due at `elapsedNs` and not yet taken, in order (all of them at once after a stall). */
  takeDue(elapsedNs: number): number[] {
    const due: number[] = [];
    while (this.nextIndex < this.total && this.scheduledNs(this.nextIndex) <= elapsedNs) due.push(this.nextIndex++);
    return due;
  }

  /** ms until the next request is due, or undefined when all were taken. */
  delayMs(elapsedNs: number): number | undefined {
    if (this.nextIndex >= this.total) return undefined;
    return Math.max(0, (this.scheduledNs(this.nextIndex) - elapsedNs) / 1e6);
  }
}

const GENERATOR = path.join(__dirname, 'open-loop-generator.js');

/** Runs the generator in a child process of its own, off this process's event loop. */
export function runOpenLoop(plan: OpenLoopPlan, onCreated: (sample: CreatedSample) => void = () => undefined): Promise<OpenLoopResult> {
  return new Promise((resolve, reject) => {
    const child = fork(GENERATOR, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: OpenLoopResult | undefined;
    child.on('message', (message: GeneratorMessage) => {
      if (message.type === 'created') onCreated(message.sample);
      else result = message.result;
    });
    child.once('error', reject);
    child.once('exit', (code) => (result !== undefined ? resolve(result) : reject(new Error(`the open-loop generator exited (${code}) without a result`))));
    child.send(plan);
  });
}
