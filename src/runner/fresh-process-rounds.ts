import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessFigures } from '../types';
import { type JestCommand, readJestCommand, resolveJestBin } from '../_launch';
import { readRoundOutput, ROUND_OUTPUT_ENV, ROUND_TARGET_ENV } from './round-protocol';

/** What a benchmark needs measured again in fresh processes. */
export interface RoundRequest {
  /** Benchmark name. */
  name: string;
  /** Fresh processes to start, one after the other. */
  rounds: number;
  /** The Jest test file that measured it, or null outside Jest. */
  testFile: string | null;
  /** Jest's full name of the test (describe blocks and test), or null outside Jest. */
  testName: string | null;
  /** How long one round may take before it is stopped. */
  timeoutMs: number;
  /**
   * When the calling Jest test times out, by `now()`: a round that would not end before it
   * is not started. Absent outside Jest or without a known timeout.
   */
  deadline?: { at: number; now: () => number; timeoutMs: number } | undefined;
  /** What one round is expected to take before the first has run, in ms. */
  expectedRoundMs: number;
}

/** What the rounds brought back. */
export interface RoundsOutcome {
  /** One entry per round that measured. */
  processes: ProcessFigures[];
  /** One line per round that did not, saying why. */
  failures: string[];
  /** Wall time the rounds took, start to finish, in ms. */
  elapsedMs: number;
}

/** Starts fresh processes that measure one benchmark again. Tests inject their own. */
export interface RoundRunner {
  /** How the rounds are run, for notes: 'a child Jest process', 'the script again'. */
  readonly description: string;
  run(request: RoundRequest): Promise<RoundsOutcome>;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A child's environment: the round variables, without the parent's Jest worker identity. */
function childEnvironment(request: RoundRequest, output: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, [ROUND_TARGET_ENV]: request.name, [ROUND_OUTPUT_ENV]: output };
  delete env['JEST_WORKER_ID'];
  return env;
}

interface Exit {
  code: number | null;
  tail: string;
  timedOut: boolean;
}

function runChild(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => keep(Buffer.from(String(error))));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, tail, timedOut });
    });
  });
}

function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .slice(-count)
    .join(' | ');
}

/** Room kept between the last round and the test's own timeout. */
const DEADLINE_MARGIN_MS = 1_000;

/** Time a round may still take before the calling test would time out; Infinity without a deadline. */
function timeLeft(request: RoundRequest): number {
  const { deadline } = request;
  return deadline === undefined ? Infinity : deadline.at - deadline.now() - DEADLINE_MARGIN_MS;
}

function noTimeLeft(request: RoundRequest): string {
  const seconds = Math.round((request.deadline?.timeoutMs ?? 0) / 1000);
  return `they would not end within this test's ${seconds} s timeout; give the test more time (testTimeout in the Jest config, or a timeout argument) or use performanceTest, which sets its own`;
}

type ChildArgs = (request: RoundRequest) => { file: string; args: string[]; cwd: string };

function roundRunner(description: string, childArgs: ChildArgs): RoundRunner {
  return {
    description,
    async run(request) {
      const started = Date.now();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-round-'));
      const outcome: RoundsOutcome = { processes: [], failures: [], elapsedMs: 0 };
      try {
        let expectedMs = request.expectedRoundMs;
        for (let round = 1; round <= request.rounds; round++) {
          const left = timeLeft(request);
          if (left < expectedMs) {
            outcome.failures.push(`${request.rounds - round + 1} of ${request.rounds} round(s) not run: ${noTimeLeft(request)}`);
            break;
          }
          const output = path.join(dir, `round-${round}.json`);
          const { file, args, cwd } = childArgs(request);
          const roundStarted = Date.now();
          const exit = await runChild(file, args, cwd, childEnvironment(request, output), Math.min(request.timeoutMs, left));
          if (exit.timedOut && left < request.timeoutMs) {
            outcome.failures.push(`round ${round} was stopped: ${noTimeLeft(request)}`);
            break;
          }
          expectedMs = Date.now() - roundStarted;
          const figures = readRoundOutput(output, request.name);
          if (figures !== undefined) outcome.processes.push(figures);
          else if (exit.timedOut) outcome.failures.push(`round ${round} was stopped after ${Math.round(request.timeoutMs / 1000)} s`);
          else outcome.failures.push(`round ${round} measured nothing (exit code ${exit.code ?? 'none'}): ${lastLines(exit.tail, 3) || 'no output'}`);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
        outcome.elapsedMs = Date.now() - started;
      }
      return outcome;
    },
  };
}

/** Rounds as child Jest processes that run only the benchmark's own test. */
export function createJestRoundRunner(command: JestCommand): RoundRunner {
  return roundRunner('a fresh Jest process running this test alone', (request) => ({
    file: command.node,
    cwd: command.cwd,
    args: [
      ...command.nodeArgs,
      command.jest,
      ...command.args,
      '--runInBand',
      '--ci',
      '--coverage=false',
      '--reporters=default',
      '--runTestsByPath',
      request.testFile ?? '',
      '--testNamePattern',
      `^${escapeRegExp(request.testName ?? request.name)}$`,
    ],
  }));
}

/** Rounds as the same script started again (outside Jest). */
export function createScriptRoundRunner(script: string, scriptArgs: readonly string[]): RoundRunner {
  return roundRunner('the script again in a fresh process', () => ({
    file: process.execPath,
    cwd: process.cwd(),
    args: [...process.execArgv, script, ...scriptArgs],
  }));
}

/**
 * How this process can measure a benchmark again in fresh processes: a child Jest process
 * running only its test (the command comes from perfguard's reporter or `perfguard test`,
 * else Jest is found from the working directory), or, outside Jest, the same script again.
 * Undefined when neither is possible (a REPL, `node -e`).
 */
export function chooseRoundRunner(env: NodeJS.ProcessEnv, testFile: string | null): RoundRunner | undefined {
  if (testFile !== null) {
    const command = readJestCommand(env) ?? discoverJestCommand();
    return command === undefined ? undefined : createJestRoundRunner(command);
  }
  const script = process.argv[1];
  if (script === undefined || !fs.existsSync(script)) return undefined;
  return createScriptRoundRunner(script, process.argv.slice(2));
}

function discoverJestCommand(): JestCommand | undefined {
  const jest = resolveJestBin(process.cwd());
  if (jest === undefined) return undefined;
  const hasGc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  return { node: process.execPath, nodeArgs: hasGc ? ['--expose-gc'] : [], jest, args: [], cwd: process.cwd() };
}
