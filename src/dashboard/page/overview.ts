import type { OverviewResponse, OverviewRow } from './api.js';
import { badge, card, el, sparkline, testLink } from './dom.js';
import { formatAge, formatCount, formatDuration, formatFactor } from './format.js';

/** What the overview remembers between renders: sorting and filters. */
export interface OverviewState {
  sortKey: string;
  sortAsc: boolean;
  filter: string;
  branch: string;
  environment: string;
}

interface Column {
  key: string;
  label: string;
  /** The sort key of a row; undefined for a column that does not sort. */
  read?: (row: OverviewRow) => string | number;
}

const COLUMNS: readonly Column[] = [
  { key: 'name', label: 'test', read: (t) => t.name },
  { key: 'latestMedian', label: 'latest median', read: (t) => t.latestMedian },
  { key: 'trend', label: 'trend' },
  { key: 'latestFactor', label: 'factor', read: (t) => t.latestFactor ?? 0 },
  { key: 'latestDetectable', label: 'detectable', read: (t) => t.latestDetectable ?? 0 },
  { key: 'latestStatus', label: 'verdict', read: (t) => t.latestStatus },
  { key: 'baselineSince', label: 'baseline age', read: (t) => (t.baselineSince === null ? -Infinity : -Date.parse(t.baselineSince)) },
  { key: 'branch', label: 'branch', read: (t) => t.branch ?? '' },
];

function selectOf(label: string, values: string[], current: string, onChange: (value: string) => void): HTMLSelectElement {
  const select = el('select', { 'aria-label': label, onchange: (event) => onChange((event.target as HTMLSelectElement).value) }, [el('option', { value: '', text: `all ${label}` })]);
  for (const value of values) {
    const option = el('option', { value, text: value });
    if (value === current) option.selected = true;
    select.append(option);
  }
  return select;
}

function visibleRows(data: OverviewResponse, state: OverviewState): OverviewRow[] {
  const filtered = data.tests.filter(
    (t) => t.name.toLowerCase().includes(state.filter.toLowerCase()) && (state.branch === '' || t.branch === state.branch) && (state.environment === '' || t.environmentKey === state.environment),
  );
  const read = (COLUMNS.find((column) => column.key === state.sortKey) ?? COLUMNS[0])?.read ?? ((t: OverviewRow) => t.name);
  return filtered.sort((a, b) => {
    const x = read(a);
    const y = read(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return state.sortAsc ? order : -order;
  });
}

function headerRow(state: OverviewState, rerender: () => void): HTMLTableRowElement {
  return el(
    'tr',
    {},
    COLUMNS.map((column) => {
      const sorted = state.sortKey === column.key ? ` sorted${state.sortAsc ? ' asc' : ''}` : '';
      const th = el('th', { text: column.label, className: column.read === undefined ? '' : `sortable${sorted}` });
      if (column.read !== undefined) {
        th.addEventListener('click', () => {
          state.sortAsc = state.sortKey === column.key ? !state.sortAsc : true;
          state.sortKey = column.key;
          rerender();
        });
      }
      return th;
    }),
  );
}

function row(t: OverviewRow): HTMLTableRowElement {
  return el('tr', { 'data-test': t.name }, [
    el('td', { className: 'name' }, [testLink(t.name)]),
    el('td', { className: 'num', text: t.latestMode === 'instructions' ? formatCount(t.latestInstructions) : formatDuration(t.latestMedian) }),
    el('td', {}, [sparkline(t.sparkline)]),
    el('td', { className: 'num', text: formatFactor(t.latestFactor) }),
    el('td', { className: 'num', text: formatFactor(t.latestDetectable) }),
    el('td', {}, [badge(t.latestStatus)]),
    el('td', { className: 'num', text: formatAge(t.baselineSince) }),
    el('td', { text: t.branch ?? '–' }),
  ]);
}

function summaryCards(tests: readonly OverviewRow[]): HTMLDivElement {
  const counts = new Map<string, number>();
  for (const t of tests) counts.set(t.latestStatus, (counts.get(t.latestStatus) ?? 0) + 1);
  return el('div', { className: 'cards' }, [
    card(tests.length, 'tests'),
    card(counts.get('regression') ?? 0, 'regressed'),
    card(counts.get('improved') ?? 0, 'improved'),
    card(counts.get('inconclusive') ?? 0, 'inconclusive'),
    card(counts.get('no-baseline') ?? 0, 'no baseline'),
  ]);
}

/** Every test with its latest figures: sortable by any column, filterable by name, branch and environment. */
export function renderOverview(view: HTMLElement, data: OverviewResponse, state: OverviewState): void {
  const rerender = (): void => renderOverview(view, data, state);
  const branches = [...new Set(data.tests.flatMap((t) => (t.branch === null ? [] : [t.branch])))].sort();
  const environments = [...new Set(data.tests.map((t) => t.environmentKey))].sort();
  const search = el('input', { type: 'search', placeholder: 'Filter tests by name…', value: state.filter, 'aria-label': 'filter by name' });
  search.addEventListener('input', () => {
    state.filter = search.value;
    rerender();
    const again = view.querySelector<HTMLInputElement>('input[type=search]');
    again?.focus();
    again?.setSelectionRange(again.value.length, again.value.length);
  });
  const filters = el('div', { className: 'filters' }, [
    search,
    selectOf('branches', branches, state.branch, (value) => ((state.branch = value), rerender())),
    selectOf('environments', environments, state.environment, (value) => ((state.environment = value), rerender())),
  ]);
  const table =
    data.tests.length === 0
      ? el('div', { className: 'empty', text: 'No results yet: run the performance tests and this page fills in by itself.' })
      : el('table', { id: 'overview' }, [el('thead', {}, [headerRow(state, rerender)]), el('tbody', {}, visibleRows(data, state).map(row))]);
  view.replaceChildren(
    el('h1', { text: 'Overview' }),
    el('p', { className: 'muted', text: `Every test's latest run. Updated ${new Date(data.generatedAt).toLocaleTimeString()}.` }),
    summaryCards(data.tests),
    filters,
    table,
  );
}
