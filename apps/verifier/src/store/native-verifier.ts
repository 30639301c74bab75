/**
 * The verifier's hot paths in C (apps/verifier/native, built into dist by
 * `npm run build` where a C compiler is found). The row check decides only a strict subset (ASCII rows
 * in the sealed write path's layout, data without escapes or non-integer numbers) and answers 0 for the
 * rest, which the TypeScript path then decides: verdicts are the same with or without the module.
 */
export interface NativeVerifier {
  /** A new numbering of streams (0, 1, 2, … in the order first seen), for one verifier. */
  createStreamTable(): StreamTable;
  /** A stream's number in `table`, given one if new; `name` is the content of its JSON string text (streamKey). */
  streamNumber(table: StreamTable, name: string): number;
  /**
   * Where checkStoredEvent writes event i's hash, prev and leaf hash (32 bytes each at `…At + 32 i` of
   * `bytes`) and its stream's number in `table` (a uint32 at `streamsAt + 4 i`).
   */
  bindOutput(table: StreamTable, bytes: Uint8Array, hashesAt: number, prevsAt: number, leavesAt: number, streamsAt: number, capacity: number): void;
  /** Forgets the bound array: called before it is handed on (a transfer detaches it), after which checkStoredEvent answers 0. */
  unbindOutput(): void;
  /**
   * storedEnvelopeLinks and the leaf hash for one row. > 0: the row passes every check but its
   * signature, its hashes and stream number are written, and the value is the index of `sig` in the
   * metadata text.
   * 0: not decided here.
   */
  checkStoredEvent(id: string, stream: string, revision: number, type: string, dataText: string, metadataText: string, index: number): number;
  /** SHA-256 of `bytes[from, from + length)` written at `bytes[to, to + 32)`. */
  sha256Within(bytes: Uint8Array, from: number, length: number, to: number): void;
}

/** A stream numbering held by the C module (opaque to JavaScript). */
export type StreamTable = { readonly __brand: 'StreamTable' };

/** The content of `stream`'s JSON string text: one key per distinct string, lone surrogates included (they are escaped). */
export function streamKey(stream: string): string {
  return JSON.stringify(stream).slice(1, -1);
}

/** Characters from the start of `hash`'s value to the start of `sig`'s in the stored layout: 64 + `","sig":"`. */
const HASH_TO_SIG = 73;

/**
 * The native module built into dist beside the compiled TypeScript (dist/apps/verifier/native, from
 * dist/apps/verifier/src/store), or undefined when it was not built or does not load here (then
 * TypeScript does all). A literal path: nothing chooses what code is loaded.
 */
export function loadNativeVerifier(): NativeVerifier | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a Node-API module loads only through require
    return require('../../native/verifier-native.node') as NativeVerifier;
  } catch {
    return undefined;
  }
}

/** The `hash` and `sig` texts of a row checkStoredEvent accepted, from the index it returned. */
export function nativeLinks(metadataText: string, sigAt: number): { hash: string; sig: string } {
  return { hash: metadataText.slice(sigAt - HASH_TO_SIG, sigAt - HASH_TO_SIG + 64), sig: metadataText.slice(sigAt, metadataText.length - 2) };
}
