/** Where a failure is: stream, revision and position in a store; line in a bundle. */
export interface CliFailure {
  kind: string;
  stream?: string;
  revision?: number;
  position?: number | string;
  line?: number;
  reason: string;
}

/** The `--json` report every command prints on stdout. */
export interface CliReport {
  ok: boolean;
  command: string;
  checked: { events: number; streams: number; checkpoints: number; leaves: number };
  keysSelfAsserted?: boolean;
  mode?: 'full' | 'fast';
  firstFailure?: CliFailure;
  warnings?: string[];
  seconds?: number;
  /** verify-store: CPU seconds of all its threads. */
  cpuSeconds?: number;
}

/** `<kind> at stream S revision R (position P): reason` or `<kind> at line N: reason`. */
export function describeFailure(failure: CliFailure): string {
  const where: string[] = [];
  if (failure.line !== undefined) where.push(`line ${failure.line}`);
  if (failure.stream !== undefined) where.push(`stream ${failure.stream}`);
  if (failure.revision !== undefined) where.push(`revision ${failure.revision}`);
  if (failure.position !== undefined) where.push(`position ${failure.position}`);
  return `${failure.kind}${where.length > 0 ? ` at ${where.join(' ')}` : ''}: ${failure.reason}`;
}

/** Writes the verdict: the JSON report on stdout with `--json`, else a summary line; the failure always on stderr. Returns the exit code. */
export function emitReport(report: CliReport, json: boolean, io: { stdout(text: string): void; stderr(text: string): void }, summary: string): number {
  for (const warning of report.warnings ?? []) io.stderr(`warning: ${warning}\n`);
  if (report.firstFailure) io.stderr(`INVALID: ${describeFailure(report.firstFailure)}\n`);
  if (json) io.stdout(`${JSON.stringify(report)}\n`);
  else if (report.ok) io.stdout(`OK: ${summary}\n`);
  return report.ok ? 0 : 1;
}
