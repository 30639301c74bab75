export * from './config.schema';
export * from './config.errors';
export * from './load-config';
