import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors';
import { isPostgresUrl, maskPassword, SqliteStore } from '../../store';
import type { CommandContext } from '../_context';

/** `perfguard merge OUT.db IN.db...`: fold sharded stores into one. */
export function registerMergeCommand(program: Command, context: CommandContext): void {
  program
    .command('merge')
    .argument('<out>', 'store to merge into (created if missing)')
    .argument('<inputs...>', 'stores to fold in (only read)')
    .description('fold the stores of sharded jobs into one; merging the same input twice adds nothing')
    .action(async (out: string, inputs: string[]) => {
      const url = [out, ...inputs].find(isPostgresUrl);
      if (url !== undefined) {
        throw new ConfigError(`perfguard merge folds SQLite store files, received the URL ${maskPassword(url)}. To move a store file into a PostgreSQL store: perfguard push FILE --db URL.`);
      }
      const target = SqliteStore.open(path.resolve(context.cwd, out));
      try {
        for (const input of inputs) {
          const added = await target.mergeFrom(path.resolve(context.cwd, input));
          context.stdout.write(`${input}: ${added.runs} run(s), ${added.results} result(s), ${added.epochs} baseline epoch(s) added\n`);
        }
      } finally {
        await target.close();
      }
    });
}
