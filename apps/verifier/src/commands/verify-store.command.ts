import { openEventStore } from '@ledgerline/event-store';
import { NoteError, openCheckpoint, type NoteVerifierKey } from '@ledgerline/integrity';
import type { CliIo } from '../cli/cli-io';
import { emitReport, type CliReport } from '../cli/cli-report';
import { readInputFile, readJwks, readLogKey, requireFile } from '../cli/key-inputs';
import { flagValue, parseArgs } from '../cli/parse-args';
import { UsageError } from '../cli/usage-error';
import { readWitnessPolicy, witnessFailure, WITNESS_FLAGS } from '../cli/witness-inputs';
import { EventStoreLogSource } from '../store/event-store-log-source';
import type { LogSource } from '../store/log-source';
import { SqliteLogSource } from '../store/sqlite-log-source';
import { verifyStore } from '../store/verify-store';

const FLAGS = [
  { name: 'events', value: true, required: true },
  { name: 'jwks', value: true, required: true },
  { name: 'log-key', value: true, required: true },
  { name: 'since', value: true },
  { name: 'fast', value: false },
  { name: 'workers', value: true },
  { name: 'slice-size', value: true },
  { name: 'json', value: false },
  ...WITNESS_FLAGS,
];

/** A store URL for the port's adapters (esdb://, esdb+discover://, kurrentdb://…); sqlite: and plain paths are files. */
const REMOTE = /^(?!sqlite:)[a-z][a-z0-9+.-]+:\/\//i;

/** `verify-store --events <sqlite file | esdb://…> --jwks <file> --log-key <vkey|file> [--since <note>] [--fast] [--json]` */
export async function verifyStoreCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, FLAGS, 'verify-store');
  if (parsed.positionals.length > 0) throw new UsageError(`verify-store: unexpected argument ${parsed.positionals[0]}`);
  const json = parsed.flags.has('json');
  const fast = parsed.flags.has('fast');
  const workers = parseCount(flagValue(parsed, 'workers'), '--workers', 64);
  const sliceSize = parseCount(flagValue(parsed, 'slice-size'), '--slice-size', 1 << 20);
  const jwks = await readJwks(flagValue(parsed, 'jwks') as string);
  const logKey = readLogKey(flagValue(parsed, 'log-key') as string);
  const sinceFile = flagValue(parsed, 'since');
  const sinceNote = sinceFile === undefined ? undefined : readInputFile(sinceFile, '--since');
  const witnesses = readWitnessPolicy(parsed, 'verify-store');
  if (witnesses !== undefined && sinceNote === undefined) throw new UsageError('verify-store: --witness-key/--witness-quorum check the saved checkpoint: give it with --since');

  const base: CliReport = { ok: false, command: 'verify-store', mode: fast ? 'fast' : 'full', checked: { events: 0, streams: 0, checkpoints: 0, leaves: 0 } };
  let since: { size: number; rootHash: Buffer } | undefined;
  if (sinceNote !== undefined) {
    const opened = openSince(sinceNote, logKey);
    if ('reason' in opened) return emitReport({ ...base, firstFailure: { kind: 'since-note', reason: opened.reason } }, json, io, '');
    const unwitnessed = witnessFailure(sinceNote, witnesses, 'saved (--since)');
    if (unwitnessed !== undefined) return emitReport({ ...base, firstFailure: unwitnessed }, json, io, '');
    since = opened;
  }

  const source = await openSource(flagValue(parsed, 'events') as string);
  const report = await verifyStore({
    source,
    jwks,
    logKey,
    since,
    fast,
    workers,
    sliceSize,
    onProgress: (events, seconds) => io.stderr(`verify-store: ${events.toLocaleString('en-US')} events checked (${Math.round(events / seconds).toLocaleString('en-US')}/s)\n`),
  });
  const { events, streams, checkpoints, leaves } = report.checked;
  const summary =
    `${events} events in ${streams} streams, ${leaves} Merkle leaves and ${checkpoints} checkpoints verified` +
    `${since ? `, extending the saved checkpoint of size ${since.size}` : ''} (${report.mode} mode, ${report.seconds.toFixed(1)} s)`;
  return emitReport({ ...base, ok: report.ok, checked: report.checked, firstFailure: report.firstFailure, warnings: report.warnings, seconds: report.seconds, cpuSeconds: report.cpuSeconds }, json, io, summary);
}

function openSince(note: string, logKey: NoteVerifierKey): { size: number; rootHash: Buffer } | { reason: string } {
  try {
    const checkpoint = openCheckpoint(note, logKey);
    return { size: checkpoint.size, rootHash: Buffer.from(checkpoint.rootHash) };
  } catch (error) {
    if (!(error instanceof NoteError)) throw error;
    return { reason: `the saved checkpoint does not verify with the log key (${error.code}: ${error.message})` };
  }
}

async function openSource(events: string): Promise<LogSource> {
  if (REMOTE.test(events)) {
    let store: Awaited<ReturnType<typeof openEventStore>> | undefined;
    try {
      store = await openEventStore(events);
      await store.ping();
      return new EventStoreLogSource(store);
    } catch (error) {
      await store?.close().catch(() => undefined);
      throw new UsageError(`--events: cannot reach the event store: ${(error as Error).message}`);
    }
  }
  const file = events.replace(/^sqlite:(\/\/)?/i, '');
  requireFile(file, '--events');
  try {
    return new SqliteLogSource(file);
  } catch (error) {
    throw new UsageError(`--events ${file}: ${(error as Error).message}`);
  }
}

function parseCount(value: string | undefined, option: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1 || n > max) throw new UsageError(`verify-store: ${option} must be an integer from 1 to ${max}`);
  return n;
}

