import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { isInstructionsModeError } from '../../errors';
import { loadCallgrindAddon } from './callgrind-addon';
import { CALLGRIND_DIR_ENV, CALLGRIND_OUT_FILE_NAME } from './callgrind-dumps';
import type { NodeGypLocation } from './_node-gyp';

/**
 * V8 flags that make instruction counts repeat exactly between processes: a fixed hash seed
 * and random seed (Map and Set layouts, Math.random), no background threads, no optimising
 * tiers (TurboFan's and Maglev's timing-driven decisions move counts by about 0.4 %),
 * baseline (Sparkplug) code from the first call so no tier-up lands inside a counted round,
 * and an interrupt budget so large that the tiering tick (about 1,300 instructions, every
 * 67,584 units of bytecode by default) stops landing in some rounds and not others. No
 * incremental marking: its steps and write barriers ran inside the rounds of a process with
 * a large heap (an allocating workload read up to twice its count after 200,000 unrelated
 * objects).
 * `--expose-gc` lets each round start from a collected heap.
 */
export const INSTRUCTIONS_NODE_FLAGS = [
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
] as const;

/**
 * Valgrind flags: callgrind with instrumentation off until a counted round turns it on
 * (Node and Jest start several times faster than with it on), child processes left
 * uninstrumented and at native speed, and `-q` to keep Valgrind's banner out of the test
 * output.
 *
 * V8's string-table lookups are not counted (`--toggle-collect` pauses counting inside them;
 * it implies `--collect-atstart=no`, which the flag after it undoes). Their cost depends on
 * every string the process internalized before, not on the code measured: the same
 * `JSON.parse` of 5,000 orders read up to 0.5 % apart in six Jest runs of the same file,
 * and a small `JSON.parse` 56 % apart in a process that had first made 200,000 unrelated
 * strings; without the lookups, 0.0005 % and 0.1 %.
 *
 * Measured and left at their defaults: `--dump-line`/`--dump-instr` (Node has no line
 * tables, so dumps are the same size; `--dump-line=no` also prints a line despite -q) and
 * `--smc-check` (lowering it saves nothing measurable and would be unsafe for JIT code).
 */
export const INSTRUCTIONS_VALGRIND_FLAGS = [
  '--tool=callgrind',
  '--instr-atstart=no',
  '--trace-children=no',
  '--toggle-collect=*StringTable::LookupKey*',
  '--toggle-collect=*StringTable::TryStringToIndexOrLookupExisting*',
  '--collect-atstart=yes',
  '-q',
] as const;

/** What {@link valgrindCommand} needs beyond Node's own arguments. */
export interface ValgrindCommandOptions {
  /** An existing folder for callgrind's dumps; the process learns it through `PERFGUARD_CALLGRIND_DIR`. */
  dumpDir: string;
  /** @default 'valgrind' (found on PATH) */
  valgrindPath?: string;
  /** @default process.execPath */
  nodePath?: string;
  /** V8 and Node flags placed before `nodeArgs`; studies pass other sets. @default INSTRUCTIONS_NODE_FLAGS */
  nodeFlags?: readonly string[];
  /** Environment to extend. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** A command ready for `spawn(command, args, { env })`. */
export interface ValgrindCommand {
  command: string;
  args: string[];
  /** The given environment plus `PERFGUARD_CALLGRIND_DIR`. */
  env: NodeJS.ProcessEnv;
}

/**
 * Builds the command that runs Node under callgrind for the instructions mode:
 * `valgrind <INSTRUCTIONS_VALGRIND_FLAGS> --callgrind-out-file=<dumpDir>/callgrind.%p.out
 * <node> <INSTRUCTIONS_NODE_FLAGS> <nodeArgs…>`, with `PERFGUARD_CALLGRIND_DIR=<dumpDir>` in
 * its environment so {@link countInstructions} finds the dumps.
 * @example
 * const cmd = valgrindCommand([jestBin, '--runInBand'], { dumpDir });
 * spawn(cmd.command, cmd.args, { env: cmd.env, stdio: 'inherit' });
 */
export function valgrindCommand(nodeArgs: readonly string[], options: ValgrindCommandOptions): ValgrindCommand {
  const dumpDir = path.resolve(options.dumpDir);
  return {
    command: options.valgrindPath ?? 'valgrind',
    args: [
      ...INSTRUCTIONS_VALGRIND_FLAGS,
      `--callgrind-out-file=${path.join(dumpDir, CALLGRIND_OUT_FILE_NAME)}`,
      options.nodePath ?? process.execPath,
      ...(options.nodeFlags ?? INSTRUCTIONS_NODE_FLAGS),
      ...nodeArgs,
    ],
    env: { ...(options.env ?? process.env), [CALLGRIND_DIR_ENV]: dumpDir },
  };
}

/** Whether the instructions mode can run here; when not, why and the fix, in `message`. */
export type InstructionsSupport =
  | {
      status: 'supported';
      valgrindPath: string;
      /** As Valgrind prints it: `valgrind-3.19.0`. */
      valgrindVersion: string;
      addonPath: string;
      /** True when this check built the addon. */
      isFreshBuild: boolean;
      /** The node-gyp that built it, when this check built it. */
      nodeGyp: NodeGypLocation | undefined;
    }
  | { status: 'unsupported-platform' | 'valgrind-missing' | 'addon-unavailable'; message: string };

/** What {@link checkInstructionsSupport} looks at; tests inject their own. */
export interface CheckInstructionsSupportOptions {
  /** @default process.platform */
  platform?: NodeJS.Platform;
  /** Environment whose PATH is searched and in which the addon is built. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Passed to {@link loadCallgrindAddon}. */
  cacheDir?: string;
  /** Passed to {@link loadCallgrindAddon}. */
  sourceDir?: string;
}

/** The first executable `name` on `PATH`. */
export function findOnPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next folder
    }
  }
  return undefined;
}

/** Valgrind's `--version` line, or why it did not run (a value: Jest's sandbox breaks `instanceof Error`). */
function readVersion(valgrindPath: string, env: NodeJS.ProcessEnv): Promise<{ version: string } | { failure: string }> {
  return new Promise((resolve) => {
    execFile(valgrindPath, ['--version'], { env, timeout: 30_000 }, (error, stdout) => {
      resolve(error === null ? { version: stdout.trim() } : { failure: error.message });
    });
  });
}

/**
 * Checks, in this order, that the instructions mode can run: Linux, Valgrind on PATH and
 * runnable, and the callgrind addon built (on first use, into the cache) and loadable. The
 * launcher calls it before starting Valgrind and refuses with `message` (exit code 2) when
 * the status is not `supported`.
 * @example
 * const support = await checkInstructionsSupport();
 * if (support.status !== 'supported') { stderr.write(`${support.message}\n`); return 2; }
 */
export async function checkInstructionsSupport(options: CheckInstructionsSupportOptions = {}): Promise<InstructionsSupport> {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  if (platform !== 'linux') {
    return {
      status: 'unsupported-platform',
      message: `The instructions mode needs Linux: Valgrind does not run on macOS or Windows (this is ${platform}). Use the time mode here, or run this mode on a Linux CI runner.`,
    };
  }
  const valgrindPath = findOnPath('valgrind', env['PATH']);
  const run = valgrindPath === undefined ? { failure: 'not on PATH' } : await readVersion(valgrindPath, env);
  if (valgrindPath === undefined || 'failure' in run) {
    const found = valgrindPath === undefined ? '`valgrind` is not on PATH' : `${valgrindPath} did not run (${'failure' in run ? run.failure : ''})`;
    return {
      status: 'valgrind-missing',
      message: `The instructions mode counts instructions under Valgrind, and ${found}. Install it: \`apt-get install -y valgrind\` (Debian/Ubuntu) or \`dnf install -y valgrind valgrind-devel\` (Fedora).`,
    };
  }
  try {
    const loaded = await loadCallgrindAddon({ env, ...pick(options) });
    return { status: 'supported', valgrindPath, valgrindVersion: run.version, addonPath: loaded.addonPath, isFreshBuild: loaded.isFreshBuild, nodeGyp: loaded.nodeGyp };
  } catch (error) {
    if (!isInstructionsModeError(error)) throw error;
    return { status: 'addon-unavailable', message: error.message };
  }
}

function pick(options: CheckInstructionsSupportOptions): { cacheDir?: string; sourceDir?: string } {
  return {
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
    ...(options.sourceDir === undefined ? {} : { sourceDir: options.sourceDir }),
  };
}
