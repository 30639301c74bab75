// The in-page bundle check, in a Web Worker so a large bundle never blocks the page: the file is read as a
// stream and fed to libs/integrity's verifyBundle (the same checks as `ledgerline-verify bundle`), with the
// officer's pinned keys only, and event signatures checked by WebCrypto's Ed25519 several at a time.
import { verifyBundle } from '@ledgerline/integrity';
import type { VerifyMessage, VerifyRequest } from './verify-messages';
import { webCryptoEd25519 } from './browser-node/webcrypto-ed25519';

const PROGRESS_EVERY_MS = 100;

const post = (message: VerifyMessage): void => (self as unknown as { postMessage(message: VerifyMessage): void }).postMessage(message);

/** The file's chunks as they are read, reporting how far the reading got. */
async function* readWithProgress(file: Blob): AsyncGenerator<Uint8Array> {
  const reader = file.stream().getReader();
  let bytes = 0;
  let reported = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    const now = performance.now();
    if (now - reported >= PROGRESS_EVERY_MS) {
      reported = now;
      post({ kind: 'progress', bytes, total: file.size });
    }
    yield value;
  }
  post({ kind: 'progress', bytes, total: file.size });
}

self.onmessage = async (event: MessageEvent<VerifyRequest>) => {
  const { file, keys } = event.data;
  const started = performance.now();
  try {
    const report = await verifyBundle(readWithProgress(file), {
      pinnedJwks: keys.jwks,
      pinnedLogKey: keys.logKey,
      verifySignature: webCryptoEd25519,
    });
    post({ kind: 'done', report, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    post({ kind: 'error', message: (error as Error).message });
  }
};
