import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describeError, isStoreError } from '../errors';
import { SqliteStore } from '../store';
import { BadRequestError, decodeSegment, readCount } from './_query-params';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** Store file, opened read-only. */
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

/** The only files the server ever sends: name → [path, content type]. Nothing else is reachable. */
function staticFiles(): Map<string, [string, string]> {
  const uplotDir = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  return new Map([
    ['/', [path.join(STATIC_DIR, 'index.html'), 'text/html; charset=utf-8']],
    ['/static/app.js', [path.join(STATIC_DIR, 'app.js'), 'text/javascript; charset=utf-8']],
    ['/static/style.css', [path.join(STATIC_DIR, 'style.css'), 'text/css; charset=utf-8']],
    ['/static/uPlot.iife.min.js', [path.join(uplotDir, 'uPlot.iife.min.js'), 'text/javascript; charset=utf-8']],
    ['/static/uPlot.min.css', [path.join(uplotDir, 'uPlot.min.css'), 'text/css; charset=utf-8']],
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

/** Serves the store's history read-only: the page, its JSON endpoints and a live feed. */
export class DashboardServer {
  private store: SqliteStore | undefined;
  private readonly files = staticFiles();
  private readonly server: http.Server;
  private readonly streams = new Set<http.ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private lastMarker = '';

  constructor(private readonly options: Required<Omit<DashboardOptions, 'port' | 'host'>>) {
    this.server = http.createServer((request, response) => this.handle(request, response));
  }

  /** The store, opened (read-only) on first need; an error names the problem. */
  private openStore(): SqliteStore {
    this.store ??= SqliteStore.open(this.options.dbPath, { readonly: true });
    return this.store;
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { error: 'the dashboard is read-only: only GET is served' });
      return;
    }
    try {
      if (url.pathname.startsWith('/api/')) this.handleApi(url, response);
      else this.handleStatic(url, response);
    } catch (error) {
      this.answerError(url, response, error);
    }
  }

  /** 400 for a malformed request; 503 when the store cannot be read (reopened next time); 500 for a bug. */
  private answerError(url: URL, response: http.ServerResponse, error: unknown): void {
    const status = error instanceof BadRequestError ? 400 : isStoreError(error) ? 503 : 500;
    if (status !== 400) {
      this.store?.close();
      this.store = undefined;
    }
    const message = describeError(error).replace(/^\w*Error: /, '');
    if (url.pathname.startsWith('/api/')) sendJson(response, status, { error: message });
    else send(response, status, 'text/html; charset=utf-8', errorPage(message));
  }

  private handleStatic(url: URL, response: http.ServerResponse): void {
    const entry = this.files.get(url.pathname);
    if (entry === undefined) {
      send(response, 404, 'text/plain; charset=utf-8', 'Not found');
      return;
    }
    if (url.pathname === '/') this.openStore();
    send(response, 200, entry[1], fs.readFileSync(entry[0]));
  }

  private handleApi(url: URL, response: http.ServerResponse): void {
    const parts = url.pathname.split('/').slice(2);
    const route = parts[0] ?? '';
    if (route === 'events' && parts.length === 1) {
      this.openStore();
      this.subscribe(response);
      return;
    }
    const queries = this.openStore().dashboard();
    if (route === 'overview' && parts.length === 1) {
      sendJson(response, 200, { generatedAt: new Date().toISOString(), tests: queries.overview(30) });
    } else if (route === 'tests' && parts.length === 2) {
      const name = decodeSegment(parts[1] ?? '', 'test name');
      const points = queries.series(name, readCount(url, 'limit', 500));
      if (points.length === 0) sendJson(response, 404, { error: `no results for test '${name}'` });
      else sendJson(response, 200, { name, points, epochs: queries.epochs(name) });
    } else if (route === 'regressions' && parts.length === 1) {
      sendJson(response, 200, { regressions: queries.regressions(readCount(url, 'limit', 200)) });
    } else if (route === 'coverage' && parts.length === 1) {
      sendJson(response, 200, queries.coverage(readCount(url, 'stale', this.options.staleRuns)));
    } else {
      sendJson(response, 404, { error: `unknown endpoint ${url.pathname}` });
    }
  }

  /** Server-sent events: `change` whenever new results are committed to the store. */
  private subscribe(response: http.ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', ...SECURITY_HEADERS });
    response.write(`retry: ${this.options.pollMs}\n\n`);
    this.streams.add(response);
    response.on('close', () => this.streams.delete(response));
  }

  private poll(): void {
    if (this.streams.size === 0) return;
    try {
      const marker = this.openStore().dashboard().changeMarker();
      if (marker === this.lastMarker) return;
      const isFirst = this.lastMarker === '';
      this.lastMarker = marker;
      if (isFirst) return;
      for (const stream of this.streams) stream.write(`event: change\ndata: ${JSON.stringify({ marker })}\n\n`);
    } catch {
      this.store?.close();
      this.store = undefined;
    }
  }

  /** Starts listening. */
  async listen(port: number, host: string): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    this.timer = setInterval(() => this.poll(), this.options.pollMs);
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
    this.store?.close();
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
