import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/dashboard-server';
import { browserAvailable, CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser';
import { REPO_ROOT } from '../helpers/packed-project';
import { openStore } from '../../src/store/open-store';
import { plantedHistory, writeHistory } from '../helpers/planted-history';
import { seedStore } from '../helpers/seeded-store';

// The dashboard in a real browser: Debian's Chromium driven by playwright-core.
const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'dashboard');
const describeBrowser = browserAvailable() ? describe : describe.skip;

describeBrowser('the dashboard in Chromium', () => {
  let tmp: string;
  let db: string;
  let browser: Browser;
  let dashboard: RunningDashboard;
  let page: Page;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-browser-'));
    db = path.join(tmp, 'perf.db');
    const runs = Array.from({ length: 12 }, (_, i) => ({
      json_round_trip: 2_000_000 * (1 + 0.02 * Math.sin(i)),
      sort_10k: i < 8 ? 3_000_000 : 4_800_000,
      [HOSTILE]: 1_000_000,
    }));
    await seedStore(db, runs);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    dashboard = await startDashboard({ dbPath: db, port: 0, pollMs: 300 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('loads the overview with every test, its sparkline and verdict', async () => {
    await page.goto(dashboard.url);
    await page.waitForSelector('#overview tbody tr');
    const names = await page.$$eval('#overview tbody tr td.name', (cells) => cells.map((cell) => cell.textContent));
    expect(names.sort()).toEqual([HOSTILE, 'json_round_trip', 'sort_10k'].sort());
    expect(await page.$$eval('#overview svg.spark polyline', (lines) => lines.length)).toBe(3);
    expect(await page.textContent('tr[data-test="sort_10k"] .badge')).toBe('regression');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'overview.png'), fullPage: true });
  });

  it('filters and sorts the overview', async () => {
    await page.fill('input[type=search]', 'sort');
    expect(await page.$$eval('#overview tbody tr', (rows) => rows.length)).toBe(1);
    await page.fill('input[type=search]', '');
    await page.click('th:has-text("latest median")');
    const first = await page.$eval('#overview tbody tr td.name', (cell) => cell.textContent);
    expect(first).toBe(HOSTILE);
  });

  it('renders a hostile test name as inert text', async () => {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('#overview img, #overview script', (nodes) => nodes.length)).toBe(0);
    await page.click(`text=${HOSTILE}`);
    await page.waitForSelector('#duration-chart canvas');
    expect(await page.textContent('h1')).toBe(HOSTILE);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it("opens a test and draws its duration chart with the baseline and regressions", async () => {
    await page.goto(`${dashboard.url}/#/test/${encodeURIComponent('sort_10k')}`);
    await page.waitForSelector('#duration-chart canvas');
    const painted = await page.$eval('#duration-chart canvas', (canvas) => {
      const context = (canvas as HTMLCanvasElement).getContext('2d');
      if (context === null) return 0;
      const { data } = context.getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
      let inked = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) inked++;
      return inked;
    });
    expect(painted).toBeGreaterThan(1000);
    const legend = await page.$$eval('#duration-chart .u-legend th', (cells) => cells.map((cell) => cell.textContent));
    expect(legend.join(' ')).toMatch(/median.*baseline.*warning ×1\.2.*critical ×1\.5.*regression/);
    await page.hover('#duration-chart .u-over', { position: { x: 600, y: 100 } });
    expect(await page.textContent('#duration-chart .tooltip')).toMatch(/commit c0ffee\d+ on main[\s\S]*detectable \d\.\d\dx/);
    expect(await page.textContent('.legend-note')).toContain('warning zone (×1.2–×1.5)');
    const cards = await page.$$eval('.cards .label', (labels) => labels.map((label) => label.textContent));
    expect(cards).toContain('detectable');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'test-page.png'), fullPage: true });
  });

  it('shows a test measured in both modes one mode at a time, with a switch to the other', async () => {
    const file = path.join(tmp, 'both-modes.db');
    const store = await openStore(file);
    await writeHistory(store, plantedHistory());
    await store.close();
    const both = await startDashboard({ dbPath: file, port: 0 });
    try {
      await page.goto(`${both.url}/#/test/gamma/mode/time`);
      await page.waitForSelector('.mode-switch');
      expect(await page.textContent('.mode-switch strong')).toBe('time');
      expect(await page.$$eval('.cards .label', (labels) => labels.map((label) => label.textContent))).toContain('latest median');
      await page.click('.mode-switch a:has-text("instructions")');
      await page.waitForFunction(() => document.querySelector('.mode-switch strong')?.textContent === 'instructions');
      await page.waitForSelector('#duration-chart canvas');
      expect(await page.$$eval('.cards .label', (labels) => labels.map((label) => label.textContent))).toContain('instructions per call');
      expect(await page.textContent('.cards .value')).toMatch(/^\d+(\.\d+)? M$/);
      expect(await page.textContent('#duration-chart')).toContain('Instructions per call');
    } finally {
      await both.close();
    }
  });

  it('lists regressions newest first, each linking to its test', async () => {
    await page.goto(`${dashboard.url}/#/regressions`);
    await page.waitForSelector('#regressions tbody tr');
    const first = await page.$eval('#regressions tbody tr a', (link) => (link as HTMLAnchorElement).getAttribute('href'));
    expect(first).toBe('#/test/sort_10k');
  });

  it('shows coverage', async () => {
    await page.goto(`${dashboard.url}/#/coverage`);
    await page.waitForSelector('.cards');
    expect(await page.textContent('main')).toContain('tests in latest run');
  });

  it('shows new results live, without a reload', async () => {
    await page.goto(dashboard.url);
    await page.waitForSelector('#overview tbody tr');
    const loadedAt = await page.evaluate(() => performance.timeOrigin);
    await seedStore(db, [{ arrived_while_open: 1_500_000 }], 'live');
    await page.waitForSelector('tr[data-test="arrived_while_open"]', { timeout: 10_000 });
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loadedAt);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'live-update.png'), fullPage: true });
  });
});
