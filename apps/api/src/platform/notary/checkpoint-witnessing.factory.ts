import type { AppConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import { parseCosignerKey } from '@ledgerline/integrity';
import { CheckpointWitnessing, type LedgerWriter } from '@ledgerline/ledger';
import type { ReadDb } from '@ledgerline/projections';
import type winston from 'winston';
import { ConfigError } from '@ledgerline/config';
import type { LedgerlineMetrics } from '../metrics/metrics.registry';
import type { SecurityEvents } from '../security-events/security-events.service';

/**
 * The notary's witnessing (SPEC §4) from WITNESS_URLS/KEYS/QUORUM, or undefined when none is
 * configured. Each round is bounded by the checkpoint interval: a slow witness is retried next
 * round, and counted as lagging (metric and security event) meanwhile.
 */
export function checkpointWitnessing(
  config: AppConfig,
  deps: { store: EventStore; writer: LedgerWriter; db: ReadDb; logger: winston.Logger; metrics: LedgerlineMetrics; security: SecurityEvents },
): CheckpointWitnessing | undefined {
  if (config.witnessUrls.length === 0) return undefined;
  const witnesses = config.witnessUrls.map((url, i) => {
    try {
      return { url, key: parseCosignerKey(config.witnessKeys[i]) };
    } catch (error) {
      throw new ConfigError('WITNESS_KEYS', `entry ${i + 1} is not a witness vkey (type 0x04): ${(error as Error).message}`);
    }
  });
  const { metrics, security, logger } = deps;
  const timeoutMs = Math.max(250, Math.min(5_000, Math.floor(config.checkpointIntervalMs / 2)));
  return new CheckpointWitnessing(deps.store, deps.writer, deps.db, {
    witnesses,
    quorum: config.witnessQuorum,
    logger,
    timeoutMs,
    attempts: 3,
    backoffMs: Math.min(200, Math.floor(timeoutMs / 4)),
    onWitnessFailure: (witness, reason, treeSize) => {
      metrics.witnessFailures.inc({ witness: witness.key.name });
      logger.warn('witness did not cosign', { witness: witness.key.name, treeSize, reason });
      security.record({ category: 'other', reason: 'witness-lagging', route: witness.key.name });
    },
    onWitnessed: (treeSize, cosignatures) => {
      metrics.witnessedTreeSize.set(treeSize);
      metrics.witnessedCosignatures.set(cosignatures);
    },
  });
}
