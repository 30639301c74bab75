import { Inject, Injectable } from '@nestjs/common';
import {
  documentQuotaDecider,
  documentQuotaNeedsPlan,
  documentQuotaStreamName,
  documentStreamName,
  isDocumentQuotaEvent,
  isDomainError,
  type CommandMetadata,
  type DocumentQuotaCommand,
  type DocumentQuotaEvent,
  type DocumentQuotaState,
} from '@ledgerline/domain';
import { ConcurrencyError, type EventStore } from '@ledgerline/event-store';
import { PerKeyQueue, type CommandContext, type LedgerAppendPart, type LedgerWriter, type SealedAppendResult } from '@ledgerline/ledger';
import { EVENT_STORE } from '../../../platform/event-store/event-store.tokens';
import { pendingEvents } from '../../../platform/commands/pending-events';
import { WriteContentionError } from '../../../platform/commands/write-contention.error';
import { LEDGER_WRITER } from '../../../platform/ledger/ledger.tokens';
import { LegacyDocumentSlots } from './legacy-document-slots';

/** Owners whose folded quota stream is held; the least recently used is dropped past this. */
const CACHED_OWNERS = 20_000;
/** Another instance's concurrent append to the same owner's stream: decide again on the fresher state. */
const ATTEMPTS = 10;
/** A slot whose document stream still does not exist this long after it was taken belonged to a create that died. */
export const ORPHAN_SLOT_AFTER_MS = 60_000;

interface Folded {
  revision: number | undefined;
  state: DocumentQuotaState;
}

/**
 * The free-plan quota as a write-side invariant: a create first takes a slot on the owner's
 * `documentquota-<ownerId>` stream, appended with the exact expected revision, so two API instances
 * can never both admit a create at the limit. Each owner's folded stream is held and caught up with
 * one indexed read per command, never refolded from the start.
 */
@Injectable()
export class DocumentQuotas {
  /** One quota decision at a time per owner in this process, so this process never conflicts with itself. */
  private readonly owners = new PerKeyQueue();
  private readonly folded = new Map<string, Folded>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER_WRITER) private readonly writer: LedgerWriter,
    private readonly legacy: LegacyDocumentSlots,
  ) {}

  /**
   * Takes the document's slot (quota-exceeded when the plan allows no more) and writes the document
   * with it: `document()` is asked for the document's append once the slot is decided, and both go
   * in one transaction where the store can (the embedded one), so neither exists without the other;
   * elsewhere the slot is written first and freed again if the document's append fails.
   */
  async createWithSlot(slot: SlotRequest, document: () => Promise<LedgerAppendPart>): Promise<SealedAppendResult> {
    const { ownerId, documentId, context, metadata } = slot;
    let part: Promise<LedgerAppendPart> | undefined;
    const together = () => (part ??= document());
    try {
      return (await this.decide(ownerId, context, { type: 'TakeDocumentSlot', data: { ownerId, documentId }, metadata }, slot.ownerPlan, together)) as SealedAppendResult;
    } catch (error) {
      // Only a slot written apart from its document (a store without atomic multi-stream appends) can be
      // left behind. Best effort: a slot left behind by a failed free is reclaimed at the limit (see reclaim).
      if (part !== undefined && !this.writer.appendsTogetherAtomically) await this.free(ownerId, documentId, context, metadata).catch(() => undefined);
      throw error;
    }
  }

  /** Frees a document's slot (its document was deleted); nothing when it holds none. */
  async free(ownerId: string, documentId: string, context: CommandContext, metadata: CommandMetadata): Promise<void> {
    await this.decide(ownerId, context, { type: 'FreeDocumentSlot', data: { ownerId, documentId }, metadata });
  }

  /**
   * `planOf` is given for a take only, and asked only at the free-plan limit (it may wait for the billing
   * read model). `together` is an append to make with the quota's own (see createWithSlot), whose result is answered.
   */
  private decide(
    ownerId: string,
    context: CommandContext,
    command: DocumentQuotaCommand,
    planOf?: () => Promise<string>,
    together?: () => Promise<LedgerAppendPart>,
  ): Promise<SealedAppendResult | undefined> {
    const stream = documentQuotaStreamName(ownerId);
    return this.owners.run(ownerId, async () => {
      let reclaiming = planOf !== undefined;
      // The held fold is used as it is: if another instance appended since, the append's expected
      // revision says so. A refusal or a no-op, which append nothing, is decided on the stream's head.
      let fromHead = false;
      for (let attempt = 1; ; attempt++) {
        const held = fromHead ? undefined : this.held(ownerId);
        const current = held ?? (await this.load(ownerId, stream));
        // An owner without a quota stream may still own documents from before it existed: they hold slots too.
        const seed = current.revision === undefined ? await this.legacy.slotsOf(ownerId, command.metadata) : [];
        const base = seed.reduce(documentQuotaDecider.evolve, current.state);
        if (command.type === 'TakeDocumentSlot' && planOf !== undefined && documentQuotaNeedsPlan(base, command.data.documentId)) {
          command = { ...command, data: { ...command.data, ownerPlan: await planOf() } };
        }
        let events: DocumentQuotaEvent[];
        let reclaimed = false;
        try {
          events = [...seed, ...documentQuotaDecider.decide(command, base)];
        } catch (error) {
          if (held !== undefined && isDomainError(error)) {
            fromHead = true;
            continue;
          }
          if (!reclaiming || !isDomainError(error) || error.code !== 'quota-exceeded') throw error;
          events = await this.reclaimable(ownerId, current.state, command.metadata);
          if (events.length === 0) throw error;
          reclaiming = false;
          reclaimed = true;
        }
        if (events.length === 0) {
          if (held === undefined) {
            const part = await together?.();
            return part && this.writer.append(part.stream, part.events, part.expected, context);
          }
          fromHead = true;
          continue;
        }
        const quota: LedgerAppendPart = {
          stream,
          events: pendingEvents(events),
          expected: current.revision ?? 'no_stream',
        };
        const part = together && !reclaimed ? await together() : undefined;
        try {
          const [result, partResult] = part ? await this.writer.appendTogether([quota, part], context) : [await this.writer.append(quota.stream, quota.events, quota.expected, context)];
          this.remember(ownerId, { revision: result.nextExpectedRevision, state: events.reduce(documentQuotaDecider.evolve, current.state) });
          // After a reclaim, the command itself is decided again on the freed state.
          if (!reclaimed) return partResult;
        } catch (error) {
          // A conflict on the other part (its stream exists) is not the quota's to retry.
          if (!(error instanceof ConcurrencyError) || error.stream !== stream) throw error;
          if (attempt >= ATTEMPTS) throw new WriteContentionError();
          fromHead = true;
        }
      }
    });
  }

  /** The fold held for an owner whose quota stream exists (an owner without one may still have legacy slots to seed). */
  private held(ownerId: string): Folded | undefined {
    const folded = this.folded.get(ownerId);
    return folded?.revision === undefined ? undefined : folded;
  }

  /** The owner's stream folded up to its head: the held fold plus whatever was appended since (one indexed read). */
  private async load(ownerId: string, stream: string): Promise<Folded> {
    let { revision, state } = this.folded.get(ownerId) ?? { revision: undefined, state: documentQuotaDecider.initialState() };
    for await (const event of this.store.readStream(stream, { fromRevision: revision === undefined ? 0 : revision + 1 })) {
      if (isDocumentQuotaEvent(event)) state = documentQuotaDecider.evolve(state, { type: event.type, data: event.data } as DocumentQuotaEvent);
      revision = event.revision;
    }
    const folded = { revision, state };
    this.remember(ownerId, folded);
    return folded;
  }

  private remember(ownerId: string, folded: Folded): void {
    this.folded.delete(ownerId);
    this.folded.set(ownerId, folded);
    if (this.folded.size > CACHED_OWNERS) this.folded.delete(this.folded.keys().next().value as string);
  }

  /**
   * At the limit only (so at most the limit's reads): slots whose document was deleted but whose free
   * never landed, and slots whose document never came to be (the create died between its two appends).
   */
  private async reclaimable(ownerId: string, state: DocumentQuotaState, metadata: CommandMetadata): Promise<DocumentQuotaEvent[]> {
    const now = Date.parse(metadata.now);
    const freed: DocumentQuotaEvent[] = [];
    for (const [documentId, takenAt] of state.slots) {
      const head = await this.store.readLastEvent(documentStreamName(documentId));
      const orphan = head === undefined && now - Date.parse(takenAt) > ORPHAN_SLOT_AFTER_MS;
      if (orphan || head?.type === 'DocumentDeleted') freed.push({ type: 'DocumentSlotFreed', data: { ownerId, documentId } });
    }
    return freed;
  }
}

export interface SlotRequest {
  ownerId: string;
  documentId: string;
  /** Looked up only when the owner is at the free-plan limit. */
  ownerPlan: () => Promise<string>;
  context: CommandContext;
  metadata: CommandMetadata;
}
