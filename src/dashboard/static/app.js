// perfguard dashboard: a static page over the JSON endpoints of `perfguard dashboard`.
// Every piece of stored text (test names, commits, branches) goes in with textContent,
// never as HTML, so a hostile test name is shown, not run.
'use strict';

(function main() {
  const view = document.getElementById('view');
  const live = document.getElementById('live');
  const state = { sortKey: 'name', sortAsc: true, filter: '', branch: '', environment: '', charts: [] };

  // ---- small DOM helpers -------------------------------------------------------------
  function el(tag, attributes, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }

  function badge(status) {
    return el('span', { className: `badge ${status}`, text: status });
  }

  function testLink(name) {
    return el('a', { href: `#/test/${encodeURIComponent(name)}`, text: name });
  }

  function formatDuration(seconds) {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
    const abs = Math.abs(seconds);
    const fixed = (value) => value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
    if (abs < 1e-6) return `${fixed(seconds * 1e9)} ns`;
    if (abs < 1e-3) return `${fixed(seconds * 1e6)} µs`;
    if (abs < 1) return `${fixed(seconds * 1e3)} ms`;
    return `${fixed(seconds)} s`;
  }

  function formatAge(iso) {
    if (!iso) return '–';
    const hours = (Date.now() - Date.parse(iso)) / 3.6e6;
    if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
    if (hours < 48) return `${Math.round(hours)} h`;
    return `${Math.round(hours / 24)} d`;
  }

  function formatFactor(factor) {
    return factor === null || factor === undefined ? '–' : `${factor.toFixed(2)}x`;
  }

  function sparkline(values) {
    const width = 120;
    const height = 28;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    if (values.length > 1) {
      const min = Math.min(...values);
      const max = Math.max(...values);
      const span = max - min || max || 1;
      const points = values.map((value, i) => `${((i / (values.length - 1)) * (width - 4) + 2).toFixed(1)},${(height - 3 - ((value - min) / span) * (height - 6)).toFixed(1)}`);
      const line = document.createElementNS(ns, 'polyline');
      line.setAttribute('points', points.join(' '));
      line.setAttribute('fill', 'none');
      line.setAttribute('stroke', '#3358d4');
      line.setAttribute('stroke-width', '1.5');
      svg.append(line);
    }
    return svg;
  }

  async function getJson(url) {
    const response = await fetch(url, { cache: 'no-store' });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
    return body;
  }

  function showError(error) {
    view.replaceChildren(el('div', { className: 'error-page' }, [el('h1', { text: 'perfguard cannot show this page' }), el('p', { className: 'error-message', text: String(error.message || error) })]));
  }

  function destroyCharts() {
    for (const chart of state.charts) chart.destroy();
    state.charts = [];
  }

  // ---- overview ------------------------------------------------------------------------
  const COLUMNS = [
    ['name', 'test', (t) => t.name],
    ['latestMedian', 'latest median', (t) => t.latestMedian],
    ['trend', 'trend', null],
    ['latestFactor', 'factor', (t) => t.latestFactor ?? 0],
    ['latestStatus', 'verdict', (t) => t.latestStatus],
    ['baselineSince', 'baseline age', (t) => (t.baselineSince ? -Date.parse(t.baselineSince) : -Infinity)],
    ['branch', 'branch', (t) => t.branch || ''],
  ];

  function selectOf(label, values, current, onChange) {
    const select = el('select', { 'aria-label': label, onchange: (event) => onChange(event.target.value) }, [el('option', { value: '', text: `all ${label}` })]);
    for (const value of values) {
      const option = el('option', { value, text: value });
      if (value === current) option.selected = true;
      select.append(option);
    }
    return select;
  }

  function renderOverview(data) {
    const tests = data.tests;
    const branches = [...new Set(tests.map((t) => t.branch).filter(Boolean))].sort();
    const environments = [...new Set(tests.map((t) => t.environmentKey))].sort();
    const rerender = () => renderOverview(data);
    const filtered = tests.filter(
      (t) =>
        t.name.toLowerCase().includes(state.filter.toLowerCase()) &&
        (!state.branch || t.branch === state.branch) &&
        (!state.environment || t.environmentKey === state.environment),
    );
    const column = COLUMNS.find(([key]) => key === state.sortKey) || COLUMNS[0];
    filtered.sort((a, b) => {
      const x = column[2](a);
      const y = column[2](b);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return state.sortAsc ? order : -order;
    });
    const counts = tests.reduce((acc, t) => ((acc[t.latestStatus] = (acc[t.latestStatus] || 0) + 1), acc), {});
    const cards = el('div', { className: 'cards' }, [
      card(tests.length, 'tests'),
      card(counts.regression || 0, 'regressed'),
      card(counts.improved || 0, 'improved'),
      card((counts.inconclusive || 0), 'inconclusive'),
      card((counts['no-baseline'] || 0), 'no baseline'),
    ]);
    const search = el('input', { type: 'search', placeholder: 'Filter tests by name…', value: state.filter, 'aria-label': 'filter by name' });
    search.addEventListener('input', (event) => {
      state.filter = event.target.value;
      rerender();
      const again = view.querySelector('input[type=search]');
      again.focus();
      again.setSelectionRange(again.value.length, again.value.length);
    });
    const filters = el('div', { className: 'filters' }, [
      search,
      selectOf('branches', branches, state.branch, (value) => ((state.branch = value), rerender())),
      selectOf('environments', environments, state.environment, (value) => ((state.environment = value), rerender())),
    ]);
    const head = el(
      'tr',
      {},
      COLUMNS.map(([key, label, read]) => {
        const th = el('th', { text: label, className: read ? `sortable${state.sortKey === key ? ' sorted' + (state.sortAsc ? ' asc' : '') : ''}` : '' });
        if (read) th.addEventListener('click', () => ((state.sortAsc = state.sortKey === key ? !state.sortAsc : true), (state.sortKey = key), rerender()));
        return th;
      }),
    );
    const rows = filtered.map((t) =>
      el('tr', { 'data-test': t.name }, [
        el('td', { className: 'name' }, [testLink(t.name)]),
        el('td', { className: 'num', text: formatDuration(t.latestMedian) }),
        el('td', {}, [sparkline(t.sparkline)]),
        el('td', { className: 'num', text: formatFactor(t.latestFactor) }),
        el('td', {}, [badge(t.latestStatus)]),
        el('td', { className: 'num', text: formatAge(t.baselineSince) }),
        el('td', { text: t.branch || '–' }),
      ]),
    );
    const table = tests.length === 0 ? el('div', { className: 'empty', text: 'No results yet: run the performance tests and this page fills in by itself.' }) : el('table', { id: 'overview' }, [el('thead', {}, [head]), el('tbody', {}, rows)]);
    view.replaceChildren(el('h1', { text: 'Overview' }), el('p', { className: 'muted', text: `Every test's latest run. Updated ${new Date(data.generatedAt).toLocaleTimeString()}.` }), cards, filters, table);
  }

  function card(value, label) {
    return el('div', { className: 'card' }, [el('div', { className: 'value', text: String(value) }), el('div', { className: 'label', text: label })]);
  }

  // ---- one test ------------------------------------------------------------------------
  function baselineAt(epochs, time) {
    let current = null;
    for (const epoch of epochs) {
      if (Date.parse(epoch.createdAt) / 1000 <= time + 1) current = epoch.isDeleted ? null : epoch.median;
    }
    return current;
  }

  function tooltipFor(container) {
    const tip = el('div', { className: 'tooltip' });
    container.append(tip);
    return tip;
  }

  function chartOptions(title, width, series, extra) {
    return Object.assign({ title, width, height: 260, series, scales: { x: { time: true } }, axes: [{}, { size: 70 }], legend: { show: true }, cursor: { drag: { x: true, y: false } } }, extra);
  }

  function durationChart(container, data, width) {
    const xs = data.points.map((p) => Date.parse(p.date) / 1000);
    const base = xs.map((x) => baselineAt(data.epochs, x));
    const warning = base.map((b) => (b === null ? null : b * 1.2));
    const critical = base.map((b) => (b === null ? null : b * 1.5));
    const ceiling = base.map((b) => (b === null ? null : b * 2.5));
    const regressed = data.points.map((p) => (p.status === 'regression' ? p.median : null));
    const tip = tooltipFor(container);
    const epochTimes = data.epochs.map((e) => Date.parse(e.createdAt) / 1000);
    const opts = chartOptions('Duration per call (median, p25–p75 band)', width, [
      {},
      { label: 'p75', stroke: 'rgba(51,88,212,0.25)', value: (u, v) => formatDuration(v) },
      { label: 'median', stroke: '#3358d4', width: 2, value: (u, v) => formatDuration(v), points: { show: true, size: 4 } },
      { label: 'p25', stroke: 'rgba(51,88,212,0.25)', value: (u, v) => formatDuration(v) },
      { label: 'baseline', stroke: '#1d2330', dash: [6, 4], value: (u, v) => formatDuration(v) },
      { label: 'warning ×1.2', stroke: 'rgba(217,119,6,0.6)', value: (u, v) => formatDuration(v) },
      { label: 'critical ×1.5', stroke: 'rgba(209,52,59,0.6)', value: (u, v) => formatDuration(v) },
      { label: 'zone top', stroke: 'transparent', value: () => '' },
      { label: 'regression', stroke: '#d1343b', paths: () => null, points: { show: true, size: 10, fill: '#d1343b' }, value: (u, v) => (v === null ? '' : formatDuration(v)) },
    ], {
      axes: [{}, { size: 80, values: (u, values) => values.map(formatDuration) }],
      bands: [
        { series: [1, 3], fill: 'rgba(51,88,212,0.12)' },
        { series: [6, 5], fill: 'rgba(217,119,6,0.10)' },
        { series: [7, 6], fill: 'rgba(209,52,59,0.10)' },
      ],
      hooks: {
        draw: [
          (u) => {
            const { ctx } = u;
            ctx.save();
            ctx.strokeStyle = 'rgba(29,35,48,0.45)';
            ctx.setLineDash([3, 3]);
            for (const t of epochTimes) {
              const x = u.valToPos(t, 'x', true);
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
        setCursor: [
          (u) => {
            const i = u.cursor.idx;
            if (i === null || i === undefined || u.cursor.left < 0) {
              tip.style.display = 'none';
              return;
            }
            const p = data.points[i];
            tip.textContent = `${new Date(p.date).toLocaleString()}\ncommit ${p.commit ? p.commit.slice(0, 12) : '–'} on ${p.branch || '–'}\nmedian ${formatDuration(p.median)} (p25 ${formatDuration(p.p25)}, p75 ${formatDuration(p.p75)})\nfactor ${formatFactor(p.factor)} · ${p.status}`;
            tip.style.display = 'block';
            tip.style.left = `${Math.min(u.cursor.left + 20, width - 260)}px`;
            tip.style.top = `${u.cursor.top + 40}px`;
          },
        ],
      },
    });
    const chart = new uPlot(opts, [xs, data.points.map((p) => p.p75), data.points.map((p) => p.median), data.points.map((p) => p.p25), base, warning, critical, ceiling, regressed], container);
    // The zone-top series only bounds the red band; it has nothing to say in the legend.
    const legendRows = chart.root.querySelectorAll('.u-legend .u-series');
    if (legendRows[7]) legendRows[7].style.display = 'none';
    state.charts.push(chart);
  }

  function simpleChart(container, title, xs, values, label, color, format, width) {
    const chart = new uPlot(
      chartOptions(title, width, [{}, { label, stroke: color, width: 2, value: (u, v) => format(v), points: { show: true, size: 4 } }], { axes: [{}, { size: 80, values: (u, vs) => vs.map(format) }] }),
      [xs, values],
      container,
    );
    state.charts.push(chart);
  }

  function renderTest(data) {
    destroyCharts();
    const width = Math.max(360, Math.min(1340, view.clientWidth - 40));
    const latest = data.points[data.points.length - 1];
    const xs = data.points.map((p) => Date.parse(p.date) / 1000);
    const durationBox = el('div', { className: 'chart', id: 'duration-chart' });
    const memoryBox = el('div', { className: 'chart' });
    const cpuBox = el('div', { className: 'chart' });
    const epochs = el(
      'ul',
      { className: 'plain' },
      data.epochs.map((e) => el('li', { text: `${new Date(e.createdAt).toLocaleString()} · ${e.isDeleted ? 'deleted' : formatDuration(e.median)} · ${e.commit ? e.commit.slice(0, 12) : '–'} · ${e.reason || ''}` })),
    );
    view.replaceChildren(
      el('p', {}, [el('a', { href: '#/', text: '← all tests' })]),
      el('h1', { text: data.name }),
      el('div', { className: 'cards' }, [
        card(formatDuration(latest.median), 'latest median'),
        card(formatFactor(latest.factor), 'factor'),
        card(latest.status, 'verdict'),
        card(data.points.length, 'runs shown'),
      ]),
      durationBox,
      el('p', { className: 'legend-note' }, [
        'Bands:',
        el('span', { style: 'background: rgba(51,88,212,0.25)' }),
        'p25–p75',
        el('span', { style: 'background: rgba(217,119,6,0.35)' }),
        'warning zone (×1.2–×1.5)',
        el('span', { style: 'background: rgba(209,52,59,0.35)' }),
        'critical zone (over ×1.5); dashed verticals mark baseline epochs',
      ]),
      el('div', { className: 'grid2' }, [memoryBox, cpuBox]),
      el('h2', { text: 'Baseline epochs' }),
      el('div', { className: 'panel' }, [epochs]),
    );
    durationChart(durationBox, data, width);
    const half = Math.max(320, Math.floor(width / 2) - 30);
    simpleChart(memoryBox, 'Heap growth per call', xs, data.points.map((p) => p.memory), 'memory', '#7c3aed', (v) => (v === null ? '–' : `${(v * 1024).toFixed(1)} KB`), half);
    simpleChart(cpuBox, 'CPU while running', xs, data.points.map((p) => p.cpu), 'cpu', '#0f8a8a', (v) => (v === null ? '–' : `${v.toFixed(1)} %`), half);
  }

  // ---- regressions and coverage --------------------------------------------------------
  function renderRegressions(data) {
    const rows = data.regressions.map((r) =>
      el('tr', {}, [
        el('td', { className: 'num', text: new Date(r.date).toLocaleString() }),
        el('td', { className: 'name' }, [testLink(r.name)]),
        el('td', {}, [badge(r.severity)]),
        el('td', { className: 'num', text: formatFactor(r.factor) }),
        el('td', { className: 'num', text: formatDuration(r.median) }),
        el('td', { text: r.commit ? r.commit.slice(0, 12) : '–' }),
        el('td', { text: r.branch || '–' }),
      ]),
    );
    const head = el('tr', {}, ['when', 'test', 'severity', 'factor', 'median', 'commit', 'branch'].map((label) => el('th', { text: label })));
    view.replaceChildren(
      el('h1', { text: 'Regressions' }),
      el('p', { className: 'muted', text: 'Every confirmed regression, newest first.' }),
      rows.length === 0 ? el('div', { className: 'empty', text: 'No regressions recorded.' }) : el('table', { id: 'regressions' }, [el('thead', {}, [head]), el('tbody', {}, rows)]),
    );
  }

  function listPanel(title, names, describe) {
    const items = names.length === 0 ? [el('li', { className: 'muted', text: 'none' })] : names.map((item) => el('li', {}, describe(item)));
    return el('div', { className: 'panel' }, [el('h2', { text: `${title} (${names.length})` }), el('ul', { className: 'plain' }, items)]);
  }

  function renderCoverage(data) {
    view.replaceChildren(
      el('h1', { text: 'Coverage' }),
      el('div', { className: 'cards' }, [card(data.testsInLatestRun.length, 'tests in latest run'), card(data.withBaseline.length, 'with baseline'), card(data.withoutBaseline.length, 'without baseline'), card(data.staleBaselines.length, 'stale baselines')]),
      el('div', { className: 'grid2' }, [
        listPanel('Without a baseline', data.withoutBaseline, (name) => [testLink(name)]),
        listPanel('Baselines not exercised recently', data.staleBaselines, (s) => [testLink(s.name), ` · last ran ${s.lastRunAt ? new Date(s.lastRunAt).toLocaleString() : 'never'} · ${s.runsSince} runs since`]),
        listPanel('On another environment than their baseline', data.environmentMismatches, (m) => [testLink(m.name), ` · ran on ${m.resultEnvironment}, baseline from ${m.baselineEnvironment}`]),
        listPanel('With a baseline', data.withBaseline, (name) => [testLink(name)]),
      ]),
    );
  }

  // ---- routing and live updates ----------------------------------------------------------
  function route() {
    const hash = location.hash || '#/';
    if (hash.startsWith('#/test/')) return { view: 'test', name: decodeURIComponent(hash.slice('#/test/'.length)) };
    if (hash === '#/regressions') return { view: 'regressions' };
    if (hash === '#/coverage') return { view: 'coverage' };
    return { view: 'overview' };
  }

  async function render() {
    const current = route();
    for (const link of document.querySelectorAll('nav a')) link.classList.toggle('active', link.dataset.view === current.view);
    try {
      if (current.view === 'test') renderTest(await getJson(`/api/tests/${encodeURIComponent(current.name)}`));
      else {
        destroyCharts();
        if (current.view === 'regressions') renderRegressions(await getJson('/api/regressions'));
        else if (current.view === 'coverage') renderCoverage(await getJson('/api/coverage'));
        else renderOverview(await getJson('/api/overview'));
      }
      document.body.dataset.rendered = String(Date.now());
    } catch (error) {
      showError(error);
    }
  }

  function connect() {
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
})();
