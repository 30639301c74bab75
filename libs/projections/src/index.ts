export * from './read-db/read-db.port';
export { toBigInt, toOptionalBigInt } from './read-db/sql-values';
export { runsOfFewShapes } from './read-db/statement-shapes';
export { SqliteReadDb, type SqliteReadDbOptions } from './read-db/sqlite-read-db';
export { PostgresReadDb, pgDriver, type PostgresReadDbOptions } from './read-db/postgres-read-db';
export { openReadDb, type OpenReadDbOptions } from './read-db/open-read-db';
export { type Projector, assertValidProjectors } from './projector.port';
export {
  CHECKPOINTS_TABLE,
  STREAM_REVISIONS_TABLE,
  guardRevision,
  readCheckpoint,
  type Checkpoint,
} from './runner/projection-checkpoints';
export { type ProjectionLogger } from './runner/projection-logger';
export {
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type RunnerState,
  type RunnerStatus,
} from './runner/projection-runner';
export { ProjectionSet, type ProjectionLag } from './runner/projection-set';
export {
  rebuildProjections,
  type RebuildOptions,
  type RebuildProgress,
  type RebuildResult,
} from './rebuild/rebuild-projections';
export { createProgressPrinter, formatProgress, type ProgressPrinterOptions } from './rebuild/progress-printer';
