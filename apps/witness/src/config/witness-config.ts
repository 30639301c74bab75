import { ConfigError, type WitnessConfig } from '@ledgerline/config';
import { parseVerifierKey, type NoteVerifierKey } from '@ledgerline/integrity';

/** The logs this witness verifies: WITNESS_LOG_KEYS parsed as note vkeys (type 0x01), each named by its log's origin. */
export function parseLogKeys(config: Pick<WitnessConfig, 'logKeys'>): NoteVerifierKey[] {
  return config.logKeys.map((vkey, i) => {
    try {
      return parseVerifierKey(vkey);
    } catch (error) {
      throw new ConfigError('WITNESS_LOG_KEYS', `item ${i + 1} is not a log verifier key: ${(error as Error).message}`);
    }
  });
}
