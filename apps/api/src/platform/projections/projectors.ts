import type { AppConfig } from '@ledgerline/config';
import { MerkleLogProjector, type LogTamperAlarm } from '@ledgerline/ledger';
import type { Projector } from '@ledgerline/projections';
import { profilesProjector } from '../../contexts/accounts/read-models/profiles.projector';
import { auditIndexProjector } from '../../contexts/audit/audit-index/audit-index.projector';
import { billingSubscriptionsProjector } from '../../contexts/billing/read-models/billing-subscriptions.projector';
import { documentSharesProjector } from '../../contexts/documents/read-models/document-shares.projector';
import { documentsProjector } from '../../contexts/documents/read-models/documents.projector';

/** What a projector may need to be built; grows as read models need more (e.g. a decrypter). */
export interface ProjectorDeps {
  config: AppConfig;
  /** Shared with the notary, so a tampered event found by the Merkle log stops checkpoint signing. */
  tamperAlarm?: LogTamperAlarm;
}

/**
 * Every read model of the API. Each context adds its projector here, and both the live runners and
 * `npm run projections:rebuild` take their list from this one function.
 */
export function allProjectors(deps: ProjectorDeps): Projector[] {
  return [new MerkleLogProjector(deps.tamperAlarm), documentsProjector, documentSharesProjector, profilesProjector, billingSubscriptionsProjector, auditIndexProjector];
}
