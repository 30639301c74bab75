/**
 * Child process for the conformance suite's multi-process tests. Prints one JSON line per acknowledged append.
 *   crash <url> [appenders]: appends forever with concurrent writers (1–4 events per append, exact expected
 *     revision, one stream each) until the parent SIGKILLs it.
 *   race <url> <stream> <wins>: after a line on stdin, 8 writers append to one shared stream, each with the revision it just read,
 *     retrying on conflict, until this process has won <wins> appends; then exits 0.
 */
import { randomUUID } from 'node:crypto';
import { ConcurrencyError } from '../event-store.errors';
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

async function race(url: string, stream: string, wins: number): Promise<void> {
  const store = await openEventStore(url);
  process.stdout.write('ready\n');
  // Start line from the parent, so both racing processes really overlap.
  await new Promise((go) => process.stdin.once('data', go));
  process.stdin.pause();
  let won = 0;
  let attempting = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (won + attempting < wins) {
        attempting++;
        const last = await store.readLastEvent(stream);
        const head = last?.revision ?? -1;
        const event = { id: randomUUID(), type: 'Raced', data: { pid: process.pid }, metadata: {} };
        try {
          const result = await store.append(stream, [event], last ? head : 'no_stream');
          won++;
          const ack: AckLine = { stream, fromRevision: head + 1, toRevision: result.nextExpectedRevision, position: result.position.toString(), ids: [event.id] };
          process.stdout.write(`${JSON.stringify(ack)}\n`);
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
        } finally {
          attempting--;
        }
        // SQLite's busy handler is not fair: a process that never pauses can starve the other one.
        await new Promise((r) => setTimeout(r, Math.random() * 3));
      }
    }),
  );
  await store.close();
}

function main(argv: string[]): Promise<void> {
  const [mode, url, ...rest] = argv;
  if (mode === 'crash' && url) return appendForever(url, Number(rest[0] ?? 32));
  if (mode === 'race' && url && rest.length === 2) return race(url, rest[0], Number(rest[1]));
  process.stderr.write('usage: append-until-killed crash <url> [appenders] | race <url> <stream> <wins>\n');
  process.exit(2);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
