export * from './event-store.port';
export * from './event-store.errors';
export { openEventStore, type OpenEventStoreOptions } from './open-event-store';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export type { BatchReport, GroupCommitStats } from './sqlite/group-commit.queue';
export { validateAppend, validateStreamName, MAX_STREAM_NAME_LENGTH, type SerializedEvent } from './validate-input';
export { appendSizeOf, newEventSizeOf, splitWithin, type SizedEvent } from './append-size';
export { WalFileSync, type CommitSync } from './sqlite/wal-file-sync';
export type { WalCheckpointerOptions } from './sqlite/wal-checkpointer';
