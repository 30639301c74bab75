import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '@ledgerline/event-store';
import { verifyChainAsync, type Keyring } from '@ledgerline/integrity';
import { problem, ProblemException } from '../../../../platform/errors/problem';
import { EVENT_STORE } from '../../../../platform/event-store/event-store.tokens';
import { KEYRING } from '../../../../platform/ledger/ledger.tokens';
import { yieldingEvery } from '../../verifications/yielding';
import { VerifyStreamQuery, type StreamVerification } from './verify-stream.query';

/** verifyChain over the store's stream with every key the keyring trusts (active and retired). */
@QueryHandler(VerifyStreamQuery)
export class VerifyStreamHandler implements IQueryHandler<VerifyStreamQuery, StreamVerification> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(KEYRING) private readonly keyring: Keyring,
  ) {}

  async execute({ stream }: VerifyStreamQuery): Promise<StreamVerification> {
    if ((await this.store.readLastEvent(stream)) === undefined) {
      throw new ProblemException(problem(404, { type: 'stream-not-found', title: 'Stream Not Found', detail: 'the store holds no event of this stream' }));
    }
    const result = await verifyChainAsync(yieldingEvery(this.store.readStream(stream)), this.keyring.keyMap());
    if (result.ok) return { stream, ok: true, count: result.count, ...(result.head ? { head: result.head } : {}) };
    return { stream, ok: false, count: result.count, failure: { revision: result.revision, reason: result.reason, detail: result.detail } };
  }
}
