import type { CoverageReport, RegressionsResponse } from './api.js';
import { badge, card, el, listPanel, testLink } from './dom.js';
import { formatCount, formatDuration, formatFactor } from './format.js';

/** Every regression, newest first, each linking to its test. */
export function renderRegressions(view: HTMLElement, data: RegressionsResponse): void {
  const rows = data.regressions.map((r) =>
    el('tr', {}, [
      el('td', { className: 'num', text: new Date(r.date).toLocaleString() }),
      el('td', { className: 'name' }, [testLink(r.name)]),
      el('td', {}, [badge(r.severity)]),
      el('td', { className: 'num', text: formatFactor(r.factor) }),
      el('td', { className: 'num', text: r.mode === 'instructions' ? `${formatCount(r.instructions)} instr` : formatDuration(r.median) }),
      el('td', { text: r.commit === null ? '–' : r.commit.slice(0, 12) }),
      el('td', { text: r.branch ?? '–' }),
    ]),
  );
  const head = el('tr', {}, ['when', 'test', 'severity', 'factor', 'median (or count)', 'commit', 'branch'].map((label) => el('th', { text: label })));
  view.replaceChildren(
    el('h1', { text: 'Regressions' }),
    el('p', { className: 'muted', text: 'Every confirmed regression, newest first.' }),
    rows.length === 0 ? el('div', { className: 'empty', text: 'No regressions recorded.' }) : el('table', { id: 'regressions' }, [el('thead', {}, [head]), el('tbody', {}, rows)]),
  );
}

/** What the latest run covered, and which baselines went stale or moved environment. */
export function renderCoverage(view: HTMLElement, data: CoverageReport): void {
  view.replaceChildren(
    el('h1', { text: 'Coverage' }),
    el('div', { className: 'cards' }, [
      card(data.testsInLatestRun.length, 'tests in latest run'),
      card(data.withBaseline.length, 'with baseline'),
      card(data.withoutBaseline.length, 'without baseline'),
      card(data.staleBaselines.length, 'stale baselines'),
    ]),
    el('div', { className: 'grid2' }, [
      listPanel('Without a baseline', data.withoutBaseline, (name) => [testLink(name)]),
      listPanel('Baselines not exercised recently', data.staleBaselines, (s) => [
        testLink(s.name),
        ` · last ran ${s.lastRunAt === null ? 'never' : new Date(s.lastRunAt).toLocaleString()} · ${s.runsSince} runs since`,
      ]),
      listPanel('On another environment than their baseline', data.environmentMismatches, (m) => [testLink(m.name), ` · ran on ${m.resultEnvironment}, baseline from ${m.baselineEnvironment}`]),
      listPanel('With a baseline', data.withBaseline, (name) => [testLink(name)]),
    ]),
  );
}
