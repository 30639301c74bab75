import { Query } from '@nestjs/cqrs';

/** The answer of `GET /v1/audit/streams/:stream/verification`: the first failure is named by revision. */
export interface StreamVerification {
  stream: string;
  ok: boolean;
  /** Events that verified (before the failure, if any). */
  count: number;
  head?: { revision: number; hash: string };
  failure?: { revision: number; reason: string; detail: string };
}

/** Checks one stream's chain (SPEC §3): revisions 0..n without gap, dataHash, hash, sig, prev. */
export class VerifyStreamQuery extends Query<StreamVerification> {
  constructor(readonly stream: string) {
    super();
  }
}
