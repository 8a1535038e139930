import { Command, CommanderError } from 'commander';
import { describeError, isPerfguardError } from '../errors';
import type { CommandContext, Output } from './_context';
import { registerBaselinesCommand } from './commands/baselines-command';
import { registerCompareCommand } from './commands/compare-command';
import { registerDashboardCommand } from './commands/dashboard-command';
import { registerHistoryCommand } from './commands/history-command';
import { registerMergeCommand } from './commands/merge-command';
import { registerPushCommand } from './commands/push-command';
import { registerReportCommand } from './commands/report-command';
import { registerTestCommand } from './commands/test-command';

/** Where the CLI runs and writes; tests pass fake streams. */
export interface CliOptions {
  argv: string[];
  cwd: string;
  stdout: Output;
  stderr: Output;
  env?: NodeJS.ProcessEnv;
  /** Resolves when a long-running command (dashboard) should stop. @default on SIGINT or SIGTERM */
  untilStopped?: () => Promise<void>;
}

/** Exit codes: 0 fine, 1 regressions at or above --fail-on, 2 usage or store errors. */
export const EXIT_OK = 0;
export const EXIT_REGRESSION = 1;
export const EXIT_ERROR = 2;

function packageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside rootDir
  return (require('../../package.json') as { version: string }).version;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

function buildProgram(context: CommandContext, setExitCode: (code: number) => void, untilStopped: () => Promise<void>): Command {
  const program = new Command('perfguard')
    .description('Performance regression testing for Jest: reports, baselines and history from the perfguard store.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => context.stdout.write(text), writeErr: (text) => context.stderr.write(text) })
    .enablePositionalOptions();
  registerReportCommand(program, context, setExitCode);
  registerBaselinesCommand(program, context);
  registerHistoryCommand(program, context);
  registerCompareCommand(program, context, setExitCode);
  registerMergeCommand(program, context);
  registerPushCommand(program, context);
  registerDashboardCommand(program, context, untilStopped);
  registerTestCommand(program, context, setExitCode);
  // Every command (and sub-command) reports usage errors as values, never by exiting.
  const override = (command: Command): void => {
    command.exitOverride();
    command.commands.forEach(override);
  };
  override(program);
  return program;
}

/**
 * Runs the `perfguard` command and resolves to its exit code. Never calls `process.exit`;
 * only bin/perfguard.js does.
 */
export async function run(options: CliOptions): Promise<number> {
  let exitCode = EXIT_OK;
  const context: CommandContext = { cwd: options.cwd, env: options.env ?? process.env, stdout: options.stdout, stderr: options.stderr };
  const program = buildProgram(context, (code) => (exitCode = code), options.untilStopped ?? untilSignal);
  try {
    await program.parseAsync(options.argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT_OK : EXIT_ERROR;
    }
    const reason = isPerfguardError(error) ? error.message : describeError(error);
    context.stderr.write(`perfguard: ${reason.split('\n')[0] ?? reason}\n`);
    return EXIT_ERROR;
  }
}
