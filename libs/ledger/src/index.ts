export * from './actor';
export * from './ledger-writer.port';
export * from './sealed-ledger-writer';
export * from './per-key-queue';
export * from './merkle-log/stored-merkle-tree';
export type { SqlExecutor } from './merkle-log/merkle-tree.store';
export * from './notary/checkpoint.events';
export * from './notary/checkpoint-notary';
export * from './notary/merkle-log.projector';
