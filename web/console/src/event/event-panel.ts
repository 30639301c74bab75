import { apiFetch, apiJson } from '../api-client';
import { byId, download, show } from '../dom';
import { guarded } from '../errors';
import type { AuditEventDetail } from '../../../../apps/api/src/contexts/audit/events/audit-event.views';
import type { AuditEventItem } from '../search/audit-query';
import { wireRevealDialog } from './reveal-dialog';

function proofText(detail: AuditEventDetail): string {
  switch (detail.proofStatus) {
    case 'proved':
      return `proved against checkpoint ${detail.treeSize} (${detail.inclusionProof?.length ?? 0} hashes)`;
    case 'pending':
      return 'pending: no checkpoint covers this event yet (ask again after the next one)';
    case 'not-a-leaf':
      return 'not a leaf: checkpoint events are not part of the log they sign';
  }
}

/** One event: envelope, leaf index, proof status, its tlog-proof receipt, and reveal with a reason. */
export function wireEventPanel(): (item: AuditEventItem) => void {
  let shown: AuditEventDetail | undefined;
  const render = (detail: AuditEventDetail) => {
    shown = detail;
    byId('event-id').textContent = detail.id;
    byId('event-stream').textContent = `${detail.stream} / ${detail.revision} · ${detail.type} · ${detail.time}`;
    byId('event-leaf').textContent = detail.leafIndex === null ? '—' : String(detail.leafIndex);
    byId('event-proof').textContent = proofText(detail);
    byId('event-data').textContent = JSON.stringify(detail.data, null, 2);
    byId('event-envelope').textContent = JSON.stringify(detail.metadata, null, 2);
    byId<HTMLButtonElement>('receipt-download').disabled = detail.proofStatus !== 'proved';
    show(byId('event-panel'));
  };
  byId('receipt-download').addEventListener(
    'click',
    guarded(async () => {
      if (!shown) return;
      const receipt = await (await apiFetch(`/v1/audit/events/${shown.id}/receipt`)).blob();
      download(receipt, `${shown.id}.tlog-proof`);
    }),
  );
  wireRevealDialog(
    () => shown?.id,
    (detail) => render(detail as AuditEventDetail),
  );
  return (item) => {
    guarded(async () => {
      show(byId('reveal-record'), false);
      render(await apiJson<AuditEventDetail>(`/v1/audit/events/${item.id}`));
      byId('event-panel').scrollIntoView({ block: 'nearest' });
    })();
  };
}
