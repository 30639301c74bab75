import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past the live heap before a full collection, in percent.
 * V8 picks the factor from the heap limit, and the limit from the machine's memory: on a host with
 * gigabytes free the factor is 4, so a server with ~45 MB live lets its heap reach ~180 MB of mostly
 * dead objects. Measured with the audit bench (1 M events, 100 k exports after 960 queries): RSS peaks
 * of 260–310 MiB with V8's own choice, 206–210 MiB at 50 %, for ≈ 2 ms more query p99.
 */
const HEAP_GROWING_PERCENT = 50;

/** Flags by which an operator already chose the heap's size or growth: then theirs stand. */
const OPERATOR_HEAP_FLAGS = /--(heap[-_]growing[-_]percent|max[-_]old[-_]space[-_]size)\b/;

/**
 * Sets V8's heap growing factor for this process (API and worker), before the app allocates much,
 * unless the process was started with its own heap flags (execArgv or NODE_OPTIONS). The factor is
 * read at every full collection, so setting it at start-up applies from the first one on.
 */
// NODE_OPTIONS is Node's own setting, not Ledgerline configuration: it is only looked at, never required.
// eslint-disable-next-line no-restricted-properties
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  if (OPERATOR_HEAP_FLAGS.test(`${execArgv.join(' ')} ${nodeOptions}`)) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
