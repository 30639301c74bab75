// The compliance console (SPEC §7.2 GET /console): sign in, search, open and reveal, export, and verify
// bundles offline in the page. Loaded as /console/assets/console.js under a strict CSP (no inline script).
import { byId, notify } from './dom';
import { reportError, wireMfaPrompt } from './errors';
import { wireEventPanel } from './event/event-panel';
import { wireExportPanel } from './export/export-panel';
import { wireSearchPanel } from './search/search-panel';
import { startSignIn, type ConsoleConfig } from './session/sign-in';
import { wireVerifyPanel } from './verify/verify-panel';

async function start(): Promise<void> {
  wireMfaPrompt();
  const verify = wireVerifyPanel();
  const search = wireSearchPanel(wireEventPanel());
  wireExportPanel(search.filters, (bundle) => {
    verify(bundle);
    byId('verify-panel').scrollIntoView({ block: 'start' });
  });
  const config = (await (await fetch('/console/config.json', { cache: 'no-store' })).json()) as ConsoleConfig;
  await startSignIn(config, () => notify(undefined));
}

document.addEventListener('DOMContentLoaded', () => {
  start().catch(reportError);
});
