import type { RebuildProgress } from './rebuild-projections';

export interface ProgressPrinterOptions {
  /** Redraw one line with `\r` (a terminal) or append a line now and then (a log file or pipe). */
  tty: boolean;
  /** Minimum time between lines when not a terminal. Default 5000 ms. */
  intervalMs?: number;
  /** Bar width in characters. Default 30. */
  width?: number;
  now?: () => number;
}

/** Percentage with one decimal, from bigints (positions may exceed 2^53). */
function percent(done: bigint, total: bigint): string {
  if (total <= 0n) return '100.0';
  const permille = (done * 1000n) / total;
  const clamped = permille > 1000n ? 1000n : permille < 0n ? 0n : permille;
  return `${clamped / 10n}.${clamped % 10n}`;
}

export function formatProgress(progress: RebuildProgress, width = 30): string {
  const pct = percent(progress.done, progress.total);
  const filled = Math.round((Number(pct) / 100) * width);
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  return `[${bar}] ${pct.padStart(5)}%  ${progress.events} events  position ${progress.done}/${progress.total}`;
}

/** Plain-text progress for a CLI's stderr: `update` on every batch, `finish` once at the end. */
export function createProgressPrinter(out: { write(text: string): unknown }, options: ProgressPrinterOptions) {
  const intervalMs = options.intervalMs ?? 5000;
  const now = options.now ?? Date.now;
  let last: RebuildProgress | undefined;
  let lastPrinted = Number.NEGATIVE_INFINITY;
  let lastText = '';
  return {
    update(progress: RebuildProgress): void {
      last = progress;
      const text = formatProgress(progress, options.width);
      if (options.tty) {
        if (text !== lastText) out.write(`\r${text}`);
      } else if (now() - lastPrinted >= intervalMs) {
        out.write(`${text}\n`);
        lastPrinted = now();
      } else {
        return;
      }
      lastText = text;
    },
    /** Prints the final state (always, so a log ends with 100%) and ends the line. */
    finish(): void {
      if (!last) return;
      const text = formatProgress(last, options.width);
      if (options.tty) out.write(text === lastText ? '\n' : `\r${text}\n`);
      else if (text !== lastText) out.write(`${text}\n`);
    },
  };
}
