import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { canonicalize, sealEvent, ZERO_HASH, type Actor, type HashSigner, type StoredEvent } from '@ledgerline/integrity';
import type { LogRow } from './chunk-verifier';

/** Seals `count` events of `stream` from revision `from`, chained to `prevHash` (spec helper). */
export function sealedEvents(signer: HashSigner, stream: string, count: number, from = 0, prevHash = ZERO_HASH): StoredEvent[] {
  const events: StoredEvent[] = [];
  let prev = prevHash;
  for (let revision = from; revision < from + count; revision++) {
    const id = randomUUID();
    // Non-ASCII data at revision 0 only: the verifier's C check takes the ASCII rows, TypeScript the others.
    const data = { documentId: stream, title: { $jwe: `eyJ..iv.ct-${stream}-${revision}.tag` }, n: revision, tags: revision === 0 ? ['a', 'é'] : ['a', 'b'] };
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

/** An event as its SQLite row holds it: data as its JCS text, metadata as JSON.stringify wrote it. */
export interface StoredRow {
  id: string;
  stream: string;
  revision: number;
  type: string;
  dataText: string;
  metadataText: string;
}

export const storedRowOf = (e: StoredEvent): StoredRow => ({ id: e.id, stream: e.stream, revision: e.revision, type: e.type, dataText: canonicalize(e.data), metadataText: JSON.stringify(e.metadata) });

/** The id every sealRow event has. */
export const ROW_ID = '0f8e4c1a-8a7b-4c1e-9d7a-1b2c3d4e5f60';

/** One event sealed by `signer` with `actor` (a revision above 0 chains to ab…ab), as its row. */
export function sealRow(signer: HashSigner, actor: Actor, overrides: { stream?: string; type?: string; correlationId?: string; data?: Record<string, unknown>; revision?: number } = {}): StoredRow {
  const { stream = 'document-1', type = 'DocumentCreated', correlationId = ROW_ID, data = { n: 1 }, revision = 0 } = overrides;
  const prevHash = revision === 0 ? undefined : 'ab'.repeat(32);
  const metadata = sealEvent({ id: ROW_ID, stream, revision, type, time: '2026-11-28T01:18:20.123Z', actor, correlationId, causationId: ROW_ID, data, prevHash }, signer);
  return storedRowOf({ id: ROW_ID, stream, revision, type, data, metadata });
}

/** Every actor shape the API writes (actorFor): kind and id, then any of session, org, mfa, ref. */
export const API_ACTORS: readonly Actor[] = [
  { kind: 'user', id: 'user_2abc', session: 'sess_1', mfa: true },
  { kind: 'user', id: 'user_2abc', session: 'sess_1', org: 'org_9', mfa: false },
  { kind: 'webhook', id: 'stripe', ref: 'evt_1' },
  { kind: 'system', id: 'notary' },
];

/** One of `rows` with one character of its metadata or data text replaced by one of `replacements` ('' removes it). */
export function oneCharacterEdit(rows: readonly StoredRow[], replacements: readonly string[]) {
  return fc.tuple(fc.constantFrom(...rows), fc.boolean(), fc.nat(), fc.constantFrom(...replacements)).map(([row, inMetadata, at, ch]) => {
    const text = inMetadata ? row.metadataText : row.dataText;
    const i = at % text.length;
    const changed = text.slice(0, i) + ch + text.slice(i + 1);
    const tampered: StoredRow = inMetadata ? { ...row, metadataText: changed } : { ...row, dataText: changed };
    return { row, tampered, inMetadata, at: i, changed: changed !== text };
  });
}
