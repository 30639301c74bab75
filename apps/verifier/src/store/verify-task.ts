import type { Jwks } from '@ledgerline/integrity';
import type { LogRow } from './chunk-verifier';

/** What every verify worker is started with. */
export interface WorkerSetup {
  /** This worker's number in the pool. */
  worker: number;
  jwks: Jwks;
  /** The checkpoint verifier key text. */
  logKey: string;
  checkSignatures: boolean;
  /** Set when workers read their slices from this SQLite file themselves (read-only). */
  sqliteFile?: string;
  /** Positions beyond 2^53 exist: read them exactly as text too. */
  bigPositions?: boolean;
}

/** One slice of the global log: a position range of the SQLite file (inclusive), or rows read by the main thread. */
export interface VerifyTask {
  seq: number;
  from?: bigint;
  to?: bigint;
  rows?: LogRow[];
}

/** Asks a worker to end once the tasks sent before it are done (see VerifyPool.close). */
export interface CloseWorker {
  close: true;
}
