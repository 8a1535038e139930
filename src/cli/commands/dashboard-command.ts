import type { Command } from 'commander';
import { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT, startDashboard } from '../../dashboard';
import { resolveStorePath } from '../../store';
import { type CommandContext, dbOption, parsePositiveInteger } from '../_context';

/** `perfguard dashboard`: serve the store's history as a local web page until stopped. */
export function registerDashboardCommand(program: Command, context: CommandContext, waitForStop: () => Promise<void>): void {
  program
    .command('dashboard')
    .description('serve trends, regressions and coverage as a local web page (read-only)')
    .addOption(dbOption())
    .option('--port <port>', 'port to listen on', String(DEFAULT_DASHBOARD_PORT))
    .option('--host <host>', 'address to bind; the default serves this machine only', DEFAULT_DASHBOARD_HOST)
    .action(async (options: { db?: string; port: string; host: string }) => {
      const port = options.port === '0' ? 0 : parsePositiveInteger(options.port, '--port');
      const dashboard = await startDashboard({ dbPath: resolveStorePath({ path: options.db, rootDir: context.cwd, env: context.env }), port, host: options.host });
      context.stdout.write(`perfguard dashboard: ${dashboard.url} (Ctrl-C to stop)\n`);
      await waitForStop();
      await dashboard.close();
    });
}
