/** Injection tokens for process-wide singletons. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');
/** How this process runs the app (chosen by its entry point, not by configuration). */
export const APP_RUNTIME = Symbol('APP_RUNTIME');

export interface AppRuntime {
  /** The embedded store's writer (group commit and its fsync) on a worker thread of its own: the API thread of `npm start`. */
  storeWriterThread?: boolean;
}
