import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { jwksKeyMap, parseVerifierKey } from '@ledgerline/integrity';
import { chunkBuffer } from './chunk-result';
import { ChunkVerifier, type LogRow } from './chunk-verifier';
import type { CloseWorker, VerifyTask, WorkerSetup } from './verify-task';
import { selectRange } from './sqlite-log-reader';

const MMAP_BYTES = 1 << 30;
const setup = workerData as WorkerSetup;
// Importing the JWKS is asynchronous (jose): a task that comes in before it is done waits for it, in order.
const ready = jwksKeyMap(setup.jwks).then(
  (keys) =>
    new ChunkVerifier({
      worker: setup.worker,
      keys,
      logKey: parseVerifierKey(setup.logKey),
      checkSignatures: setup.checkSignatures,
      rowsAreText: setup.sqliteFile !== undefined,
    }),
);
// Each worker reads its own slices through its own read-only connection: rows never cross threads.
const db = setup.sqliteFile === undefined ? undefined : new Database(setup.sqliteFile, { readonly: true, fileMustExist: true });
// Reading through a memory map saves a pread per page (a connection setting: the file is not touched).
db?.pragma(`mmap_size = ${MMAP_BYTES}`);
const range = db === undefined ? undefined : selectRange(db, setup.bigPositions === true);

parentPort?.on('message', (message: VerifyTask | CloseWorker) => {
  if ('close' in message) {
    // Runs after every task sent before it (they wait on the same promise), whether the keys loaded or not
    // (each task has reported that already): the thread then ends on its own.
    void ready
      .catch(() => undefined)
      .then(() => {
        db?.close();
        parentPort?.close();
      });
    return;
  }
  const task = message;
  ready
    .then((verifier) => {
      const rows = task.rows ?? ((range as NonNullable<typeof range>).all(task.from, task.to) as LogRow[]);
      const result = verifier.verify(task.seq, rows);
      parentPort?.postMessage({ seq: task.seq, result }, [chunkBuffer(result)]);
    })
    .catch((error: unknown) => {
      parentPort?.postMessage({ seq: task.seq, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    });
});
