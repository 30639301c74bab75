/** The read database (ReadDb from @ledgerline/projections): read models, checkpoints, key table. */
export const READ_DB = Symbol('READ_DB');
/** Every projector of the API (`allProjectors`), in registration order. */
export const PROJECTORS = Symbol('PROJECTORS');
/** The running ProjectionSet, or null when this instance runs no projections (WORKER=off). */
export const PROJECTION_SET = Symbol('PROJECTION_SET');
