import { apiFetch } from '../api-client';
import { byId, formatBytes, show } from '../dom';
import { guarded } from '../errors';
import type { AuditFilters } from '../search/audit-query';

/**
 * POST /v1/audit/exports for the search's filters, read as it streams with a running count of lines and
 * bytes; the bundle is then offered as a file and to the in-page verifier (`onBundle`).
 */
export function wireExportPanel(filters: () => AuditFilters, onBundle: (bundle: Blob) => void): void {
  const progress = byId<HTMLProgressElement>('export-progress');
  const status = byId('export-status');
  const link = byId<HTMLAnchorElement>('export-download');
  const verify = byId<HTMLButtonElement>('export-verify');
  let bundle: Blob | undefined;

  byId('export-button').addEventListener(
    'click',
    guarded(async () => {
      const chosen = filters();
      // An export by stream takes no other filter (it holds the whole stream from revision 0).
      const body = chosen.stream ? { stream: chosen.stream } : chosen;
      show(link, false);
      show(verify, false);
      show(progress);
      progress.removeAttribute('value');
      status.textContent = 'Waiting for a checkpoint that covers the events…';
      try {
        const response = await apiFetch('/v1/audit/exports?waitForCheckpoint=true', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        const chunks: Uint8Array[] = [];
        let bytes = 0;
        let lines = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          bytes += value.byteLength;
          for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
          status.textContent = `Receiving: ${Math.max(0, lines - 1).toLocaleString('en-US')} lines, ${formatBytes(bytes)}`;
        }
        bundle = new Blob(chunks as BlobPart[], { type: 'application/x-ndjson' });
        status.textContent = `Bundle received: ${Math.max(0, lines - 2).toLocaleString('en-US')} events, ${formatBytes(bytes)}. Not yet verified.`;
        if (link.href) URL.revokeObjectURL(link.href);
        link.href = URL.createObjectURL(bundle);
        link.download = `evidence-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
        show(link);
        show(verify);
      } finally {
        show(progress, false);
      }
    }),
  );
  verify.addEventListener('click', () => bundle && onBundle(bundle));
}
