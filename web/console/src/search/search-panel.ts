import { apiJson } from '../api-client';
import { byId, el, show } from '../dom';
import { guarded } from '../errors';
import { eventsPath, filtersOf, type AuditEventItem, type AuditEventPage, type AuditFilters } from './audit-query';
import { eventsChart } from './events-chart';
import { timeBuckets } from './time-buckets';

/** The chart reads at most this many matching events (pages of the API's maximum, 500), and says so when there are more. */
const CHART_EVENTS = 2000;
const CHART_PAGE = 500;

export interface SearchPanel {
  /** The filters of the last search (what an export takes). */
  filters(): AuditFilters;
}

/** Search with filters, cursor paging (a stack of cursors for going back), and the per-hour/day chart above the list. */
export function wireSearchPanel(onOpen: (item: AuditEventItem) => void): SearchPanel {
  const form = byId<HTMLFormElement>('search-form');
  let filters: AuditFilters = {};
  let limit = 50;
  let cursors: (string | undefined)[] = [undefined];

  const showPage = async (index: number) => {
    const page = await apiJson<AuditEventPage>(eventsPath(filters, limit, cursors[index]));
    cursors = cursors.slice(0, index + 1);
    if (page.nextCursor) cursors.push(page.nextCursor);
    renderRows(page.items, onOpen);
    byId('page-label').textContent = `Page ${index + 1} · ${page.items.length} event${page.items.length === 1 ? '' : 's'}`;
    byId<HTMLButtonElement>('page-prev').disabled = index === 0;
    byId<HTMLButtonElement>('page-next').disabled = page.nextCursor === null;
    current = index;
  };
  let current = 0;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    guarded(async () => {
      filters = filtersOf(form);
      limit = Number(byId<HTMLSelectElement>('f-limit').value);
      cursors = [undefined];
      await showPage(0);
      await drawChart(filters);
    })();
  });
  byId('page-next').addEventListener('click', guarded(() => showPage(current + 1)));
  byId('page-prev').addEventListener('click', guarded(() => showPage(current - 1)));
  return { filters: () => filters };
}

function renderRows(items: AuditEventItem[], onOpen: (item: AuditEventItem) => void): void {
  const body = byId('results-body');
  body.replaceChildren(
    ...items.map((item) => {
      const row = el('tr');
      row.dataset.eventId = item.id;
      row.append(
        el('td', item.time.replace('T', ' ').replace('Z', '')),
        el('td', item.type),
        el('td', item.stream),
        el('td', String(item.revision)),
        el('td', actorText(item.actor)),
        el('td', item.leafIndex === null ? 'pending' : String(item.leafIndex)),
        dataCell(item.data),
      );
      row.addEventListener('click', () => onOpen(item));
      return row;
    }),
  );
  show(byId('results'), items.length > 0);
  show(byId('results-empty'), items.length === 0);
}

/** The sealed actor as `kind:id` (identifiers only, SPEC §3). */
function actorText(actor: unknown): string {
  const { kind, id } = (actor ?? {}) as { kind?: unknown; id?: unknown };
  return actor ? `${String(kind ?? '?')}:${String(id ?? '?')}` : '—';
}

/** The answer's values as they came: "[encrypted]" ones are marked as such (SPEC §7.2), never guessed at. */
function dataCell(data: unknown): HTMLTableCellElement {
  const text = JSON.stringify(data);
  const cell = el('td', text.length > 120 ? `${text.slice(0, 117)}…` : text);
  if (text.includes('"[encrypted]"')) {
    cell.classList.add('encrypted');
    cell.title = 'Encrypted values: reveal them with a reason from the event view';
  }
  return cell;
}

async function drawChart(filters: AuditFilters): Promise<void> {
  const times: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await apiJson<AuditEventPage>(eventsPath(filters, CHART_PAGE, cursor));
    times.push(...page.items.map((item) => item.time));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && times.length < CHART_EVENTS);
  const buckets = timeBuckets(times);
  byId('chart').replaceChildren(eventsChart(buckets));
  byId('chart-caption').textContent =
    times.length === 0
      ? 'No matching events.'
      : `Matching events per ${buckets.unit} (UTC)${cursor ? `, over the first ${times.length.toLocaleString('en-US')} matching events` : `, ${times.length.toLocaleString('en-US')} events`}.`;
  show(byId('chart-figure'));
}
