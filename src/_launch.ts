// What `perfguard test`, the Jest reporter and the measuring helpers tell each other through
// the environment (Jest workers inherit it): how Jest was started, so a test can be run again
// in a fresh process, and, under `perfguard test`, where the reporter put the run.
import fs from 'node:fs';
import path from 'node:path';

/** The Jest command a measuring process re-runs one test with. */
export interface JestCommand {
  /** The Node binary. */
  node: string;
  /** Node's own flags, such as --expose-gc. */
  nodeArgs: string[];
  /** Jest's bin script. */
  jest: string;
  /** Jest arguments that choose the configuration: --config, --rootDir, --selectProjects. */
  args: string[];
  /** Working directory. */
  cwd: string;
}

/** Set by the perfguard reporter and by `perfguard test`: the {@link JestCommand} as JSON. */
export const JEST_COMMAND_ENV = 'PERFGUARD_JEST_COMMAND';
/** Set by `perfguard test`: a file the reporter writes its {@link LaunchState} to. */
export const LAUNCH_STATE_ENV = 'PERFGUARD_LAUNCH_STATE';

/** What the reporter tells `perfguard test` about the run it recorded. */
export interface LaunchState {
  runId: string;
  storePath: string;
  outputDir: string;
  rootDir: string;
  failOn: 'warning' | 'critical' | 'none';
}

const CONFIG_FLAGS = new Set(['--config', '-c', '--rootDir', '--selectProjects']);

/** The configuration-choosing arguments of a Jest command line; test patterns and the rest are left out. */
export function configArguments(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const flag = arg.split('=', 1)[0] ?? '';
    if (!CONFIG_FLAGS.has(flag)) continue;
    if (arg.includes('=')) kept.push(arg);
    else if (i + 1 < args.length) kept.push(arg, args[++i] ?? '');
  }
  return kept;
}

/** Reads {@link JEST_COMMAND_ENV}; undefined when unset or malformed. */
export function readJestCommand(env: NodeJS.ProcessEnv): JestCommand | undefined {
  const raw = env[JEST_COMMAND_ENV];
  if (raw === undefined || raw === '') return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<JestCommand>;
    if (typeof parsed.node !== 'string' || typeof parsed.jest !== 'string' || typeof parsed.cwd !== 'string') return undefined;
    return { node: parsed.node, jest: parsed.jest, cwd: parsed.cwd, nodeArgs: parsed.nodeArgs ?? [], args: parsed.args ?? [] };
  } catch {
    return undefined;
  }
}

/** The Jest command of this process, when it is Jest's main process (the reporter runs there). */
export function jestCommandOfThisProcess(): JestCommand | undefined {
  const jest = process.argv[1];
  if (jest === undefined) return undefined;
  return { node: process.execPath, nodeArgs: [...process.execArgv], jest, args: configArguments(process.argv.slice(2)), cwd: process.cwd() };
}

/**
 * Writes the reporter's state for `perfguard test`, when it launched this Jest. Readable by
 * this user only: the store location may be a `postgres://` URL with its password.
 */
export function writeLaunchState(env: NodeJS.ProcessEnv, state: LaunchState): boolean {
  const file = env[LAUNCH_STATE_ENV];
  if (file === undefined || file === '') return false;
  fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
  return true;
}

/** Reads the reporter's state (launcher side); undefined when the reporter wrote none. */
export function readLaunchState(file: string): LaunchState | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LaunchState>;
    if (typeof parsed.runId !== 'string' || typeof parsed.storePath !== 'string' || typeof parsed.outputDir !== 'string') return undefined;
    return { runId: parsed.runId, storePath: parsed.storePath, outputDir: parsed.outputDir, rootDir: parsed.rootDir ?? process.cwd(), failOn: parsed.failOn ?? 'critical' };
  } catch {
    return undefined;
  }
}

/** Jest's bin script as installed for `cwd`; undefined when Jest is not installed there. */
export function resolveJestBin(cwd: string): string | undefined {
  try {
    // jest's package.json lists no ./bin export: find the package through its main entry.
    const main = require.resolve('jest', { paths: [cwd] });
    let dir = path.dirname(main);
    while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const bin = path.join(dir, 'bin', 'jest.js');
    return fs.existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}
