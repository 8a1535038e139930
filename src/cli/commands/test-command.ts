import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { configArguments, JEST_COMMAND_ENV, type JestCommand, LAUNCH_STATE_ENV, type LaunchState, readLaunchState, resolveJestBin } from '../../_launch';
import type { FailOn } from '../../detector';
import { ConfigError } from '../../errors';
import { checkInstructionsSupport, valgrindCommand } from '../../tracker';
import { publishRun, runFailure, type RunSummary, summarizeRun } from '../../report';
import { isPostgresUrl, maskPassword, openStore, resolveStorePath } from '../../store';
import { type CommandContext, dbOption, parsePositiveInteger } from '../_context';

/** What `perfguard test` was asked. */
interface TestOptions {
  rounds?: string;
  instructions?: boolean;
  failOn?: FailOn;
  db?: string;
  outputDir?: string;
}

/** How the Jest child ended. */
interface JestExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const HANDLED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Ctrl-C or a CI cancel during `perfguard test`. While Jest runs, the signal is passed on (a
 * terminal's Ctrl-C reaches it anyway) and perfguard cleans up once Jest has stopped; a second
 * signal kills Jest outright. Before or after Jest (while the store is read), perfguard cleans
 * up and exits at once. Either way the state folder, which can hold a store URL, goes.
 */
class Interruption {
  signal: NodeJS.Signals | undefined;
  private child: ChildProcess | undefined;
  private readonly handler = (signal: NodeJS.Signals): void => {
    const isRepeat = this.signal !== undefined;
    this.signal ??= signal;
    if (this.child === undefined) {
      this.cleanUp();
      this.write(`perfguard: interrupted (${signal}).\n`);
      process.exit(exitCodeOf(signal));
    }
    this.child.kill(isRepeat ? 'SIGKILL' : signal);
  };

  constructor(
    private readonly cleanUp: () => void,
    private readonly write: (text: string) => void,
  ) {}

  start(): void {
    for (const signal of HANDLED_SIGNALS) process.on(signal, this.handler);
  }

  stop(): void {
    for (const signal of HANDLED_SIGNALS) process.off(signal, this.handler);
  }

  /** The Jest process signals go to while it runs; undefined once it has exited. */
  attach(child: ChildProcess | undefined): void {
    this.child = child;
  }
}

/** A shell's exit code for death by `signal`: 128 + its number. */
function exitCodeOf(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 2);
}

function findJest(cwd: string): string {
  const bin = resolveJestBin(cwd);
  if (bin === undefined) throw new ConfigError(`perfguard test runs Jest, but Jest is not installed in ${cwd}: npm install --save-dev jest`);
  return bin;
}

/** The program and arguments that run Jest: Node directly, or Node under callgrind. */
interface Launch {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

function runJest(context: CommandContext, launch: Launch, cwd: string, interruption: Interruption): Promise<JestExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(launch.file, launch.args, { cwd, env: launch.env, stdio: ['inherit', 'pipe', 'pipe'] });
    // Decoded as streams, so a multi-byte character split across two chunks stays whole.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (text: string) => context.stdout.write(text));
    child.stderr.on('data', (text: string) => context.stderr.write(text));
    interruption.attach(child);
    child.on('error', (error) => {
      interruption.attach(undefined);
      reject(error);
    });
    child.on('close', (code, signal) => {
      interruption.attach(undefined);
      resolve({ code, signal });
    });
  });
}

/** The run as the reporter recorded it, else as the helpers did (no perfguard reporter configured). */
function launchStateOf(stateFile: string, fallback: LaunchState): LaunchState {
  return readLaunchState(stateFile) ?? fallback;
}

/** Refuses, with the reason and the fix, when the instructions mode cannot run here. */
async function requireInstructionsSupport(context: CommandContext): Promise<string> {
  const support = await checkInstructionsSupport({ env: context.env });
  if (support.status !== 'supported') throw new ConfigError(`perfguard test --instructions: ${support.message}`);
  return support.valgrindPath;
}

/**
 * Jest under callgrind, in band (one process, which callgrind counts), with V8's determinism
 * flags and PERFGUARD_MODE=instructions; fresh-process rounds add nothing to exact counts and
 * are skipped. Dumps go to a folder that is removed afterwards.
 */
function underValgrind(valgrindPath: string, command: JestCommand, jestArgs: string[], env: NodeJS.ProcessEnv, stateDir: string): Launch {
  const dumpDir = path.join(stateDir, 'callgrind');
  fs.mkdirSync(dumpDir);
  const counted = valgrindCommand([command.jest, ...jestArgs, '--runInBand'], {
    dumpDir,
    valgrindPath,
    nodePath: command.node,
    env: { ...env, PERFGUARD_MODE: 'instructions', PERFGUARD_ROUNDS: '1' },
  });
  return { file: counted.command, args: counted.args, env: counted.env };
}

/**
 * `perfguard test [--rounds N] -- <jest arguments>`: runs Jest with perfguard's settings (one
 * run id, the rounds, the Jest command for fresh-process rounds, node --expose-gc), then
 * publishes the run's reports and exits like `perfguard report`: 0 fine, 1 regressions at or
 * above --fail-on or failing tests, 2 usage or store errors.
 */
export async function runTestCommand(context: CommandContext, jestArgs: string[], options: TestOptions): Promise<number> {
  if (jestArgs.length === 0) {
    throw new ConfigError('perfguard test needs the Jest arguments after --, such as: perfguard test -- --config jest.perf.config.js');
  }
  const rounds = options.rounds === undefined ? undefined : parsePositiveInteger(options.rounds, '--rounds');
  const jest = findJest(context.cwd);
  const valgrind = options.instructions === true ? await requireInstructionsSupport(context) : undefined;
  const command: JestCommand = { node: process.execPath, nodeArgs: ['--expose-gc'], jest, args: configArguments(jestArgs), cwd: context.cwd };
  const runId = context.env['PERFGUARD_RUN_ID']?.trim() || randomUUID();
  const storePath = resolveStorePath({ path: options.db, rootDir: context.cwd, env: context.env });
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-test-'));
  const stateFile = path.join(stateDir, 'state.json');
  const interruption = new Interruption(
    () => fs.rmSync(stateDir, { recursive: true, force: true }),
    (text) => context.stderr.write(text),
  );
  interruption.start();
  try {
    const env: NodeJS.ProcessEnv = {
      ...context.env,
      PERFGUARD_RUN_ID: runId,
      PERFGUARD_DB: storePath,
      [JEST_COMMAND_ENV]: JSON.stringify(command),
      [LAUNCH_STATE_ENV]: stateFile,
      ...(rounds === undefined ? {} : { PERFGUARD_ROUNDS: String(rounds) }),
    };
    const launch: Launch =
      valgrind === undefined
        ? { file: command.node, args: [...command.nodeArgs, command.jest, ...jestArgs], env }
        : underValgrind(valgrind, command, jestArgs, env, stateDir);
    const exit = await runJest(context, launch, command.cwd, interruption);
    if (interruption.signal !== undefined) {
      context.stderr.write(`perfguard: interrupted (${interruption.signal}); no report written. Results finished before the interruption are in the store.\n`);
      return exitCodeOf(interruption.signal);
    }
    const state = launchStateOf(stateFile, { runId, storePath, outputDir: path.resolve(context.cwd, 'perfguard-reports'), rootDir: context.cwd, failOn: 'critical' });
    return await publish(context, state, options, exit);
  } finally {
    interruption.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

async function publish(context: CommandContext, state: LaunchState, options: TestOptions, exit: JestExit): Promise<number> {
  const failOn = options.failOn ?? state.failOn;
  const outputDir = options.outputDir === undefined ? state.outputDir : path.resolve(context.cwd, options.outputDir);
  const jestFailed = exit.code !== 0;
  const summary = isPostgresUrl(state.storePath) || fs.existsSync(state.storePath) ? await summaryOf(state) : undefined;
  if (summary === undefined || summary.reports.length === 0) {
    context.stderr.write(`perfguard: no performance results in this run (store ${maskPassword(state.storePath)}).\n`);
    return jestFailed ? 1 : 0;
  }
  publishRun(summary, { outputDir, rootDir: state.rootDir, write: (text) => context.stderr.write(text), env: context.env });
  const failure = runFailure(summary, failOn);
  if (failure !== undefined) context.stderr.write(`${failure}\n`);
  if (jestFailed && failure === undefined) {
    context.stderr.write(`perfguard: Jest failed (${exit.signal === null ? `exit code ${exit.code ?? 'none'}` : `signal ${exit.signal}`}): see its output above.\n`);
  }
  return jestFailed || failure !== undefined ? 1 : 0;
}

async function summaryOf(state: LaunchState): Promise<RunSummary | undefined> {
  const store = await openStore(state.storePath, { readonly: true });
  try {
    const run = await store.getRun(state.runId);
    return run === undefined ? undefined : summarizeRun(run, (await store.resultsOfRun(run.id)).map((result) => result.report));
  } finally {
    await store.close();
  }
}

/** Registers `perfguard test`. */
export function registerTestCommand(program: Command, context: CommandContext, setExitCode: (code: number) => void): void {
  program
    .command('test')
    .description('run Jest with perfguard (fresh-process rounds for flagged benchmarks), then publish the reports and exit 0/1/2')
    .argument('[jest...]', 'Jest arguments, after --')
    .option('--rounds <n>', 'runs (processes) a flagged verdict or a new baseline rests on (default 3; 1 measures once)')
    .option('--instructions', 'count instructions under Valgrind instead of timing (Linux; exact, in band)')
    .addOption(new Option('--fail-on <level>', 'exit 1 on regressions at or above this severity (default: the reporter\'s, else critical)').choices(['critical', 'warning', 'none']))
    .addOption(dbOption())
    .option('--output-dir <dir>', "folder for perfguard-report.json and .md (default: the reporter's outputDir, else perfguard-reports)")
    .passThroughOptions()
    .action(async (jestArgs: string[], options: TestOptions) => {
      setExitCode(await runTestCommand(context, jestArgs, options));
    });
}
