import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeError, InstructionsModeError } from '../../errors';
import { diagnoseBuildFailure, findNodeGyp, type NodeGypLocation, processLookup, runNodeGyp } from './_node-gyp';

/**
 * Valgrind's client requests, as the addon in `native/callgrind` exposes them. Outside
 * Valgrind every request is a no-op, so calling them anywhere is safe.
 */
export interface CallgrindAddon {
  /** True when this process runs under Valgrind (any tool). */
  isRunningOnValgrind(): boolean;
  /** `CALLGRIND_ZERO_STATS`: resets the counts collected so far. */
  zeroStats(): void;
  /** `CALLGRIND_START_INSTRUMENTATION`: counts from here on (flushes Valgrind's code cache). */
  startInstrumentation(): void;
  /** `CALLGRIND_STOP_INSTRUMENTATION`: stops counting (flushes Valgrind's code cache). */
  stopInstrumentation(): void;
  /** `CALLGRIND_TOGGLE_COLLECT`: pauses or resumes counting while instrumentation stays on. */
  toggleCollect(): void;
  /** `CALLGRIND_DUMP_STATS_AT(name)`: writes the counts to a new dump file whose header names `name`. */
  dumpStatsAt(name: string): void;
}

/** A loaded addon and where it came from. */
export interface LoadedCallgrindAddon {
  addon: CallgrindAddon;
  /** The `.node` file that was loaded. */
  addonPath: string;
  /** True when this call built it; false when it came from the cache. */
  isFreshBuild: boolean;
  /** The node-gyp that built it, when this call built it. */
  nodeGyp: NodeGypLocation | undefined;
}

/** Where the addon's sources are, where to cache its build, and the environment to build in. */
export interface LoadCallgrindAddonOptions {
  /**
   * Root of perfguard's cache; the addon lands in `<cacheDir>/callgrind/<key>/`.
   * @default `PERFGUARD_CACHE_DIR`, else `$XDG_CACHE_HOME/perfguard`, else `~/.cache/perfguard`
   */
  cacheDir?: string;
  /** Folder holding `binding.gyp` and `callgrind.c`. @default the package's `native/callgrind` */
  sourceDir?: string;
  /** Environment for finding node-gyp and running it. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** The files the addon is built from, in the package's `native/callgrind`. */
export const ADDON_SOURCE_FILES = ['binding.gyp', 'callgrind.c'] as const;
/** The file node-gyp produces, named by `target_name` in binding.gyp. */
const ADDON_FILE = 'perfguard_callgrind.node';
/** Lines of build output quoted in a build error. */
const OUTPUT_TAIL_LINES = 30;

/** The package's own `native/callgrind`: three levels up from both `src/…` and `dist/…`. */
export const DEFAULT_ADDON_SOURCE_DIR = path.resolve(__dirname, '..', '..', '..', 'native', 'callgrind');

/** Root of perfguard's cache folder, from the environment. */
export function resolveCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['PERFGUARD_CACHE_DIR'];
  if (explicit !== undefined && explicit !== '') return path.resolve(explicit);
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, 'perfguard');
  return path.join(os.homedir(), '.cache', 'perfguard');
}

/**
 * The cache key of a build: platform, architecture, Node's module ABI and a hash of the
 * sources, so a new Node or an edited C file gets its own build and old ones stay valid.
 */
export function addonCacheKey(sourceDir: string = DEFAULT_ADDON_SOURCE_DIR): string {
  const hash = createHash('sha256');
  for (const file of ADDON_SOURCE_FILES) {
    hash.update(file).update('\0').update(fs.readFileSync(path.join(sourceDir, file))).update('\0');
  }
  const abi = process.versions.modules;
  return `${process.platform}-${process.arch}-abi${abi}-${hash.digest('hex').slice(0, 16)}`;
}

function requireAddon(addonPath: string): CallgrindAddon {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native addon loads only through require
    return require(addonPath) as CallgrindAddon;
  } catch (error) {
    throw new InstructionsModeError(
      `perfguard's callgrind addon at ${addonPath} could not be loaded: ${describeError(error)}. Delete the folder ${path.dirname(addonPath)} so the next run rebuilds it.`,
      { cause: error },
    );
  }
}

function tail(output: string): string {
  return output.trimEnd().split('\n').slice(-OUTPUT_TAIL_LINES).join('\n');
}

function checkSources(sourceDir: string): void {
  for (const file of ADDON_SOURCE_FILES) {
    if (fs.existsSync(path.join(sourceDir, file))) continue;
    throw new InstructionsModeError(
      `perfguard's callgrind addon source ${path.join(sourceDir, file)} is missing, so the instructions mode cannot build it. Reinstall perfguard (the package ships native/callgrind).`,
    );
  }
}

function locateNodeGyp(env: NodeJS.ProcessEnv): NodeGypLocation {
  const location = findNodeGyp({ ...processLookup(), env });
  if (location !== undefined) return location;
  throw new InstructionsModeError(
    "The instructions mode builds a small C addon on first use with npm's node-gyp, and none was found (not in npm_config_node_gyp, not beside this Node in lib/node_modules/npm, not through npm_execpath, not in the project). Run the tests through npm (`npm test`, `npx`), which sets npm_config_node_gyp, or install node-gyp: `npm install --save-dev node-gyp`.",
  );
}

/** Builds in a private folder, then renames a finished copy into place: atomic, so racing builds never mix. */
async function buildIntoCache(sourceDir: string, keyDir: string, env: NodeJS.ProcessEnv): Promise<NodeGypLocation> {
  const nodeGyp = locateNodeGyp(env);
  const parent = path.dirname(keyDir);
  await fs.promises.mkdir(parent, { recursive: true });
  const work = await fs.promises.mkdtemp(path.join(parent, `.build-${process.pid}-`));
  try {
    for (const file of ADDON_SOURCE_FILES) await fs.promises.copyFile(path.join(sourceDir, file), path.join(work, file));
    const run = await runNodeGyp(nodeGyp.scriptPath, work, { execPath: process.execPath, env });
    const built = path.join(work, 'build', 'Release', ADDON_FILE);
    if (run.exitCode !== 0 || !fs.existsSync(built)) {
      throw new InstructionsModeError(
        `Could not build perfguard's callgrind addon, which the instructions mode needs, with node-gyp ${nodeGyp.scriptPath} (found through ${nodeGyp.source}). ${diagnoseBuildFailure(run.output)}\n--- node-gyp output, last lines ---\n${tail(run.output)}`,
      );
    }
    const staged = await fs.promises.mkdtemp(path.join(parent, `.staged-${process.pid}-`));
    try {
      await fs.promises.copyFile(built, path.join(staged, ADDON_FILE));
    } catch (error) {
      await fs.promises.rm(staged, { recursive: true, force: true });
      throw error;
    }
    await publish(staged, keyDir);
    return nodeGyp;
  } finally {
    await fs.promises.rm(work, { recursive: true, force: true });
  }
}

/** Moves a finished build into place; when another process got there first, keeps theirs. */
async function publish(staged: string, keyDir: string): Promise<void> {
  try {
    await fs.promises.rename(staged, keyDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    await fs.promises.rm(staged, { recursive: true, force: true });
    if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !fs.existsSync(path.join(keyDir, ADDON_FILE))) throw error;
  }
}

/**
 * Loads the callgrind addon, building it on first use into the cache with npm's node-gyp.
 * A later call (from any process) finds the build in the cache and only loads it. Installing
 * perfguard never compiles anything; only this function does, and only when asked.
 *
 * @throws InstructionsModeError when node-gyp, a compiler, Python or Valgrind's headers are
 *   missing (the message names which, and the fix), or when the built file cannot be loaded
 * @example
 * const { addon } = await loadCallgrindAddon();
 * if (addon.isRunningOnValgrind()) addon.zeroStats();
 */
export async function loadCallgrindAddon(options: LoadCallgrindAddonOptions = {}): Promise<LoadedCallgrindAddon> {
  const env = options.env ?? process.env;
  const sourceDir = options.sourceDir ?? DEFAULT_ADDON_SOURCE_DIR;
  checkSources(sourceDir);
  const keyDir = path.join(options.cacheDir ?? resolveCacheDir(env), 'callgrind', addonCacheKey(sourceDir));
  const addonPath = path.join(keyDir, ADDON_FILE);
  if (fs.existsSync(addonPath)) return { addon: requireAddon(addonPath), addonPath, isFreshBuild: false, nodeGyp: undefined };
  const nodeGyp = await buildIntoCache(sourceDir, keyDir, env);
  return { addon: requireAddon(addonPath), addonPath, isFreshBuild: true, nodeGyp };
}
