import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isInstructionsModeError } from '../../src/errors';
import {
  addonCacheKey,
  DEFAULT_ADDON_SOURCE_DIR,
  loadCallgrindAddon,
  resolveCacheDir,
} from '../../src/tracker/instructions/callgrind-addon';
import { diagnoseBuildFailure, findNodeGyp, type NodeGypLookup } from '../../src/tracker/instructions/_node-gyp';
import { lastJsonLine, runNodeScript, temporaryFolders, transpileSources, valgrindAvailable } from '../helpers/instructions';

const tempDir = temporaryFolders();

/** A copy of the addon's sources, edited by `edit`, as a source folder of its own. */
function editedSources(edit: (files: { c: string; gyp: string }) => { c: string; gyp: string }): string {
  const dir = tempDir('perfguard-addon-src-');
  const files = edit({
    c: fs.readFileSync(path.join(DEFAULT_ADDON_SOURCE_DIR, 'callgrind.c'), 'utf8'),
    gyp: fs.readFileSync(path.join(DEFAULT_ADDON_SOURCE_DIR, 'binding.gyp'), 'utf8'),
  });
  fs.writeFileSync(path.join(dir, 'callgrind.c'), files.c);
  fs.writeFileSync(path.join(dir, 'binding.gyp'), files.gyp);
  return dir;
}

describe('resolveCacheDir', () => {
  it('prefers PERFGUARD_CACHE_DIR, then $XDG_CACHE_HOME/perfguard, then ~/.cache/perfguard', () => {
    expect(resolveCacheDir({ PERFGUARD_CACHE_DIR: '/c/pg', XDG_CACHE_HOME: '/x' })).toBe('/c/pg');
    expect(resolveCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/perfguard');
    expect(resolveCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(path.join(os.homedir(), '.cache', 'perfguard'));
    expect(resolveCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'perfguard'));
  });
});

describe('addonCacheKey', () => {
  it('names the platform, architecture and Node ABI, and changes when the C source does', () => {
    const key = addonCacheKey();
    expect(key).toMatch(new RegExp(`^${process.platform}-${process.arch}-abi${process.versions.modules}-[0-9a-f]{16}$`));
    expect(addonCacheKey(editedSources((f) => ({ ...f, c: `${f.c}\n/* edited */\n` })))).not.toBe(key);
    expect(addonCacheKey(editedSources((f) => f))).toBe(key);
  });
});

describe('findNodeGyp', () => {
  const scripts = tempDir('perfguard-node-gyp-');
  const script = (where: string): string => {
    const file = path.join(scripts, where, 'node-gyp.js');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    return file;
  };
  const lookup = (overrides: Partial<NodeGypLookup>): NodeGypLookup => ({
    env: {}, execPath: '/nowhere/bin/node', cwd: '/nowhere', resolve: () => undefined, ...overrides,
  });

  it('takes npm_config_node_gyp first, as npm sets it for scripts', () => {
    const fromEnv = script('env');
    expect(findNodeGyp(lookup({ env: { npm_config_node_gyp: fromEnv } }))).toEqual({ scriptPath: fromEnv, source: 'npm_config_node_gyp' });
  });

  it("then npm's copy beside this Node, in <prefix>/lib/node_modules/npm", () => {
    const prefix = path.join(scripts, 'prefix');
    const beside = script(path.join('prefix', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin'));
    const found = findNodeGyp(lookup({ execPath: path.join(prefix, 'bin', 'node'), env: { npm_config_node_gyp: '/missing/node-gyp.js' } }));
    expect(found).toEqual({ scriptPath: beside, source: 'node-install' });
  });

  it('then the npm named by npm_execpath, then the project', () => {
    const resolve = (_request: string, paths: string[]): string | undefined => (paths[0] === '/opt/npm' ? '/opt/npm/node_modules/node-gyp/bin/node-gyp.js' : undefined);
    expect(findNodeGyp(lookup({ env: { npm_execpath: '/opt/npm/bin/npm-cli.js' }, resolve }))?.source).toBe('npm_execpath');
    const inProject = (_request: string, paths: string[]): string | undefined => (paths[0] === '/nowhere' ? '/nowhere/node_modules/node-gyp/bin/node-gyp.js' : undefined);
    expect(findNodeGyp(lookup({ resolve: inProject }))?.source).toBe('project');
    expect(findNodeGyp(lookup({}))).toBeUndefined();
  });

  it("finds this machine's node-gyp", () => {
    expect(findNodeGyp()?.scriptPath).toMatch(/node-gyp\.js$/);
  });
});

describe('diagnoseBuildFailure', () => {
  it.each([
    ['../callgrind.c:12:10: fatal error: valgrind/callgrind.h: No such file or directory', 'apt-get install -y valgrind'],
    ['gyp ERR! find Python Could not find any Python installation to use', 'apt-get install -y python3'],
    ['gyp ERR! stack Error: not found: make', 'build-essential'],
    ['make: cc: No such file or directory', 'build-essential'],
    ['gyp http GET https://nodejs.org/download/release/v20.20.2/node-v20.20.2-headers.tar.gz\ngyp ERR! ENOTFOUND', 'npm_config_nodedir'],
    ['something else entirely', 'C compiler, make, Python 3'],
  ])('reads %p as needing %p', (output, fix) => {
    expect(diagnoseBuildFailure(output)).toContain(fix);
  });
});

const describeWithValgrind = valgrindAvailable() ? describe : describe.skip;

describeWithValgrind('loadCallgrindAddon (real node-gyp builds)', () => {
  it('builds on first use into a fresh cache, then reuses the build', async () => {
    const cacheDir = tempDir('perfguard-cache-');
    const first = await loadCallgrindAddon({ cacheDir });
    expect(first.isFreshBuild).toBe(true);
    expect(first.nodeGyp?.scriptPath).toMatch(/node-gyp\.js$/);
    expect(first.addonPath).toBe(path.join(cacheDir, 'callgrind', addonCacheKey(), 'perfguard_callgrind.node'));
    const second = await loadCallgrindAddon({ cacheDir });
    expect(second).toMatchObject({ isFreshBuild: false, addonPath: first.addonPath, nodeGyp: undefined });
    expect(fs.readdirSync(path.join(cacheDir, 'callgrind'))).toEqual([addonCacheKey()]);
  }, 120_000);

  it('is a no-op outside Valgrind, and says so', async () => {
    const { addon } = await loadCallgrindAddon({ cacheDir: tempDir('perfguard-cache-') });
    expect(addon.isRunningOnValgrind()).toBe(false);
    expect(() => {
      addon.zeroStats();
      addon.startInstrumentation();
      addon.toggleCollect();
      addon.toggleCollect();
      addon.stopInstrumentation();
      addon.dumpStatsAt('nothing happens');
    }).not.toThrow();
    expect(() => (addon.dumpStatsAt as (name?: unknown) => void)()).toThrow('needs the dump');
  }, 120_000);

  it('gives two processes building at once the same, whole build', async () => {
    const sources = transpileSources();
    const cacheDir = tempDir('perfguard-cache-');
    const child = path.join(sources, 'load-addon.js');
    fs.writeFileSync(child, `
      const { loadCallgrindAddon } = require('./src/tracker/instructions');
      loadCallgrindAddon().then(
        (loaded) => console.log(JSON.stringify({ path: loaded.addonPath, isFreshBuild: loaded.isFreshBuild, onValgrind: loaded.addon.isRunningOnValgrind() })),
        (error) => { console.error(error); process.exit(1); },
      );`);
    const outcomes = await Promise.all([0, 1].map(() => runNodeScript(child, { PERFGUARD_CACHE_DIR: cacheDir }, sources)));
    fs.rmSync(sources, { recursive: true, force: true });
    const loaded = outcomes.map((outcome) => lastJsonLine<{ path: string; isFreshBuild: boolean; onValgrind: boolean }>(outcome));
    expect(loaded[0]?.path).toBe(loaded[1]?.path);
    expect(loaded.every((l) => !l.onValgrind)).toBe(true);
    expect(loaded.some((l) => l.isFreshBuild)).toBe(true);
    expect(fs.readdirSync(path.join(cacheDir, 'callgrind'))).toEqual([addonCacheKey()]);
    expect(fs.readdirSync(path.join(cacheDir, 'callgrind', addonCacheKey()))).toEqual(['perfguard_callgrind.node']);
  }, 180_000);

  it("names Valgrind's headers and the apt-get line when they are missing", async () => {
    // -nostdinc hides /usr/include from the compiler, as on a machine without Valgrind's headers.
    const sourceDir = editedSources((f) => ({ c: f.c, gyp: f.gyp.replace('"cflags": [', '"cflags": ["-nostdinc", ') }));
    const error: unknown = await loadCallgrindAddon({ cacheDir: tempDir('perfguard-cache-'), sourceDir }).catch((e: unknown) => e);
    expect(isInstructionsModeError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Could not build perfguard's callgrind addon.*headers \(valgrind\/callgrind\.h\) are missing.*apt-get install -y valgrind/s);
    expect((error as Error).message).toContain('--- node-gyp output, last lines ---');
  }, 120_000);

  it('names make and the compiler when they are missing from PATH', async () => {
    const bin = tempDir('perfguard-path-');
    const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
    fs.symlinkSync(python, path.join(bin, 'python3'));
    const cacheDir = tempDir('perfguard-cache-');
    const error: unknown = await loadCallgrindAddon({ cacheDir, env: { ...process.env, PATH: bin } }).catch((e: unknown) => e);
    expect(isInstructionsModeError(error)).toBe(true);
    expect((error as Error).message).toContain('apt-get install -y build-essential');
    expect(fs.readdirSync(path.join(cacheDir, 'callgrind'))).toEqual([]);
  }, 120_000);
});
