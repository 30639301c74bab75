import { Query } from '@nestjs/cqrs';

/** An event's receipt: c2sp.org/tlog-proof@v1 text (SPEC §4). */
export class GetEventReceiptQuery extends Query<string> {
  constructor(readonly eventId: string) {
    super();
  }
}
