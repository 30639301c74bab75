/**
 * The open-loop load generator's process (forked by runOpenLoop): sends on SendSchedule's fixed
 * timetable through up to `connections` keep-alive sockets (KeepAliveClient) and reports one
 * OpenLoopResult over IPC.
 */
import { readFileSync } from 'node:fs';
import { KeepAliveClient } from './keep-alive-client';
import { summariseLatencies } from './latency';
import { SendSchedule, type GeneratorMessage, type OpenLoopPlan, type OpenLoopResult } from './open-loop';
import { CREATE_BODY, CREATE_PATH, LIST_PATH, MIX_PERIOD, isSuccess } from './requests';
import { VisitLatencies } from './visit-latencies';

interface Outstanding {
  scheduledNs: number;
  kind: 'read' | 'write';
  /** Whether this is the user's first request in the run (see VisitLatencies). */
  firstVisit: boolean;
}

/** How long unanswered requests are waited for after the last send. */
const DRAIN_MS = 15_000;

function send(message: GeneratorMessage): void {
  process.send?.(message);
}

async function run(plan: OpenLoopPlan): Promise<OpenLoopResult> {
  const tokens = readFileSync(plan.tokensFile, 'utf8').split('\n').filter((line) => line !== '');
  const target = new URL(plan.baseUrl);
  const client = new KeepAliveClient(target.hostname, Number(target.port), plan.connections);
  const schedule = new SendSchedule(plan.rate, plan.seconds);
  const latencies = { read: [] as number[], write: [] as number[] };
  const sendLags: number[] = [];
  const statuses: Record<string, number> = {};
  const samples: Record<string, string> = {};
  const errors: Record<string, number> = {};
  const visits = new VisitLatencies(tokens.length);
  const outstanding = new Map<number, Outstanding>();
  let nextCreate = 0;
  let nextRead = Math.floor(tokens.length / 2);
  let creates = 0;
  const okPerSecond: number[] = [];
  let okCreates = 0;
  let lastDoneNs = 0;
  const cpuAtStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const elapsedNs = () => Number(process.hrtime.bigint() - start);
  /** An answered request's latency, or an unanswered one's at the end: from its scheduled send time. */
  const recordLatency = (request: Outstanding, atNs: number): void => {
    const latencyMs = (atNs - request.scheduledNs) / 1e6;
    latencies[request.kind].push(latencyMs);
    visits.record(request.firstVisit, request.scheduledNs, latencyMs);
  };

  const finish = (i: number, status: number, body: Buffer) => {
    const request = outstanding.get(i);
    if (request === undefined) return;
    outstanding.delete(i);
    const doneNs = elapsedNs();
    recordLatency(request, doneNs);
    statuses[status] = (statuses[status] ?? 0) + 1;
    lastDoneNs = doneNs;
    if (!isSuccess(status)) {
      samples[status] ??= body.toString('utf8', 0, 300);
      return;
    }
    const second = Math.floor(doneNs / 1e9);
    while (okPerSecond.length <= second) okPerSecond.push(0);
    okPerSecond[second] += 1;
    if (request.kind === 'write' && plan.sampleCreatesEvery > 0 && okCreates++ % plan.sampleCreatesEvery === 0) {
      send({ type: 'created', sample: { id: (JSON.parse(body.toString('utf8')) as { id: string }).id, receivedAtNs: String(start + BigInt(doneNs)) } });
    }
  };

  const fire = (i: number) => {
    const scheduledNs = schedule.scheduledNs(i);
    sendLags.push((elapsedNs() - scheduledNs) / 1e6);
    const write = plan.mix === 'create' || i % MIX_PERIOD === MIX_PERIOD - 1;
    const user = write ? nextCreate++ % tokens.length : nextRead++ % tokens.length;
    const token = tokens[user];
    if (write) creates += 1;
    outstanding.set(i, { scheduledNs, kind: write ? 'write' : 'read', firstVisit: visits.visit(user) });
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (write) headers['content-type'] = 'application/json';
    client.request({ method: write ? 'POST' : 'GET', path: write ? CREATE_PATH : LIST_PATH, headers, body: write ? CREATE_BODY : undefined }, (error, response) => {
      if (response !== undefined) {
        finish(i, response.status, response.body);
        return;
      }
      if (!outstanding.delete(i)) return;
      const code = (error as NodeJS.ErrnoException | undefined)?.code ?? error?.message ?? 'unknown';
      errors[code] = (errors[code] ?? 0) + 1;
    });
  };

  await new Promise<void>((resolve) => {
    const pump = () => {
      const now = elapsedNs();
      for (const i of schedule.takeDue(now)) fire(i);
      const delay = schedule.delayMs(elapsedNs());
      if (delay === undefined) resolve();
      else setTimeout(pump, delay);
    };
    pump();
  });
  const drainUntil = elapsedNs() + DRAIN_MS * 1e6;
  while (outstanding.size > 0 && elapsedNs() < drainUntil) await new Promise((resolve) => setTimeout(resolve, 10));
  const unfinished = outstanding.size;
  for (const request of outstanding.values()) recordLatency(request, elapsedNs());
  // Counted above as unfinished: what close() fails now is not counted again as an error.
  outstanding.clear();
  client.close();
  const cpu = process.cpuUsage(cpuAtStart);

  return {
    sent: schedule.total,
    achieved: lastDoneNs > 0 ? Math.round(okPerSecond.reduce((sum, n) => sum + n, 0) / (lastDoneNs / 1e9)) : 0,
    all: summariseLatencies([...latencies.read, ...latencies.write]),
    read: summariseLatencies(latencies.read),
    write: summariseLatencies(latencies.write),
    sendLag: summariseLatencies(sendLags),
    statuses,
    samples,
    errors,
    okPerSecond,
    visits: visits.summary(),
    unfinished,
    maxDocumentsPerUser: Math.ceil(creates / tokens.length),
    generatorCpuUsPerRequest: schedule.total > 0 ? Math.round((cpu.user + cpu.system) / schedule.total) : 0,
  };
}

process.once('message', (plan: OpenLoopPlan) => {
  run(plan).then(
    (result) => process.send?.({ type: 'result', result } satisfies GeneratorMessage, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
