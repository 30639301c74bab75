import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { accountStreamName, documentStreamName } from '@ledgerline/domain';
import type { FieldCipher } from '@ledgerline/crypto';
import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import type { ReadDb } from '@ledgerline/projections';
import { FIELD_CIPHER } from '../../../../platform/crypto/crypto.tokens';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { formatPosition } from '../../../../platform/projections/positions';
import { READ_DB } from '../../../../platform/projections/projections.tokens';
import { ExportMyDataQuery } from './export-my-data.query';

const SHARE_EVENTS = new Set(['DocumentShared', 'DocumentUnshared']);
/** Document ids are read from the read models in pages, so a prolific owner never loads them all at once. */
const ID_PAGE = 200;

/**
 * The streams about a user: their account stream, every stream of a document they own (deleted
 * ones too), and from documents shared with them only the share events that name them (the rest is
 * the owner's data). Lines are produced one event at a time as the client reads, so a slow client
 * holds back the reading of the store instead of filling memory.
 */
@QueryHandler(ExportMyDataQuery)
export class ExportMyDataHandler implements IQueryHandler<ExportMyDataQuery, AsyncIterable<string>> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(FIELD_CIPHER) private readonly cipher: FieldCipher,
  ) {}

  async execute(query: ExportMyDataQuery): Promise<AsyncIterable<string>> {
    return this.lines(query);
  }

  private async *lines({ userId, generatedAt }: ExportMyDataQuery): AsyncGenerator<string> {
    yield line({ kind: 'export', format: 'ledgerline-access-request/1', subject: userId, generatedAt });
    let count = 0;
    for await (const event of this.eventsAbout(userId)) {
      count++;
      yield line(await this.exported(event, userId));
    }
    yield line({ kind: 'end', count });
  }

  private async *eventsAbout(userId: string): AsyncGenerator<RecordedEvent> {
    yield* this.store.readStream(accountStreamName(userId));
    for await (const documentId of this.ids('SELECT id FROM documents WHERE owner_id = $1 AND id > $2 ORDER BY id LIMIT CAST($3 AS INTEGER)', userId)) {
      yield* this.store.readStream(documentStreamName(documentId));
    }
    const sharedWithMe = 'SELECT document_id AS id FROM document_share_subjects WHERE user_id = $1 AND document_id > $2 ORDER BY document_id LIMIT CAST($3 AS INTEGER)';
    for await (const documentId of this.ids(sharedWithMe, userId)) {
      for await (const event of this.store.readStream(documentStreamName(documentId))) {
        if (SHARE_EVENTS.has(event.type) && event.data.userId === userId) yield event;
      }
    }
  }

  /** Keyset paging over one id column: `$1` the user, `$2` the last id seen, `$3` the page size. */
  private async *ids(sql: string, userId: string): AsyncGenerator<string> {
    let after = '';
    for (;;) {
      const rows = await this.db.query<{ id: string }>(sql, [userId, after, ID_PAGE]);
      for (const row of rows) yield row.id;
      if (rows.length < ID_PAGE) return;
      after = rows[rows.length - 1].id;
    }
  }

  private async exported(event: RecordedEvent, userId: string): Promise<Record<string, unknown>> {
    const { value, erased } = await this.cipher.decryptDeep(event.data);
    const actor = event.metadata.actor as { kind?: unknown; id?: unknown } | undefined;
    return {
      kind: 'event',
      id: event.id,
      stream: event.stream,
      revision: event.revision,
      position: formatPosition(event.position),
      type: event.type,
      time: event.metadata.time,
      // Another person's session and organisation ids are theirs, not the requester's.
      actor: actor?.id === userId ? actor : { kind: actor?.kind, id: actor?.id },
      data: value,
      erased,
    };
  }
}

function line(value: Record<string, unknown>): string {
  return `${JSON.stringify(value)}\n`;
}
