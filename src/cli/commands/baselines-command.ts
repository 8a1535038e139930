import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../../errors';
import { formatDuration, formatInstructions } from '../../_format';
import { alignColumns, formatMedianSpread } from '../../report';
import { baselineAuthor } from '../../runner';
import type { PerfguardStore } from '../../store';
import type { BaselineEpoch } from '../../types';
import { type ExportedBaseline, readBaselinesFile, writeBaselinesFile } from '../baselines-file';
import { type CommandContext, dbOption, type ListFormat, printJson, withStore } from '../_context';
import { formatOption } from './report-command';

interface DbOption {
  db?: string;
}

function short(commit: string | null): string {
  return commit === null ? '–' : commit.slice(0, 12);
}

async function currentBaselines(store: PerfguardStore): Promise<ExportedBaseline[]> {
  const found: ExportedBaseline[] = [];
  for (const { epochs } of await store.listBaselines()) {
    for (const epoch of epochs) {
      const result = epoch.resultId === null ? undefined : await store.getResult(epoch.resultId);
      const run = result === undefined ? undefined : await store.getRun(result.runId);
      if (result !== undefined && run !== undefined) found.push({ epoch, result, run });
    }
  }
  return found;
}

async function listBaselines(context: CommandContext, options: DbOption & { format: ListFormat }): Promise<void> {
  const baselines = await withStore(context, options.db, true, currentBaselines);
  if (options.format === 'json') {
    printJson(
      context,
      baselines.map(({ epoch, result }) => ({
        ...epoch,
        mode: epoch.mode ?? 'time',
        medianDuration: result.report.duration.median,
        madDuration: result.report.duration.mad,
        instructionsPerCall: result.report.instructions?.median ?? null,
      })),
    );
    return;
  }
  if (baselines.length === 0) {
    context.stdout.write('No baselines yet: run the performance tests to create them.\n');
    return;
  }
  const rows = baselines.map(({ epoch, result }) => [
    epoch.testName,
    result.report.instructions === undefined ? formatMedianSpread(result.report.duration.median, result.report.duration.mad) : formatInstructions(result.report.instructions.median),
    epoch.createdAt,
    short(epoch.commit),
    epoch.reason ?? '–',
    epoch.environmentKey,
  ]);
  context.stdout.write(`${alignColumns([['test', 'median ± MAD', 'since', 'commit', 'reason', 'environment'], ...rows])}\n`);
}

async function requireBaselines(store: PerfguardStore, name: string): Promise<ExportedBaseline[]> {
  const found = (await currentBaselines(store)).filter((entry) => entry.epoch.testName === name);
  if (found.length === 0) throw new ConfigError(`No baseline for '${name}' in ${store.location}. See 'perfguard baselines list'.`);
  return found;
}

async function showBaseline(context: CommandContext, name: string, options: DbOption & { format: ListFormat }): Promise<void> {
  const found = await withStore(context, options.db, true, (store) => requireBaselines(store, name));
  if (options.format === 'json') {
    printJson(context, found.map(({ epoch, result }) => ({ epoch, report: result.report })));
    return;
  }
  for (const { epoch, result } of found) {
    const d = result.report.duration;
    const counted = result.report.instructions;
    const durationLine = `median ${formatDuration(d.median)} (95 % CI ${formatDuration(d.medianCi.lower)}–${formatDuration(d.medianCi.upper)}), mean ${formatDuration(d.mean)} ± ${formatDuration(d.std)}, p95 ${formatDuration(d.p95)}`;
    const lines = [
      `${epoch.testName}  (${epoch.environmentKey}, ${epoch.mode ?? 'time'} mode)`,
      `  since     ${epoch.createdAt} at commit ${short(epoch.commit)} by ${epoch.createdBy ?? '–'}: ${epoch.reason ?? '–'}`,
      // Instructions mode is judged on the count; its duration is wall time under Valgrind.
      ...(counted === undefined
        ? [`  duration  ${durationLine}`]
        : [`  counted   ${formatInstructions(counted.median)} per call (rounds ${counted.rounds.map(formatInstructions).join(', ')})`, `  wall time under Valgrind: ${durationLine}`]),
      `  samples   ${result.report.iterations} × ${result.report.callsPerIteration} call(s)`,
    ];
    context.stdout.write(`${lines.join('\n')}\n`);
  }
}

async function baselineHistory(context: CommandContext, name: string, options: DbOption & { format: ListFormat }): Promise<void> {
  const epochs = await withStore(context, options.db, true, async (store) => {
    const withMedians: { epoch: BaselineEpoch; median: number | null; instructions: number | null }[] = [];
    for (const epoch of await store.baselineEpochs(name)) {
      const result = epoch.resultId === null ? undefined : await store.getResult(epoch.resultId);
      withMedians.push({ epoch, median: result?.report.duration.median ?? null, instructions: result?.report.instructions?.median ?? null });
    }
    return withMedians;
  });
  if (epochs.length === 0) throw new ConfigError(`No baseline epochs for '${name}'. See 'perfguard baselines list'.`);
  if (options.format === 'json') {
    printJson(context, epochs.map(({ epoch, median, instructions }) => ({ ...epoch, mode: epoch.mode ?? 'time', medianDuration: median, instructionsPerCall: instructions })));
    return;
  }
  const rows = epochs.map(({ epoch, median, instructions }) => [
    epoch.createdAt,
    epoch.isDeleted ? 'deleted' : instructions !== null ? formatInstructions(instructions) : median === null ? '–' : formatDuration(median),
    short(epoch.commit),
    epoch.reason ?? '–',
    epoch.createdBy ?? '–',
    epoch.environmentKey,
  ]);
  context.stdout.write(`${alignColumns([['since', 'median', 'commit', 'reason', 'by', 'environment'], ...rows])}\n`);
}

async function deleteBaseline(context: CommandContext, name: string, options: DbOption & { yes?: boolean }): Promise<void> {
  if (options.yes !== true) {
    throw new ConfigError(`Deleting the baseline of '${name}' needs --yes. History stays: a deletion marker is appended, and the next run starts a new baseline.`);
  }
  await withStore(context, options.db, false, async (store) => {
    for (const { epoch } of await requireBaselines(store, name)) {
      const marker: BaselineEpoch = {
        ...epoch,
        id: randomUUID(),
        createdAt: new Date().toISOString(),
        reason: 'deleted with perfguard baselines delete',
        createdBy: baselineAuthor(context.env),
        resultId: null,
        isDeleted: true,
      };
      await store.addBaselineEpoch(marker);
      context.stdout.write(`Deleted the baseline of '${name}' on ${epoch.environmentKey}.\n`);
    }
  });
}

async function exportBaselines(context: CommandContext, file: string, options: DbOption): Promise<void> {
  const baselines = await withStore(context, options.db, true, currentBaselines);
  const target = path.resolve(context.cwd, file);
  fs.writeFileSync(target, writeBaselinesFile(baselines));
  context.stdout.write(`Exported ${baselines.length} baseline(s) to ${file}.\n`);
}

async function importBaselines(context: CommandContext, file: string, options: DbOption): Promise<void> {
  const source = path.resolve(context.cwd, file);
  if (!fs.existsSync(source)) throw new ConfigError(`Import refused: no file ${file}.`);
  const parsed = readBaselinesFile(fs.readFileSync(source, 'utf8'), file);
  const added = await withStore(context, options.db, false, (store) =>
    store.importRecords({
      runs: parsed.baselines.map((entry) => entry.run),
      results: parsed.baselines.map((entry) => entry.result),
      epochs: parsed.baselines.map((entry) => entry.epoch),
    }),
  );
  context.stdout.write(`Imported ${added.epochs} new baseline epoch(s) of ${parsed.baselines.length} in ${file}.\n`);
}

/** `perfguard baselines list | show | history | delete | export | import`. */
export function registerBaselinesCommand(program: Command, context: CommandContext): void {
  const baselines = program.command('baselines').description('list, inspect, delete, export and import baselines');
  const db = (command: Command): Command => command.addOption(dbOption());
  db(baselines.command('list').description('every current baseline').addOption(formatOption(['table', 'json']))).action((options: DbOption & { format: ListFormat }) =>
    listBaselines(context, options),
  );
  db(baselines.command('show').argument('<name>', 'test name').description("a test's current baseline").addOption(formatOption(['table', 'json']))).action(
    (name: string, options: DbOption & { format: ListFormat }) => showBaseline(context, name, options),
  );
  db(baselines.command('history').argument('<name>', 'test name').description("a test's baseline epochs, oldest first").addOption(formatOption(['table', 'json']))).action(
    (name: string, options: DbOption & { format: ListFormat }) => baselineHistory(context, name, options),
  );
  db(baselines.command('delete').argument('<name>', 'test name').description("end a test's baseline (history is kept)").option('--yes', 'confirm')).action(
    (name: string, options: DbOption & { yes?: boolean }) => deleteBaseline(context, name, options),
  );
  db(baselines.command('export').argument('<file>', 'JSON file to write').description('write every current baseline to a reviewable JSON file')).action(
    (file: string, options: DbOption) => exportBaselines(context, file, options),
  );
  db(baselines.command('import').argument('<file>', 'JSON file from export').description('read baselines from an export file (all or nothing)')).action(
    (file: string, options: DbOption) => importBaselines(context, file, options),
  );
}
