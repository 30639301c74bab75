/**
 * Child process for the conformance suite's SIGKILL test: appends forever with 32 concurrent writers
 * (1–4 events per append, exact expected revision, one stream each) and prints one JSON line per
 * acknowledged append. Its parent kills it with SIGKILL mid-flight and checks the store afterwards.
 * Usage: node append-until-killed.js <event store url> [appenders]
 */
import { randomUUID } from 'node:crypto';
import { openEventStore } from '../open-event-store';

/** One acknowledged append, as printed on stdout. */
export interface AckLine {
  stream: string;
  fromRevision: number;
  toRevision: number;
  position: string;
  ids: string[];
}

async function appendForever(url: string, appenders: number): Promise<void> {
  const store = await openEventStore(url);
  const run = randomUUID().slice(0, 8);
  process.stdout.write('ready\n');
  await Promise.all(
    Array.from({ length: appenders }, async (_, writer) => {
      const stream = `crash-${run}-${writer}`;
      for (let next = 0, k = 0; ; k++) {
        const appendId = randomUUID();
        const count = 1 + (k % 4);
        const events = Array.from({ length: count }, (_, index) => ({
          id: randomUUID(),
          type: 'CrashProbe',
          data: { appendId, index, count, pad: 'x'.repeat(200) },
          metadata: { writer },
        }));
        const result = await store.append(stream, events, next === 0 ? 'no_stream' : next - 1);
        const ack: AckLine = {
          stream,
          fromRevision: next,
          toRevision: result.nextExpectedRevision,
          position: result.position.toString(),
          ids: events.map((e) => e.id),
        };
        // stdout to a pipe is synchronous on Linux: once this returns, the parent will see the line.
        process.stdout.write(`${JSON.stringify(ack)}\n`);
        next = result.nextExpectedRevision + 1;
      }
    }),
  );
}

if (require.main === module) {
  const [url, appenders = '32'] = process.argv.slice(2);
  if (!url) {
    process.stderr.write('usage: append-until-killed <event store url> [appenders]\n');
    process.exit(2);
  }
  appendForever(url, Number(appenders)).catch((error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
