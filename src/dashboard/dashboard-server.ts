import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { DEFAULT_THRESHOLDS } from '../detector';
import { describeError, isStoreError } from '../errors';
import { openStore, type PerfguardStore, type SeriesPoint } from '../store';
import { BadRequestError, decodeSegment, readCount, readMode } from './_query-params';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** The store: a SQLite file or a `postgres://` URL, opened read-only. */
  dbPath: string;
  /** @default 5000 */
  port?: number;
  /** @default '127.0.0.1' (only this machine) */
  host?: string;
  /** How often the live feed looks for new results, in ms. @default 1000 */
  pollMs?: number;
  /** Runs since a baseline's test last ran before coverage calls it stale. @default 10 */
  staleRuns?: number;
}

/** A running dashboard. */
export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

/** @default 5000 */
export const DEFAULT_DASHBOARD_PORT = 5000;
/** @default '127.0.0.1' */
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';

const STATIC_DIR = path.join(__dirname, 'static');

/**
 * The page's modules, compiled from src/dashboard/page by `npm run build`: beside this file in
 * the package, else (running perfguard's own sources) in the build.
 */
function pageDirectory(): string {
  const candidates = [path.join(STATIC_DIR, 'page'), path.resolve(__dirname, '../../dist/dashboard/static/page')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'main.js'))) ?? candidates[0] ?? '';
}

/** The only files the server ever sends: name → [path, content type]. Nothing else is reachable. */
function staticFiles(): Map<string, [string, string]> {
  const uplotDir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  const pageDir = pageDirectory();
  const modules = fs.existsSync(pageDir) ? fs.readdirSync(pageDir).filter((file) => /^[a-z-]+\.js$/.test(file)) : [];
  return new Map<string, [string, string]>([
    ['/', [path.join(STATIC_DIR, 'index.html'), 'text/html; charset=utf-8']],
    ['/static/style.css', [path.join(STATIC_DIR, 'style.css'), 'text/css; charset=utf-8']],
    ['/static/uPlot.iife.min.js', [path.join(uplotDir, 'uPlot.iife.min.js'), 'text/javascript; charset=utf-8']],
    ['/static/uPlot.min.css', [path.join(uplotDir, 'uPlot.min.css'), 'text/css; charset=utf-8']],
    ...modules.map((file): [string, [string, string]] => [`/static/page/${file}`, [path.join(pageDir, file), 'text/javascript; charset=utf-8']]),
  ]);
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
  'Referrer-Policy': 'no-referrer',
};

function send(response: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...SECURITY_HEADERS });
  response.end(body);
}

function sendJson(response: http.ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function errorPage(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>perfguard dashboard</title><link rel="stylesheet" href="/static/style.css"></head>
<body><main class="error-page"><h1>perfguard cannot read its store</h1><p class="error-message">${escapeHtml(message)}</p>
<p>Fix the store (or pass <code>--db</code> with the right file) and reload this page.</p></main></body></html>`;
}

/**
 * The duration thresholds a test's chart draws: those its latest verdict used (a benchmark may
 * set its own), else the defaults for results stored before thresholds were recorded.
 */
function thresholdsOf(points: readonly SeriesPoint[]): { warning: number; critical: number } {
  const latest = [...points].reverse().find((point) => point.warning !== null && point.critical !== null);
  return { warning: latest?.warning ?? DEFAULT_THRESHOLDS.duration.warning, critical: latest?.critical ?? DEFAULT_THRESHOLDS.duration.critical };
}

/** Serves the store's history read-only: the page, its JSON endpoints and a live feed. */
export class DashboardServer {
  private store: Promise<PerfguardStore> | undefined;
  private readonly files = staticFiles();
  private readonly server: http.Server;
  private readonly streams = new Set<http.ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private lastMarker = '';

  constructor(private readonly options: Required<Omit<DashboardOptions, 'port' | 'host'>>) {
    this.server = http.createServer((request, response) => this.handle(request, response));
  }

  /** The store, opened (read-only) on first need; an error names the problem. */
  private openStore(): Promise<PerfguardStore> {
    this.store ??= openStore(this.options.dbPath, { readonly: true });
    return this.store;
  }

  /** Forgets the store, so the next request opens it again (it may have been fixed meanwhile). */
  private dropStore(): Promise<void> {
    const store = this.store;
    this.store = undefined;
    // A store that failed to open has nothing to close; its error was answered already.
    return store?.then((open) => open.close()).catch(() => undefined) ?? Promise.resolve();
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { error: 'the dashboard is read-only: only GET is served' });
      return;
    }
    const answered = url.pathname.startsWith('/api/') ? this.handleApi(url, response) : this.handleStatic(url, response);
    answered.catch((error: unknown) => this.answerError(url, response, error));
  }

  /** 400 for a malformed request; 503 when the store cannot be read (reopened next time); 500 for a bug. */
  private answerError(url: URL, response: http.ServerResponse, error: unknown): void {
    const status = error instanceof BadRequestError ? 400 : isStoreError(error) ? 503 : 500;
    if (status !== 400) void this.dropStore();
    const message = describeError(error).replace(/^\w*Error: /, '');
    if (url.pathname.startsWith('/api/')) sendJson(response, status, { error: message });
    else send(response, status, 'text/html; charset=utf-8', errorPage(message));
  }

  private async handleStatic(url: URL, response: http.ServerResponse): Promise<void> {
    const entry = this.files.get(url.pathname);
    if (entry === undefined) {
      send(response, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    if (url.pathname === '/') await this.openStore();
    send(response, 200, entry[1], fs.readFileSync(entry[0]));
  }

  private async handleApi(url: URL, response: http.ServerResponse): Promise<void> {
    const parts = url.pathname.split('/').slice(2);
    const route = parts[0] ?? '';
    if (route === 'events' && parts.length === 1) {
      await this.openStore();
      this.subscribe(response);
      return;
    }
    const answer = await this.answerApi(route, parts, url);
    if (answer === undefined) sendJson(response, 404, { error: `unknown endpoint ${url.pathname}` });
    else sendJson(response, answer.status, answer.body);
  }

  /** The JSON answer of an endpoint, or undefined for none. Bad parameters throw a BadRequestError before the store is read. */
  private async answerApi(route: string, parts: string[], url: URL): Promise<{ status: number; body: unknown } | undefined> {
    if (route === 'overview' && parts.length === 1) {
      const queries = (await this.openStore()).dashboard();
      return { status: 200, body: { generatedAt: new Date().toISOString(), tests: await queries.overview(30) } };
    }
    if (route === 'tests' && parts.length === 2) {
      const name = decodeSegment(parts[1] ?? '', 'test name');
      const limit = readCount(url, 'limit', 500);
      const asked = readMode(url);
      const queries = (await this.openStore()).dashboard();
      // Counts and times never share a chart: the mode asked for, else the latest result's.
      const mode = asked ?? ((await queries.series(name, 1))[0]?.mode === 'instructions' ? 'instructions' : 'time');
      const [points, allEpochs, modes] = await Promise.all([queries.series(name, limit, mode), queries.epochs(name), queries.modes(name)]);
      if (points.length === 0) return { status: 404, body: { error: `no results for test '${name}'${asked === undefined ? '' : ` measured in ${asked} mode`}` } };
      const epochs = allEpochs.filter((epoch) => epoch.mode === mode);
      return { status: 200, body: { name, mode, modes, points, epochs, thresholds: thresholdsOf(points) } };
    }
    if (route === 'regressions' && parts.length === 1) {
      const limit = readCount(url, 'limit', 200);
      return { status: 200, body: { regressions: await (await this.openStore()).dashboard().regressions(limit) } };
    }
    if (route === 'coverage' && parts.length === 1) {
      const stale = readCount(url, 'stale', this.options.staleRuns);
      return { status: 200, body: await (await this.openStore()).dashboard().coverage(stale) };
    }
    return undefined;
  }

  /** Server-sent events: `change` whenever new results are committed to the store. */
  private subscribe(response: http.ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', ...SECURITY_HEADERS });
    response.write(`retry: ${this.options.pollMs}\n\n`);
    this.streams.add(response);
    response.on('close', () => this.streams.delete(response));
  }

  private async poll(): Promise<void> {
    if (this.streams.size === 0) return;
    try {
      const marker = await (await this.openStore()).dashboard().changeMarker();
      if (marker === this.lastMarker) return;
      const isFirst = this.lastMarker === '';
      this.lastMarker = marker;
      if (isFirst) return;
      for (const stream of this.streams) stream.write(`event: change\ndata: ${JSON.stringify({ marker })}\n\n`);
    } catch {
      void this.dropStore();
    }
  }

  /** Starts listening. */
  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    this.timer = setInterval(() => void this.poll(), this.options.pollMs);
    const address = this.server.address();
    const actualPort = typeof address === 'object' && address !== null ? address.port : port;
    return `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  }

  /** Stops listening and closes the store. */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const stream of this.streams) stream.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.dropStore();
  }
}

/**
 * Starts the dashboard. Binds to 127.0.0.1 unless `host` says otherwise; reads the store
 * read-only; a missing or corrupt store gives a readable error page, not a crash.
 * @example const dashboard = await startDashboard({ dbPath: 'baselines/perfguard.db' });
 */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const server = new DashboardServer({ dbPath: options.dbPath, pollMs: options.pollMs ?? 1000, staleRuns: options.staleRuns ?? 10 });
  const url = await server.listen(options.port ?? DEFAULT_DASHBOARD_PORT, options.host ?? DEFAULT_DASHBOARD_HOST);
  return { url, close: () => server.close() };
}
