import type { EpochPoint, SeriesPoint, TestResponse } from './api.js';
import { card, el } from './dom.js';
import { formatCount, formatDuration, formatFactor, formatMemory } from './format.js';
import { Chart, type ChartOptions, type ChartSeries } from './uplot-global.js';

/** The baseline median in force at `time` (seconds), or null. */
function baselineAt(epochs: readonly EpochPoint[], time: number): number | null {
  let current: number | null = null;
  for (const epoch of epochs) if (Date.parse(epoch.createdAt) / 1000 <= time + 1) current = epoch.isDeleted ? null : epoch.median;
  return current;
}

function chartOptions(title: string, width: number, series: ChartSeries[], extra: Partial<ChartOptions>): ChartOptions {
  return { title, width, height: 260, series, scales: { x: { time: true } }, axes: [{}, { size: 80 }], legend: { show: true }, cursor: { drag: { x: true, y: false } }, ...extra };
}

/** The duration chart's lines, by name: their order is the data's, and bands refer to them by name. */
const DURATION_LINES = ['p75', 'median', 'p25', 'baseline', 'warning', 'critical', 'zoneTop', 'regressed'] as const;
type DurationLine = (typeof DURATION_LINES)[number];
const lineIndex = (line: DurationLine): number => DURATION_LINES.indexOf(line) + 1;

function tooltip(point: SeriesPoint): string {
  const commit = point.commit === null ? '–' : point.commit.slice(0, 12);
  const runs = point.runs > 1 ? ` over ${point.runs} runs` : '';
  return `${new Date(point.date).toLocaleString()}\ncommit ${commit} on ${point.branch ?? '–'}\nmedian ${formatDuration(point.median)} (p25 ${formatDuration(point.p25)}, p75 ${formatDuration(point.p75)})\nfactor ${formatFactor(point.factor)}${runs} · ${point.status}\ndetectable ${formatFactor(point.detectable)}`;
}

function drawEpochs(epochTimes: readonly number[]): (u: Chart) => void {
  return (u) => {
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
  };
}

function durationSeries(warning: number, critical: number): ChartSeries[] {
  const value = (_u: Chart, v: number | null): string => (v === null ? '' : formatDuration(v));
  const specs: Record<DurationLine, ChartSeries> = {
    p75: { label: 'p75', stroke: 'rgba(51,88,212,0.25)', value },
    median: { label: 'median', stroke: '#3358d4', width: 2, value, points: { show: true, size: 4 } },
    p25: { label: 'p25', stroke: 'rgba(51,88,212,0.25)', value },
    baseline: { label: 'baseline', stroke: '#1d2330', dash: [6, 4], value },
    warning: { label: `warning ×${warning}`, stroke: 'rgba(217,119,6,0.6)', value },
    critical: { label: `critical ×${critical}`, stroke: 'rgba(209,52,59,0.6)', value },
    zoneTop: { label: 'zone top', stroke: 'transparent', value: () => '', show: true },
    regressed: { label: 'regression', stroke: '#d1343b', paths: () => null, points: { show: true, size: 10, fill: '#d1343b' }, value },
  };
  return [{}, ...DURATION_LINES.map((line) => specs[line])];
}

/** Duration per call over runs: median with a p25–p75 band, the baseline, the test's own warning and critical zones, regressions, epochs. */
function durationChart(container: HTMLElement, data: TestResponse, width: number): Chart {
  const { warning, critical } = data.thresholds;
  const xs = data.points.map((p) => Date.parse(p.date) / 1000);
  const base = xs.map((x) => baselineAt(data.epochs, x));
  const scaled = (factor: number): (number | null)[] => base.map((b) => (b === null ? null : b * factor));
  const columns: Record<DurationLine, (number | null)[]> = {
    p75: data.points.map((p) => p.p75),
    median: data.points.map((p) => p.median),
    p25: data.points.map((p) => p.p25),
    baseline: base,
    warning: scaled(warning),
    critical: scaled(critical),
    zoneTop: scaled(critical * 1.7),
    regressed: data.points.map((p) => (p.status === 'regression' ? p.median : null)),
  };
  const tip = el('div', { className: 'tooltip' });
  container.append(tip);
  const epochTimes = data.epochs.map((e) => Date.parse(e.createdAt) / 1000);
  const opts = chartOptions(`Duration per call (median, p25–p75 band; warning ×${warning}, critical ×${critical})`, width, durationSeries(warning, critical), {
    axes: [{}, { size: 80, values: (_u: Chart, values: number[]) => values.map(formatDuration) }],
    bands: [
      { series: [lineIndex('p75'), lineIndex('p25')], fill: 'rgba(51,88,212,0.12)' },
      { series: [lineIndex('critical'), lineIndex('warning')], fill: 'rgba(217,119,6,0.10)' },
      { series: [lineIndex('zoneTop'), lineIndex('critical')], fill: 'rgba(209,52,59,0.10)' },
    ],
    hooks: {
      draw: [drawEpochs(epochTimes)],
      setCursor: [
        (u: Chart) => {
          const i = u.cursor.idx;
          const point = i === null || i === undefined ? undefined : data.points[i];
          if (point === undefined || (u.cursor.left ?? -1) < 0) {
            tip.style.display = 'none';
            return;
          }
          tip.textContent = tooltip(point);
          tip.style.display = 'block';
          tip.style.left = `${Math.min((u.cursor.left ?? 0) + 20, width - 260)}px`;
          tip.style.top = `${(u.cursor.top ?? 0) + 40}px`;
        },
      ],
    },
  });
  const chart = new Chart(opts, [xs, ...DURATION_LINES.map((line) => columns[line])] as never, container);
  // The zone top only bounds the red band; it has nothing to say in the legend.
  const legendRows = chart.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
  const zoneRow = legendRows[lineIndex('zoneTop')];
  if (zoneRow !== undefined) zoneRow.style.display = 'none';
  return chart;
}

function simpleChart(container: HTMLElement, title: string, xs: number[], values: (number | null)[], label: string, color: string, format: (v: number | null) => string, width: number): Chart {
  const series: ChartSeries[] = [{}, { label, stroke: color, width: 2, value: (_u: Chart, v: number | null) => format(v), points: { show: true, size: 4 } }];
  return new Chart(chartOptions(title, width, series, { axes: [{}, { size: 80, values: (_u: Chart, vs: number[]) => vs.map((v) => format(v)) }] }), [xs, values] as never, container);
}

/** A test's page: its cards, the duration chart, heap and CPU charts, and its baseline epochs. Returns the charts drawn. */
export function renderTest(view: HTMLElement, data: TestResponse): Chart[] {
  const width = Math.max(360, Math.min(1340, view.clientWidth - 40));
  const latest = data.points[data.points.length - 1];
  const isCounted = data.mode === 'instructions';
  const xs = data.points.map((p) => Date.parse(p.date) / 1000);
  const durationBox = el('div', { className: 'chart', id: 'duration-chart' });
  const memoryBox = el('div', { className: 'chart' });
  const cpuBox = el('div', { className: 'chart' });
  const { warning, critical } = data.thresholds;
  const epochs = el(
    'ul',
    { className: 'plain' },
    data.epochs.map((e) => el('li', { text: `${new Date(e.createdAt).toLocaleString()} · ${e.isDeleted ? 'deleted' : isCounted ? formatCount(e.instructions) : formatDuration(e.median)} · ${e.commit === null ? '–' : e.commit.slice(0, 12)} · ${e.reason ?? ''}` })),
  );
  // A test measured in both modes: one mode at a time, with links to the other.
  const modeSwitch =
    data.modes.length < 2
      ? []
      : [
          el('p', { className: 'mode-switch' }, [
            'Measured in: ',
            ...data.modes.flatMap((mode, i) => [
              ...(i === 0 ? [] : [' · ']),
              mode === data.mode ? el('strong', { text: mode }) : el('a', { href: `#/test/${encodeURIComponent(data.name)}/mode/${mode}`, text: mode }),
            ]),
          ]),
        ];
  view.replaceChildren(
    el('p', {}, [el('a', { href: '#/', text: '← all tests' })]),
    el('h1', { text: data.name }),
    ...modeSwitch,
    el('div', { className: 'cards' }, [
      isCounted ? card(formatCount(latest?.instructions), 'instructions per call') : card(formatDuration(latest?.median), 'latest median'),
      card(formatFactor(latest?.factor), 'factor'),
      card(formatFactor(latest?.detectable), 'detectable'),
      card(latest?.status ?? '–', 'verdict'),
      card(data.points.length, 'runs shown'),
    ]),
    durationBox,
    el('p', { className: 'legend-note' }, [
      'Bands:',
      el('span', { style: 'background: rgba(51,88,212,0.25)' }),
      'p25–p75',
      el('span', { style: 'background: rgba(217,119,6,0.35)' }),
      `warning zone (×${warning}–×${critical})`,
      el('span', { style: 'background: rgba(209,52,59,0.35)' }),
      `critical zone (over ×${critical}); dashed verticals mark baseline epochs; "detectable" is the smallest slowdown the verdict could prove`,
    ]),
    el('div', { className: 'grid2' }, [memoryBox, cpuBox]),
    el('h2', { text: 'Baseline epochs' }),
    el('div', { className: 'panel' }, [epochs]),
  );
  const half = Math.max(320, Math.floor(width / 2) - 30);
  // Instructions mode judges counts; the duration is wall time under Valgrind, not drawn.
  const main =
    isCounted
      ? simpleChart(durationBox, 'Instructions per call (counted under Valgrind)', xs, data.points.map((p) => p.instructions), 'instructions', '#3358d4', formatCount, width)
      : durationChart(durationBox, data, width);
  return [
    main,
    simpleChart(memoryBox, 'Heap growth per call', xs, data.points.map((p) => p.memory), 'memory', '#7c3aed', formatMemory, half),
    simpleChart(cpuBox, 'CPU time per call (all threads: the code, the JIT and the GC)', xs, data.points.map((p) => p.cpuTimePerCall), 'CPU time', '#0f8a8a', formatDuration, half),
  ];
}
