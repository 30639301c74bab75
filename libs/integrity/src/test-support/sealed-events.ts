import * as crypto from 'node:crypto';
import { sealEvent } from '../envelope/seal-event';
import { ZERO_HASH, type StoredEvent } from '../envelope/envelope.types';
import type { HashSigner } from '../keys/keyring';

/** Seals `count` events of one stream, chained from revision `from` (test helper, not exported by the lib). */
export function sealedStream(signer: HashSigner, stream: string, count: number, options: { from?: number; prevHash?: string; startMs?: number } = {}): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev = options.prevHash ?? ZERO_HASH;
  const from = options.from ?? 0;
  for (let i = 0; i < count; i++) {
    const revision = from + i;
    const id = crypto.randomUUID();
    const data = { title: { $jwe: `ciphertext-${stream}-${revision}` }, n: revision, tags: ['a', 'é'] };
    const metadata = sealEvent(
      {
        id,
        stream,
        revision,
        type: revision === 0 ? 'DocumentCreated' : 'DocumentEdited',
        time: new Date((options.startMs ?? Date.UTC(2026, 10, 28)) + revision),
        actor: { kind: 'user', id: 'user_2abc', session: 'sess_1' },
        correlationId: id,
        causationId: id,
        data,
        prevHash: prev,
      },
      signer,
    );
    prev = metadata.hash;
    events.push({ id, type: metadata.type, stream, revision, data, metadata });
  }
  return events;
}

/** A deep copy, so a test can tamper with one event without touching the others. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
