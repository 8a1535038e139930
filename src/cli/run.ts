import { Command, CommanderError } from 'commander';

/** Where the CLI reads and writes; tests pass fake streams. */
export interface CliContext {
  argv: string[];
  cwd: string;
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env?: NodeJS.ProcessEnv;
}

function packageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json sits outside rootDir
  return (require('../../package.json') as { version: string }).version;
}

/**
 * Runs the `perfguard` command. Never calls `process.exit`: it resolves to the exit code
 * (0 fine, 1 regressions at or above --fail-on, 2 usage or store errors).
 */
export async function run(context: CliContext): Promise<number> {
  const program = new Command('perfguard')
    .description('Performance regression testing for Jest: reports, baselines and history from the perfguard store.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
    });
  try {
    await program.parseAsync(context.argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}
