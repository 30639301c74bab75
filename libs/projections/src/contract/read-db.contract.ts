/// <reference types="jest" />
import { describeProjectionRunner } from './projection-runner.contract';
import { describeReadDbPort } from './read-db-port.contract';
import type { ReadDbHarness } from './contract-support';

export type { ReadDbHarness } from './contract-support';

/** The shared suite every ReadDb adapter passes: the port's SQL promises, then projections over it. */
export function describeReadDbContract(adapter: string, harness: ReadDbHarness): void {
  describe(`ReadDb contract: ${adapter}`, () => {
    describe('port', () => describeReadDbPort(harness));
    describe('projections', () => describeProjectionRunner(harness));
  });
}
