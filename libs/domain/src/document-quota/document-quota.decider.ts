import type { DocumentQuotaCommand, FreeDocumentSlot, TakeDocumentSlot } from './document-quota.commands';
import type { DocumentQuotaEvent } from './document-quota.events';
import { FREE_PLAN_DOCUMENT_LIMIT } from '../document/document.decider';
import { assertId, assertTime } from '../shared/command-checks';
import type { Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';

/** The documents holding a slot, each with the time its slot was taken. */
export interface DocumentQuotaState {
  slots: ReadonlyMap<string, string>;
}

export function initialDocumentQuotaState(): DocumentQuotaState {
  return { slots: new Map() };
}

export function evolveDocumentQuota(state: DocumentQuotaState, event: DocumentQuotaEvent): DocumentQuotaState {
  switch (event.type) {
    case 'DocumentSlotTaken': {
      const slots = new Map(state.slots);
      slots.set(event.data.documentId, event.data.takenAt);
      return { slots };
    }
    case 'DocumentSlotFreed': {
      if (!state.slots.has(event.data.documentId)) return state;
      const slots = new Map(state.slots);
      slots.delete(event.data.documentId);
      return { slots };
    }
    default: {
      const unknown: never = event;
      void unknown;
      return state;
    }
  }
}

export function decideDocumentQuota(command: DocumentQuotaCommand, state: DocumentQuotaState): DocumentQuotaEvent[] {
  switch (command.type) {
    case 'TakeDocumentSlot':
      return takeSlot(command, state);
    case 'FreeDocumentSlot':
      return freeSlot(command, state);
    default: {
      const unknown: never = command;
      void unknown;
      throw new DomainError('unknown-command', 'unknown document quota command');
    }
  }
}

function takeSlot(command: TakeDocumentSlot, state: DocumentQuotaState): DocumentQuotaEvent[] {
  const { ownerId, documentId, ownerPlan } = command.data;
  assertId(ownerId, 'ownerId');
  assertId(documentId, 'documentId');
  if (ownerPlan !== undefined && (typeof ownerPlan !== 'string' || ownerPlan.length === 0)) throw new DomainError('invalid-plan', 'ownerPlan must be a plan name');
  assertTime(command.metadata.now);
  if (!documentQuotaNeedsPlan(state, documentId)) {
    // Taking the same document's slot again (a retried create) changes nothing.
    return state.slots.has(documentId) ? [] : [{ type: 'DocumentSlotTaken', data: { ownerId, documentId, takenAt: command.metadata.now } }];
  }
  if (ownerPlan === undefined) throw new DomainError('invalid-plan', 'the owner\'s plan decides a create at the free-plan limit');
  if (ownerPlan === 'free') throw new DomainError('quota-exceeded', `the free plan allows ${FREE_PLAN_DOCUMENT_LIMIT} documents`);
  return [{ type: 'DocumentSlotTaken', data: { ownerId, documentId, takenAt: command.metadata.now } }];
}

/** Whether taking `documentId`'s slot depends on the owner's plan: only a new slot at or past the free-plan limit does. */
export function documentQuotaNeedsPlan(state: DocumentQuotaState, documentId: string): boolean {
  return !state.slots.has(documentId) && state.slots.size >= FREE_PLAN_DOCUMENT_LIMIT;
}

function freeSlot(command: FreeDocumentSlot, state: DocumentQuotaState): DocumentQuotaEvent[] {
  const { ownerId, documentId } = command.data;
  assertId(ownerId, 'ownerId');
  assertId(documentId, 'documentId');
  if (!state.slots.has(documentId)) return [];
  return [{ type: 'DocumentSlotFreed', data: { ownerId, documentId } }];
}

/** The document quota decider: stream `documentquota-<ownerId>`. */
export const documentQuotaDecider: Decider<DocumentQuotaState, DocumentQuotaCommand, DocumentQuotaEvent> = {
  decide: decideDocumentQuota,
  evolve: evolveDocumentQuota,
  initialState: initialDocumentQuotaState,
};
