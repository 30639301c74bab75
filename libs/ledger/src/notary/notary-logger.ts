/** The logger the notary and its witnessing write to (winston's shape, without depending on it). */
export interface NotaryLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}
