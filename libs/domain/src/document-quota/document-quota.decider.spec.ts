import fc from 'fast-check';
import type { DocumentQuotaCommand } from './document-quota.commands';
import { documentQuotaDecider, documentQuotaNeedsPlan } from './document-quota.decider';
import { documentQuotaStreamName, isDocumentQuotaEvent, type DocumentQuotaEvent } from './document-quota.events';
import { FREE_PLAN_DOCUMENT_LIMIT } from '../document/document.decider';
import { foldEvents } from '../shared/decider';
import { isDomainError } from '../shared/domain-error';
import { deciderSpec, rejected } from '../testing/decider-spec';
import { meta, NOW } from '../testing/fixtures';

const given = deciderSpec(documentQuotaDecider);
const OWNER = 'user_owner';
const take = (documentId: string, ownerPlan = 'free'): DocumentQuotaCommand => ({ type: 'TakeDocumentSlot', data: { ownerId: OWNER, documentId, ownerPlan }, metadata: meta });
const free = (documentId: string): DocumentQuotaCommand => ({ type: 'FreeDocumentSlot', data: { ownerId: OWNER, documentId }, metadata: meta });
const taken = (documentId: string): DocumentQuotaEvent => ({ type: 'DocumentSlotTaken', data: { ownerId: OWNER, documentId, takenAt: NOW } });
const freed = (documentId: string): DocumentQuotaEvent => ({ type: 'DocumentSlotFreed', data: { ownerId: OWNER, documentId } });
const takenUpTo = (n: number): DocumentQuotaEvent[] => Array.from({ length: n }, (_, i) => taken(`d${i}`));

describe('document quota decider', () => {
  it('takes a slot for a new document, stamped with the command time', () => {
    const state = given([]).when(take('d1')).then([taken('d1')]);
    expect([...state.slots]).toEqual([['d1', NOW]]);
  });

  it(`allows a free-plan owner document number ${FREE_PLAN_DOCUMENT_LIMIT}`, () => {
    given(takenUpTo(FREE_PLAN_DOCUMENT_LIMIT - 1)).when(take('new')).then([taken('new')]);
  });

  it(`refuses document number ${FREE_PLAN_DOCUMENT_LIMIT + 1} on the free plan`, () => {
    given(takenUpTo(FREE_PLAN_DOCUMENT_LIMIT)).when(take('new')).then(rejected('quota-exceeded'));
  });

  it('counts a freed slot as free again', () => {
    given([...takenUpTo(FREE_PLAN_DOCUMENT_LIMIT), freed('d3')]).when(take('new')).then([taken('new')]);
  });

  it('has no limit on a paid plan', () => {
    given(takenUpTo(50)).when(take('new', 'pro')).then([taken('new')]);
  });

  it('takes the same document slot once (a retried create)', () => {
    given(takenUpTo(FREE_PLAN_DOCUMENT_LIMIT)).when(take('d4')).then([]);
  });

  it('frees a held slot, and nothing for a slot it does not hold', () => {
    given([taken('d1')]).when(free('d1')).then([freed('d1')]);
    given([taken('d1')]).when(free('d2')).then([]);
  });

  it('needs no plan below the limit, and asks for one at it', () => {
    const noPlan: DocumentQuotaCommand = { type: 'TakeDocumentSlot', data: { ownerId: OWNER, documentId: 'new' }, metadata: meta };
    given(takenUpTo(FREE_PLAN_DOCUMENT_LIMIT - 1)).when(noPlan).then([taken('new')]);
    given(takenUpTo(FREE_PLAN_DOCUMENT_LIMIT)).when(noPlan).then(rejected('invalid-plan'));
    expect(documentQuotaNeedsPlan(foldEvents(documentQuotaDecider, takenUpTo(FREE_PLAN_DOCUMENT_LIMIT)), 'd1')).toBe(false);
  });

  it.each([[''], [7]])('rejects the plan %p', (plan) => {
    given([])
      .when({ type: 'TakeDocumentSlot', data: { ownerId: OWNER, documentId: 'd1', ownerPlan: plan as string }, metadata: meta })
      .then(rejected('invalid-plan'));
  });

  it('rejects a command time that is not RFC 3339 UTC with milliseconds', () => {
    given([]).when({ ...take('d1'), metadata: { now: 'yesterday' } }).then(rejected('invalid-time'));
  });

  it('names the stream by owner and recognises its events', () => {
    expect(documentQuotaStreamName(OWNER)).toBe('documentquota-user_owner');
    expect(isDocumentQuotaEvent(taken('d1'))).toBe(true);
    expect(isDocumentQuotaEvent({ type: 'DocumentCreated' })).toBe(false);
  });

  it('property: a free-plan owner never holds more than the limit, whatever the order of takes and frees', () => {
    const command = fc.oneof(
      fc.nat(15).map((n) => take(`d${n}`)),
      fc.nat(15).map((n) => free(`d${n}`)),
    );
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        let events: DocumentQuotaEvent[] = [];
        for (const c of commands) {
          try {
            events = [...events, ...documentQuotaDecider.decide(c, foldEvents(documentQuotaDecider, events))];
          } catch (error) {
            if (!isDomainError(error) || error.code !== 'quota-exceeded') throw error;
          }
          expect(foldEvents(documentQuotaDecider, events).slots.size).toBeLessThanOrEqual(FREE_PLAN_DOCUMENT_LIMIT);
        }
      }),
    );
  });
});
