import { CHECKPOINT_SIGNED as LEDGER_CHECKPOINT_SIGNED, CHECKPOINT_STREAM as LEDGER_CHECKPOINT_STREAM } from '@ledgerline/ledger';
import { CHECKPOINT_SIGNED, CHECKPOINT_STREAM } from './spec-constants';

describe('SPEC §4 names', () => {
  it('are the ones the notary writes', () => {
    expect({ CHECKPOINT_STREAM, CHECKPOINT_SIGNED }).toEqual({ CHECKPOINT_STREAM: LEDGER_CHECKPOINT_STREAM, CHECKPOINT_SIGNED: LEDGER_CHECKPOINT_SIGNED });
  });
});
