// perfguard dashboard: a static page over the JSON endpoints of `perfguard dashboard`.
import { type CoverageReport, getJson, type OverviewResponse, type RegressionsResponse, type TestResponse } from './api.js';
import { el } from './dom.js';
import { renderCoverage, renderRegressions } from './lists.js';
import { type OverviewState, renderOverview } from './overview.js';
import { renderTest } from './test-page.js';
import type { Chart } from './uplot-global.js';

type Route = { view: 'test'; name: string; mode: string | undefined } | { view: 'overview' | 'regressions' | 'coverage' };

const view = document.getElementById('view') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;
const overviewState: OverviewState = { sortKey: 'name', sortAsc: true, filter: '', branch: '', environment: '' };
let charts: Chart[] = [];

function route(): Route {
  const hash = location.hash === '' ? '#/' : location.hash;
  if (hash.startsWith('#/test/')) {
    // #/test/<encoded name>, or #/test/<encoded name>/mode/<mode>: the name itself has no bare '/'.
    const [name = '', , mode] = hash.slice('#/test/'.length).split('/');
    return { view: 'test', name: decodeURIComponent(name), mode };
  }
  if (hash === '#/regressions') return { view: 'regressions' };
  if (hash === '#/coverage') return { view: 'coverage' };
  return { view: 'overview' };
}

function destroyCharts(): void {
  for (const chart of charts) chart.destroy();
  charts = [];
}

function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  view.replaceChildren(el('div', { className: 'error-page' }, [el('h1', { text: 'perfguard cannot show this page' }), el('p', { className: 'error-message', text: message })]));
}

async function render(): Promise<void> {
  const current = route();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) link.classList.toggle('active', link.dataset['view'] === current.view);
  try {
    destroyCharts();
    if (current.view === 'test') {
      const query = current.mode === undefined ? '' : `?mode=${encodeURIComponent(current.mode)}`;
      charts = renderTest(view, await getJson<TestResponse>(`/api/tests/${encodeURIComponent(current.name)}${query}`));
    }
    else if (current.view === 'regressions') renderRegressions(view, await getJson<RegressionsResponse>('/api/regressions'));
    else if (current.view === 'coverage') renderCoverage(view, await getJson<CoverageReport>('/api/coverage'));
    else renderOverview(view, await getJson<OverviewResponse>('/api/overview'), overviewState);
    document.body.dataset['rendered'] = String(Date.now());
  } catch (error) {
    showError(error);
  }
}

/** Live updates: the server sends `change` whenever new results are committed. */
function connect(): void {
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => live.classList.remove('off'));
  events.addEventListener('error', () => live.classList.add('off'));
  events.addEventListener('change', () => {
    live.classList.add('flash');
    setTimeout(() => live.classList.remove('flash'), 600);
    void render();
  });
}

window.addEventListener('hashchange', () => void render());
void render();
connect();
