import type { BundleReport } from '@ledgerline/integrity';
import { byId, el, formatBytes, notify, show } from '../dom';
import { describeKeys, loadPinnedKeys, pinnableKeys, storePinnedKeys } from './pinned-keys';
import type { PinnedKeys, VerifyMessage, VerifyRequest } from './verify-messages';

/** Pinned keys, the drop zone, and the worker that checks a bundle; returns what lets another panel hand a bundle in. */
export function wireVerifyPanel(): (bundle: Blob) => void {
  let pinned = loadPinnedKeys();
  const jwksText = byId<HTMLTextAreaElement>('jwks-text');
  const logKeyText = byId<HTMLInputElement>('logkey-text');
  const summarize = () => {
    const summary = byId('keys-summary');
    if (!pinned) {
      summary.textContent = 'No keys pinned: paste or load the JWKS and the log key you obtained out of band, then pin them.';
      return;
    }
    const { logKey, kids } = describeKeys(pinned);
    summary.textContent = `Pinned: log key ${logKey}; event-signing keys ${kids.join(', ')}. Kept in this browser's storage as public keys only.`;
  };
  summarize();

  const fillFrom = async (input: HTMLInputElement, target: HTMLTextAreaElement | HTMLInputElement) => {
    const file = input.files?.[0];
    if (file) target.value = (await file.text()).trim();
  };
  byId<HTMLInputElement>('jwks-file').addEventListener('change', (e) => void fillFrom(e.target as HTMLInputElement, jwksText));
  byId<HTMLInputElement>('logkey-file').addEventListener('change', (e) => void fillFrom(e.target as HTMLInputElement, logKeyText));
  byId('keys-pin').addEventListener('click', () => {
    pinnableKeys(jwksText.value, logKeyText.value)
      .then((keys) => {
        pinned = keys;
        storePinnedKeys(keys);
        summarize();
        notify(undefined);
      })
      .catch((error: Error) => notify(`Keys not pinned: ${error.message}`));
  });
  byId('keys-forget').addEventListener('click', () => {
    pinned = undefined;
    storePinnedKeys(undefined);
    summarize();
  });
  byId('keys-from-server').addEventListener('click', () => {
    // Convenience only: keys fetched from the server that made the bundle prove less than keys pinned earlier.
    Promise.all([fetch('/.well-known/jwks.json').then((r) => r.text()), fetch('/v1/audit/log-key').then((r) => r.text())])
      .then(([jwks, logKey]) => {
        jwksText.value = jwks;
        logKeyText.value = logKey.trim();
      })
      .catch(() => notify('The keys could not be fetched from this server'));
  });

  const check = (bundle: Blob) => {
    if (!pinned) {
      notify('Pin the JWKS and the log key first: a bundle is only evidence against keys you trust.');
      return;
    }
    verifyInWorker(bundle, pinned);
  };
  const input = byId<HTMLInputElement>('bundle-file');
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) check(file);
    input.value = '';
  });
  const zone = byId('drop-zone');
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) check(file);
  });
  return check;
}

let running: Worker | undefined;

function verifyInWorker(bundle: Blob, keys: PinnedKeys): void {
  running?.terminate();
  const worker = new Worker('/console/assets/verify-worker.js');
  running = worker;
  const progress = byId<HTMLProgressElement>('verify-progress');
  const status = byId('verify-status');
  const result = byId('verify-result');
  show(result, false);
  show(progress);
  progress.value = 0;
  status.textContent = `Verifying ${formatBytes(bundle.size)}…`;
  worker.onmessage = (event: MessageEvent<VerifyMessage>) => {
    const message = event.data;
    if (message.kind === 'progress') {
      progress.value = message.total === 0 ? 1 : message.bytes / message.total;
      status.textContent = `Verifying: ${formatBytes(message.bytes)} of ${formatBytes(message.total)} read`;
      return;
    }
    worker.terminate();
    running = undefined;
    show(progress, false);
    if (message.kind === 'error') {
      status.textContent = '';
      notify(`The check could not run: ${message.message}`);
      return;
    }
    status.textContent = `Checked in ${message.seconds.toFixed(2)} s.`;
    renderVerdict(result, message.report, keys);
  };
  const request: VerifyRequest = { file: bundle, keys };
  worker.postMessage(request);
}

/** The verdict in plain words: valid or the first failing line, what was checked, and with which pinned keys. */
function renderVerdict(target: HTMLElement, report: BundleReport, keys: PinnedKeys): void {
  const { logKey, kids } = describeKeys(keys);
  const verdict = report.ok
    ? el('p', `VALID: ${report.count.toLocaleString('en-US')} events verified against checkpoint of size ${report.checkpoint?.size ?? 0}${report.pending ? ` (${report.pending} newer events pending the next checkpoint)` : ''}.`, 'verdict-ok')
    : el('p', `INVALID at line ${report.firstFailure?.line}: ${report.firstFailure?.reason} — ${report.firstFailure?.detail}`, 'verdict-bad');
  verdict.id = 'verdict';
  verdict.dataset.ok = String(report.ok);
  if (report.firstFailure) {
    verdict.dataset.line = String(report.firstFailure.line);
    verdict.dataset.reason = report.firstFailure.reason;
  }
  const checked = el('ul');
  checked.append(
    el('li', `Checkpoint note signature, with the pinned log key ${logKey}${report.checkpoint ? ` (origin ${report.checkpoint.origin}, root ${report.checkpoint.rootHash})` : ''}.`),
    el('li', `Every event's envelope: dataHash = H(JCS(data)), hash = H(JCS(metadata)), and the fields agree with the line.`),
    el('li', `Every event signature (detached JWS, Ed25519 by WebCrypto) with the pinned JWKS: ${kids.join(', ')}.`),
    el('li', 'Chains: prev links between consecutive revisions of each stream (and, for a stream bundle, every revision from 0).'),
    el('li', "Every inclusion proof against the checkpoint's root, leaf indexes increasing and inside the tree."),
    el('li', 'The trailer: event count, SHA-256 over every preceding byte, and its signature with the pinned JWKS.'),
  );
  const parts: HTMLElement[] = [verdict, el('p', `${report.ok ? 'Checked' : 'Checked up to the failure'}, with pinned keys only (the bundle's own keys were not trusted):`), checked];
  for (const warning of report.warnings) parts.push(el('p', `Note: ${warning}`, 'hint'));
  target.replaceChildren(...parts);
  show(target);
}
