/** What the projections lib logs through; the app passes its own logger (winston fits as is). */
export interface ProjectionLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** Used when none is injected: failures still reach stderr, routine progress is not printed. */
export const stderrLogger: ProjectionLogger = {
  info: () => undefined,
  warn: (message, meta) => console.warn(message, meta ?? ''),
  error: (message, meta) => console.error(message, meta ?? ''),
};
