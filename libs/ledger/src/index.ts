export * from './actor';
export * from './event-sealer.port';
export * from './ledger-writer.port';
export * from './sealed-ledger-writer';
