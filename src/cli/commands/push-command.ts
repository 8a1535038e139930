import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors';
import { isPostgresUrl, maskPassword, pushStore, SqliteStore } from '../../store';
import { type CommandContext, dbOption, withStore } from '../_context';

/** Refuses a source that is not a SQLite file, naming what push is for. */
function sqliteSource(context: CommandContext, file: string): string {
  if (isPostgresUrl(file)) {
    throw new ConfigError(`perfguard push reads a SQLite store file, received the URL ${maskPassword(file)}. Push a file into the shared store: perfguard push perfguard.db --db postgres://…`);
  }
  return path.resolve(context.cwd, file);
}

/**
 * `perfguard push FILE --db URL`: moves a local store's runs into the shared store, so that
 * sharded or offline jobs report in later; pushing the same file twice adds nothing.
 */
export function registerPushCommand(program: Command, context: CommandContext): void {
  program
    .command('push')
    .argument('<file>', 'SQLite store to push (only read)')
    .addOption(dbOption('store to push into, usually a postgres:// URL (default: PERFGUARD_DB, else baselines/perfguard.db)'))
    .description("move a local store's runs, results and baselines into the shared store; pushing the same file twice adds nothing")
    .action(async (file: string, options: { db?: string }) => {
      const sourceFile = sqliteSource(context, file);
      const source = SqliteStore.open(sourceFile, { readonly: true });
      try {
        await withStore(context, options.db, false, async (target) => {
          if (target.kind === 'sqlite' && target.location === sourceFile) throw new ConfigError(`perfguard push: ${file} is the store it would push into; pass --db with the shared store's URL.`);
          const { added, pushed } = await pushStore(source, target);
          context.stdout.write(
            `${file} → ${target.location}: ${added.runs} run(s), ${added.results} result(s), ${added.epochs} baseline epoch(s) added (it holds ${pushed.runs}, ${pushed.results}, ${pushed.epochs}; the rest were there already)\n`,
          );
        });
      } finally {
        await source.close();
      }
    });
}
