/**
 * The first thing found wrong, with where it is. `kind` is a stable code (an integrity-lib event
 * failure reason such as `data-hash`, a chain link reason such as `gap`, or a store-level one such as
 * `checkpoint-root`); `reason` is for people.
 */
export interface StoreFailure {
  kind: string;
  reason: string;
  stream?: string;
  revision?: number;
  /** The store's global position (a string when it does not fit a double exactly). */
  position?: number | string;
}
