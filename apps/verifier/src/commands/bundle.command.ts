import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { BundleVerifier, MAX_BUNDLE_LINE_BYTES, type BundleReport } from '@ledgerline/integrity';
import type { CliIo } from '../cli/cli-io';
import { emitReport } from '../cli/cli-report';
import { readJwks, readLogKey, requireFile } from '../cli/key-inputs';
import { flagValue, parseArgs } from '../cli/parse-args';
import { splitLines } from '../cli/split-lines';
import { UsageError } from '../cli/usage-error';
import { readWitnessPolicy, WITNESS_FLAGS } from '../cli/witness-inputs';

const FLAGS = [
  { name: 'log-key', value: true },
  { name: 'jwks', value: true },
  { name: 'json', value: false },
  ...WITNESS_FLAGS,
];

/** `bundle <file|-> [--log-key <vkey|file>] [--jwks <file>] [--witness-key <vkey|file>]… [--witness-quorum <k>] [--json]`: a SPEC §5 evidence bundle, streamed. */
export async function bundleCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, FLAGS, 'bundle');
  if (parsed.positionals.length !== 1) throw new UsageError('bundle: name one bundle file, or - for stdin');
  const file = parsed.positionals[0];
  const json = parsed.flags.has('json');
  const logKeyValue = flagValue(parsed, 'log-key');
  const jwksFile = flagValue(parsed, 'jwks');
  const pinnedLogKey = logKeyValue === undefined ? undefined : readLogKey(logKeyValue);
  const pinnedJwks = jwksFile === undefined ? undefined : await readJwks(jwksFile);
  const witnesses = readWitnessPolicy(parsed, 'bundle');
  if (file !== '-') requireFile(file, 'bundle');
  const input: Readable = file === '-' ? io.stdin : createReadStream(file, { highWaterMark: 1 << 20 });

  const verifier = new BundleVerifier({ pinnedLogKey, pinnedJwks, witnesses });
  const streams = new Set<string>();
  let lineNo = 0;
  try {
    for await (const next of splitLines(input, MAX_BUNDLE_LINE_BYTES)) {
      if (!('line' in next)) {
        verifier.tooLong(MAX_BUNDLE_LINE_BYTES);
        break;
      }
      lineNo++;
      if (!(await verifier.line(next.line))) break;
      if (lineNo > 1) countStream(next.line, streams);
    }
  } finally {
    input.destroy();
  }
  const report = verifier.finish();
  const selfAsserted = selfAssertedWarning(report, pinnedLogKey !== undefined, pinnedJwks !== undefined);
  const summary =
    `${report.count} events in ${streams.size} streams verified against the checkpoint of size ${report.checkpoint?.size ?? 0}` +
    `${report.pending ? ` (${report.pending} newer events pending the next checkpoint)` : ''}` +
    `${report.keysSelfAsserted ? ' — with self-asserted keys' : ' with pinned keys'}` +
    `${report.cosignatures ? `, cosigned by ${report.cosignatures.length} pinned witness${report.cosignatures.length === 1 ? '' : 'es'} (quorum ${witnesses?.quorum})` : ''}`;
  return emitReport(
    {
      ok: report.ok,
      command: 'bundle',
      checked: { events: report.count, streams: streams.size, checkpoints: report.checkpoint ? 1 : 0, leaves: report.count },
      keysSelfAsserted: report.keysSelfAsserted,
      firstFailure: report.firstFailure && { kind: report.firstFailure.reason, line: report.firstFailure.line, reason: report.firstFailure.detail },
      warnings: [...(selfAsserted ? [selfAsserted] : []), ...report.warnings],
    },
    json,
    io,
    summary,
  );
}

/** Counts the stream of an event line the verifier accepted (the trailer and header are not events). */
function countStream(line: Buffer, streams: Set<string>): void {
  const value = JSON.parse(line.toString('utf8')) as { kind?: unknown; stream?: unknown };
  if (value.kind === 'event' && typeof value.stream === 'string') streams.add(value.stream);
}

function selfAssertedWarning(report: BundleReport, logKeyPinned: boolean, jwksPinned: boolean): string | undefined {
  if (!report.keysSelfAsserted) return undefined;
  const own = [logKeyPinned ? undefined : 'log key', jwksPinned ? undefined : 'JWKS'].filter(Boolean).join(' and ');
  return `keys are self-asserted: the bundle's own ${own} ${own.includes(' and ') ? 'were' : 'was'} trusted; pin them with --log-key and --jwks (from /v1/audit/log-key and /.well-known/jwks.json) for evidence`;
}
