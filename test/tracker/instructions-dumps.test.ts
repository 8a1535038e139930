import fs from 'node:fs';
import path from 'node:path';
import {
  CALLGRIND_DIR_ENV,
  collectDumps,
  parseDump,
  readDumpFile,
  resolveDumpLocation,
} from '../../src/tracker/instructions/callgrind-dumps';
import { temporaryFolders } from '../helpers/instructions';

/** A dump as callgrind 3.19 writes it after `CALLGRIND_DUMP_STATS_AT(trigger)` (cost lines shortened). */
function dumpText(trigger: string, total: number, options: { events?: string; totals?: string; filler?: number } = {}): string {
  const costLines = Array.from({ length: options.filler ?? 3 }, (_, i) => `fn=(${i + 1}) Builtins_Fn${i}\n0 ${i + 10}`).join('\n');
  return [
    '# callgrind format',
    'version: 1',
    'creator: callgrind-3.19.0',
    'pid: 4242',
    'cmd:  node --predictable bench.js',
    'part: 2',
    '',
    'desc: I1 cache: ',
    'desc: Timerange: Basic block 100 - 200',
    `desc: Trigger: Client Request: ${trigger}`,
    '',
    'positions: line',
    `events: ${options.events ?? 'Ir'}`,
    'summary: 0',
    '',
    'ob=(1) /usr/bin/node',
    costLines,
    '',
    `totals: ${options.totals ?? String(total)}`,
    '',
  ].join('\n');
}

const makeFolder = temporaryFolders();
const tempDir = (): string => makeFolder('perfguard-dumps-');

describe('parseDump', () => {
  it('reads the trigger name and the Ir total of a dump', () => {
    expect(parseDump(dumpText('perfguard parse 0003', 118_609_221))).toEqual({ trigger: 'perfguard parse 0003', instructions: 118_609_221 });
  });

  it('takes the Ir column when a simulator adds other events', () => {
    const text = dumpText('x', 0, { events: 'Dr Ir Dw', totals: '7 1234 9' });
    expect(parseDump(text).instructions).toBe(1234);
  });

  it('has no trigger for a dump written at program termination', () => {
    const text = dumpText('x', 5).replace('desc: Trigger: Client Request: x', 'desc: Trigger: Program termination');
    expect(parseDump(text)).toEqual({ trigger: undefined, instructions: 5 });
  });

  it('falls back to the summary line when there is no totals line', () => {
    const text = dumpText('x', 5).replace('summary: 0', 'summary: 77').replace(/^totals: .*$/m, '');
    expect(parseDump(text).instructions).toBe(77);
  });
});

describe('readDumpFile', () => {
  it('reads a large dump from its two ends and agrees with reading it whole', () => {
    const dir = tempDir();
    const file = path.join(dir, 'callgrind.1.out.1');
    const text = dumpText('perfguard big 0001', 987_654_321, { filler: 20_000 });
    fs.writeFileSync(file, text);
    expect(fs.statSync(file).size).toBeGreaterThan(100_000);
    expect(readDumpFile(file)).toEqual(parseDump(text));
    expect(readDumpFile(file)).toEqual({ trigger: 'perfguard big 0001', instructions: 987_654_321 });
  });
});

describe('resolveDumpLocation', () => {
  it(`uses the launcher's folder from ${CALLGRIND_DIR_ENV} and its callgrind.<pid>.out.<n> names`, () => {
    const location = resolveDumpLocation({ [CALLGRIND_DIR_ENV]: '/tmp/dumps' }, 314, '/work');
    expect(location.dir).toBe('/tmp/dumps');
    expect(location.fileName.test('callgrind.314.out.1')).toBe(true);
    expect(location.fileName.test('callgrind.314.out.12-02')).toBe(true);
    expect(location.fileName.test('callgrind.314.out')).toBe(false);
    expect(location.fileName.test('callgrind.3141.out.1')).toBe(false);
  });

  it("falls back to Valgrind's default callgrind.out.<pid>.<n> in the current folder", () => {
    const location = resolveDumpLocation({}, 314, '/work');
    expect(location.dir).toBe('/work');
    expect(location.fileName.test('callgrind.out.314.2')).toBe(true);
    expect(location.fileName.test('callgrind.314.out.2')).toBe(false);
  });
});

describe('collectDumps', () => {
  it('returns the named dumps of this process, sums threads, deletes them and leaves the rest', () => {
    const dir = tempDir();
    const write = (name: string, text: string): void => fs.writeFileSync(path.join(dir, name), text);
    write('callgrind.10.out.1', dumpText('mine 0001', 100));
    write('callgrind.10.out.2-01', dumpText('mine 0002', 200));
    write('callgrind.10.out.2-02', dumpText('mine 0002', 5));
    write('callgrind.10.out.3', dumpText('someone else', 300));
    write('callgrind.11.out.1', dumpText('mine 0001', 999));
    write('callgrind.10.out', dumpText('mine 0001', 999).replace('Client Request: mine 0001', 'Program termination'));
    const found = collectDumps(resolveDumpLocation({ [CALLGRIND_DIR_ENV]: dir }, 10, '/'), new Set(['mine 0001', 'mine 0002']));
    expect(Object.fromEntries(found)).toEqual({ 'mine 0001': 100, 'mine 0002': 205 });
    expect(fs.readdirSync(dir).sort()).toEqual(['callgrind.10.out', 'callgrind.10.out.3', 'callgrind.11.out.1']);
  });

  it('finds nothing, without throwing, when the folder does not exist', () => {
    const location = resolveDumpLocation({ [CALLGRIND_DIR_ENV]: '/nonexistent/perfguard' }, 1, '/');
    expect(collectDumps(location, new Set(['x'])).size).toBe(0);
  });
});
