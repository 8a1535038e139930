import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CALLGRIND_DIR_ENV } from '../../src/tracker/instructions/callgrind-dumps';
import {
  checkInstructionsSupport,
  findOnPath,
  INSTRUCTIONS_NODE_FLAGS,
  INSTRUCTIONS_VALGRIND_FLAGS,
  valgrindCommand,
} from '../../src/tracker/instructions/instructions-support';
import { temporaryFolders, valgrindAvailable } from '../helpers/instructions';

const tempDir = temporaryFolders();

describe('valgrindCommand', () => {
  it('runs Node under callgrind with the determinism flags and tells the process where dumps go', () => {
    const command = valgrindCommand(['node_modules/jest/bin/jest.js', '--runInBand'], { dumpDir: '/tmp/pg-dumps', env: { HOME: '/root' } });
    expect(command.command).toBe('valgrind');
    expect(command.args).toEqual([
      '--tool=callgrind',
      '--instr-atstart=no',
      '--trace-children=no',
      '--toggle-collect=*StringTable::LookupKey*',
      '--toggle-collect=*StringTable::TryStringToIndexOrLookupExisting*',
      '--collect-atstart=yes',
      '-q',
      '--callgrind-out-file=/tmp/pg-dumps/callgrind.%p.out',
      process.execPath,
      '--predictable',
      '--hash-seed=1',
      '--random-seed=1',
      '--no-opt',
      '--no-maglev',
      '--single-threaded',
      '--always-sparkplug',
      '--interrupt-budget=1000000000',
      '--no-incremental-marking',
      '--expose-gc',
      'node_modules/jest/bin/jest.js',
      '--runInBand',
    ]);
    expect(command.env).toEqual({ HOME: '/root', [CALLGRIND_DIR_ENV]: '/tmp/pg-dumps' });
  });

  it('takes another valgrind, node and set of flags, and makes the dump folder absolute', () => {
    const command = valgrindCommand(['x.js'], { dumpDir: 'dumps', valgrindPath: '/opt/vg/bin/valgrind', nodePath: '/opt/node', nodeFlags: ['--no-opt'] });
    expect(command.command).toBe('/opt/vg/bin/valgrind');
    expect(command.args.slice(INSTRUCTIONS_VALGRIND_FLAGS.length)).toEqual([`--callgrind-out-file=${path.resolve('dumps')}/callgrind.%p.out`, '/opt/node', '--no-opt', 'x.js']);
    expect(command.env[CALLGRIND_DIR_ENV]).toBe(path.resolve('dumps'));
  });

  it('only uses flags this Node accepts', () => {
    const known = new Set(process.allowedNodeEnvironmentFlags);
    const v8Options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    for (const flag of INSTRUCTIONS_NODE_FLAGS) {
      const name = flag.replace(/=.*$/, '').replace(/^--no-/, '--');
      expect(known.has(flag.replace(/=.*$/, '')) || v8Options.includes(`  ${name} `) || v8Options.includes(`  ${name.replace(/_/g, '-')} `)).toBe(true);
    }
  });
});

describe('findOnPath', () => {
  it('finds an executable file in a PATH folder, and nothing else', () => {
    const dir = tempDir('perfguard-path-');
    fs.writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'data'), '', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'folder'));
    expect(findOnPath('tool', `/nonexistent${path.delimiter}${dir}`)).toBe(path.join(dir, 'tool'));
    expect(findOnPath('data', dir)).toBeUndefined();
    expect(findOnPath('folder', dir)).toBeUndefined();
    expect(findOnPath('tool', undefined)).toBeUndefined();
  });
});

describe('checkInstructionsSupport', () => {
  it.each(['darwin', 'win32'] as const)('refuses %s: Valgrind does not run there', async (platform) => {
    const support = await checkInstructionsSupport({ platform });
    expect(support.status).toBe('unsupported-platform');
    expect(support).toMatchObject({ message: expect.stringContaining('needs Linux: Valgrind does not run on macOS or Windows') as unknown });
    expect(support).toMatchObject({ message: expect.stringContaining('time mode') as unknown });
  });

  it('refuses when valgrind is not on PATH, and names the package to install', async () => {
    const support = await checkInstructionsSupport({ platform: 'linux', env: { PATH: tempDir('perfguard-empty-path-') } });
    expect(support).toEqual({
      status: 'valgrind-missing',
      message: expect.stringContaining('`valgrind` is not on PATH. Install it: `apt-get install -y valgrind`') as unknown,
    });
  });

  it('refuses when the valgrind on PATH does not run', async () => {
    const dir = tempDir('perfguard-broken-path-');
    fs.writeFileSync(path.join(dir, 'valgrind'), '#!/bin/sh\nexit 3\n', { mode: 0o755 });
    const support = await checkInstructionsSupport({ platform: 'linux', env: { PATH: dir } });
    expect(support.status).toBe('valgrind-missing');
    expect(support).toMatchObject({ message: expect.stringContaining(`${path.join(dir, 'valgrind')} did not run`) as unknown });
  });

  const itWithValgrind = valgrindAvailable() ? it : it.skip;

  itWithValgrind('says supported, with the Valgrind version and the addon it built', async () => {
    const cacheDir = tempDir('perfguard-cache-');
    const support = await checkInstructionsSupport({ cacheDir });
    expect(support).toMatchObject({ status: 'supported', isFreshBuild: true, valgrindVersion: expect.stringMatching(/^valgrind-\d+\.\d+/) as unknown });
    if (support.status !== 'supported') return;
    expect(support.addonPath.startsWith(cacheDir)).toBe(true);
  }, 120_000);

  itWithValgrind('refuses with the build error when the addon cannot be built', async () => {
    const sourceDir = tempDir('perfguard-broken-src-');
    fs.writeFileSync(path.join(sourceDir, 'binding.gyp'), '{ "targets": [ { "target_name": "perfguard_callgrind", "sources": ["callgrind.c"] } ] }');
    fs.writeFileSync(path.join(sourceDir, 'callgrind.c'), 'this is not C;\n');
    const support = await checkInstructionsSupport({ cacheDir: tempDir('perfguard-cache-'), sourceDir });
    expect(support.status).toBe('addon-unavailable');
    expect(support).toMatchObject({ message: expect.stringContaining("Could not build perfguard's callgrind addon") as unknown });
  }, 120_000);
});
