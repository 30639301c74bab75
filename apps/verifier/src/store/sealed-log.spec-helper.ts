import { randomUUID } from 'node:crypto';
import { canonicalize, sealEvent, ZERO_HASH, type HashSigner, type StoredEvent } from '@ledgerline/integrity';
import type { LogRow } from './chunk-verifier';

/** Seals `count` events of `stream` from revision `from`, chained to `prevHash` (spec helper). */
export function sealedEvents(signer: HashSigner, stream: string, count: number, from = 0, prevHash = ZERO_HASH): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev = prevHash;
  for (let revision = from; revision < from + count; revision++) {
    const id = randomUUID();
    const data = { documentId: stream, title: { $jwe: `eyJ..iv.ct-${stream}-${revision}.tag` }, n: revision, tags: ['a', 'é'] };
    const metadata = sealEvent(
      {
        id,
        stream,
        revision,
        type: revision === 0 ? 'DocumentCreated' : 'DocumentEdited',
        time: new Date(Date.UTC(2026, 10, 28) + revision),
        actor: { kind: 'user', id: 'user_2abc', session: 'sess_1', mfa: true },
        correlationId: id,
        causationId: randomUUID(),
        data,
        prevHash: revision === 0 ? undefined : prev,
      },
      signer,
    );
    prev = metadata.hash;
    events.push({ id, type: metadata.type, stream, revision, data, metadata });
  }
  return events;
}

/**
 * The events as SQLite rows would carry them (JSON text), at positions from `firstPosition`: data as the
 * sealed write path stores it (`jcs`), or as JSON.stringify writes it (`stringify`: older rows, other writers).
 */
export function asRows(events: readonly StoredEvent[], firstPosition = 1, dataAs: 'jcs' | 'stringify' = 'jcs'): LogRow[] {
  const dataText = dataAs === 'jcs' ? canonicalize : (data: unknown) => JSON.stringify(data);
  return events.map((e, i) => [firstPosition + i, e.id, e.stream, e.revision, e.type, dataText(e.data), JSON.stringify(e.metadata)]);
}

/** A deep copy, to tamper with one event without touching the others. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
