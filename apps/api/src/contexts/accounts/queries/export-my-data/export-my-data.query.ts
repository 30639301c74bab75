import { Query } from '@nestjs/cqrs';

/** Access request (GDPR art. 15): every event about `userId`, decrypted, as NDJSON lines. */
export class ExportMyDataQuery extends Query<AsyncIterable<string>> {
  constructor(
    readonly userId: string,
    readonly generatedAt: string,
  ) {
    super();
  }
}
