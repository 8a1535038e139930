import fs from 'node:fs';
import path from 'node:path';

/**
 * Environment variable naming the folder callgrind writes this process's dumps to. The
 * launcher ({@link valgrindCommand}) sets it together with
 * `--callgrind-out-file=<folder>/callgrind.%p.out`, so dump number `n` of process `pid` is
 * `<folder>/callgrind.<pid>.out.<n>`. Child processes inherit it (Jest's in-band test files
 * read it from `process.env`).
 */
export const CALLGRIND_DIR_ENV = 'PERFGUARD_CALLGRIND_DIR';

/** The `--callgrind-out-file` name the launcher uses inside {@link CALLGRIND_DIR_ENV}; `%p` is the pid. */
export const CALLGRIND_OUT_FILE_NAME = 'callgrind.%p.out';

/** Where one process's numbered dumps are, and how their names look. */
export interface DumpLocation {
  dir: string;
  /** Matches the name of a dump of this process: `<base>.<n>`, or `<base>.<n>-<thread>` with --separate-threads. */
  fileName: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Where callgrind puts this process's dumps: the launcher's folder when
 * {@link CALLGRIND_DIR_ENV} is set, else Valgrind's default, `callgrind.out.<pid>` in the
 * folder Valgrind started in (taken to be the current one).
 */
export function resolveDumpLocation(env: NodeJS.ProcessEnv, pid: number, cwd: string): DumpLocation {
  const dir = env[CALLGRIND_DIR_ENV];
  const useLauncher = dir !== undefined && dir !== '';
  const base = useLauncher ? CALLGRIND_OUT_FILE_NAME.replace('%p', String(pid)) : `callgrind.out.${pid}`;
  return { dir: useLauncher ? dir : cwd, fileName: new RegExp(`^${escapeRegExp(base)}\\.\\d+(?:-\\d+)?$`) };
}

/** What one dump file says: the request that wrote it and its instruction total. */
export interface ParsedDump {
  /** The name given to `CALLGRIND_DUMP_STATS_AT`, or undefined for other triggers. */
  trigger: string | undefined;
  /** Instructions executed (the `Ir` event) over the dump's time range. */
  instructions: number | undefined;
}

const TRIGGER_PREFIX = 'desc: Trigger: Client Request: ';

/**
 * Reads a callgrind dump's header and totals. The format: `events:` names the columns
 * (`Ir` first unless a simulator adds more), `totals:` at the end sums the dump's cost lines,
 * and `summary:` in the header repeats it (callgrind 3.19 leaves it at 0 after a zeroing).
 */
export function parseDump(text: string): ParsedDump {
  let trigger: string | undefined;
  let irColumn = 0;
  let totals: number | undefined;
  let summary: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith(TRIGGER_PREFIX)) trigger = line.slice(TRIGGER_PREFIX.length);
    else if (line.startsWith('events:')) irColumn = Math.max(0, line.slice(7).trim().split(/\s+/).indexOf('Ir'));
    else if (line.startsWith('totals:')) totals = columnOf(line.slice(7), irColumn);
    else if (line.startsWith('summary:')) summary = columnOf(line.slice(8), irColumn);
  }
  return { trigger, instructions: totals ?? summary };
}

function columnOf(values: string, column: number): number | undefined {
  const value = Number(values.trim().split(/\s+/)[column]);
  return Number.isFinite(value) ? value : undefined;
}

/** Bytes read from each end of a dump: the header and the `totals:` line, not the cost lines between. */
const EDGE_BYTES = 16_384;

function readRange(fd: number, position: number, length: number): string {
  const buffer = Buffer.alloc(length);
  const read = fs.readSync(fd, buffer, 0, length, position);
  return buffer.toString('utf8', 0, read);
}

/**
 * Reads one dump file's trigger and total. Only its two ends are read when it is large (a
 * first dump can list thousands of functions); the whole file when an end lacks what it should
 * hold.
 */
export function readDumpFile(file: string): ParsedDump {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size <= 2 * EDGE_BYTES) return parseDump(readRange(fd, 0, size));
    const head = readRange(fd, 0, EDGE_BYTES);
    const tail = readRange(fd, size - EDGE_BYTES, EDGE_BYTES);
    // Cut lines at either edge are dropped; the header ends at `events:`.
    const edges = parseDump(`${head.slice(0, head.lastIndexOf('\n'))}\n${tail.slice(tail.indexOf('\n') + 1)}`);
    const isHeaderWhole = /^events:/m.test(head);
    return isHeaderWhole && edges.instructions !== undefined ? edges : parseDump(readRange(fd, 0, size));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Finds the dumps of this process whose trigger is one of `names`, returns each name's
 * instruction total (summed over threads when they are dumped apart), and deletes those
 * files so the folder does not grow with every benchmark. Synchronous, so that it runs as
 * little code as possible while instrumentation is on.
 */
export function collectDumps(location: DumpLocation, names: ReadonlySet<string>): Map<string, number> {
  const found = new Map<string, number>();
  let entries: string[];
  try {
    entries = fs.readdirSync(location.dir);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!location.fileName.test(entry)) continue;
    const file = path.join(location.dir, entry);
    const dump = readDumpFile(file);
    if (dump.trigger === undefined || !names.has(dump.trigger) || dump.instructions === undefined) continue;
    found.set(dump.trigger, (found.get(dump.trigger) ?? 0) + dump.instructions);
    fs.rmSync(file, { force: true });
  }
  return found;
}
