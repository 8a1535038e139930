import { GITHUB_COMMENT_LIMIT, MARKDOWN_MARKER, renderMarkdown } from '../../src/report/render-markdown';
import { summarizeRun } from '../../src/report/run-summary';
import { plantedCountedReport, plantedReport } from '../helpers/reports';

describe('renderMarkdown', () => {
  const reports = [
    plantedReport('slow_one', { status: 'critical' }),
    plantedReport('steady', { status: 'pass', regressionFactor: 1.01 }),
    plantedReport('brand_new', { status: 'no-baseline' }),
    plantedReport('faster', { status: 'improved', regressionFactor: 0.7 }),
  ];

  it('starts with the hidden marker and a headline with counts', () => {
    const markdown = renderMarkdown(summarizeRun(null, reports));
    expect(markdown.startsWith(`${MARKDOWN_MARKER}\n## 🔴 perfguard: 1 critical regression\n`)).toBe(true);
    expect(markdown).toContain('1 critical, 0 warning, 1 improved, 0 inconclusive, 1 without baseline, 1 pass');
  });

  it('shows only changed rows in the main table and every row under a fold', () => {
    const markdown = renderMarkdown(summarizeRun(null, reports));
    const [main, folded] = markdown.split('<details>');
    expect(main).toContain('`slow_one`');
    expect(main).toContain('`brand_new`');
    expect(main).toContain('`faster`');
    expect(main).not.toContain('`steady`');
    expect(folded).toContain('<summary>All 4 tests</summary>');
    expect(folded).toContain('`steady`');
    expect(main).toContain('| 1.00 ms ± 20.0 µs (12 runs) | 994 µs ± 19.0 µs |');
    expect(main).toContain('1.60x [1.55, 1.66] | 99.99 % | 1.08x | 🔴 critical |');
  });

  it("names the baseline's commit", () => {
    expect(renderMarkdown(summarizeRun(null, reports))).toContain('Compared with baselines from commit `abcdef123456`.');
  });

  it('warns when baselines come from another environment', () => {
    const moved = [plantedReport('moved', { status: 'pass' }, { baselineEnvironment: 'darwin-arm64 node22 8x Apple M2' })];
    expect(renderMarkdown(summarizeRun(null, moved))).toMatch(/> \[!WARNING\]\n> Some baselines were measured on another environment \(darwin-arm64 node22 8x Apple M2\)/);
  });

  it('renders hostile test names inert inside table cells', () => {
    const hostile = [plantedReport('a|b <script>alert(1)</script>\nnext', { status: 'critical' })];
    const markdown = renderMarkdown(summarizeRun(null, hostile));
    expect(markdown).toContain('`a\\|b &lt;script&gt;alert(1)&lt;/script&gt; next`');
    expect(markdown).not.toContain('<script>');
  });

  it('stays under GitHub’s comment limit, cutting rows with a note', () => {
    const many = Array.from({ length: 3000 }, (_, i) => plantedReport(`test_number_${i}_${'x'.repeat(40)}`, { status: 'critical' }));
    const markdown = renderMarkdown(summarizeRun(null, many));
    expect(markdown.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(markdown).toMatch(/more rows cut to fit GitHub's comment limit/);
    expect(markdown.trimEnd().endsWith('</details>')).toBe(true);
  });

  it('shows an instruction count that moved 1 % or more in the main table, though it passed', () => {
    const [main] = renderMarkdown(summarizeRun(null, [plantedCountedReport('counted', 1.031), plantedReport('steady', { status: 'pass', regressionFactor: 1 })])).split('<details>');
    expect(main).toContain('| ✅ pass, +3.1 % instructions |');
    expect(main).not.toContain('`steady`');
    expect(main).not.toContain('No test changed beyond noise.');
  });

  it('says so when nothing changed', () => {
    const markdown = renderMarkdown(summarizeRun(null, [plantedReport('steady', { status: 'pass', regressionFactor: 1 })]));
    expect(markdown).toContain('## ✅ perfguard: no regressions');
    expect(markdown).toContain('No test changed beyond noise.');
  });
});
