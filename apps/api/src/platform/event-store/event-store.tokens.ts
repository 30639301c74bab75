export const EVENT_STORE = Symbol('EVENT_STORE');
/** The opened store with its commit signal (module-internal: everything else injects EVENT_STORE). */
export const COMMIT_SIGNAL = Symbol('COMMIT_SIGNAL');
