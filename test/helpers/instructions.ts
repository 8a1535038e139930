import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { findOnPath } from '../../src/tracker/instructions/instructions-support';
import { REPO_ROOT, runProcess, type RunOutcome } from './packed-project';

/**
 * Whether tests that run Valgrind can. Without it they say so loudly and skip locally;
 * under CI=true a missing Valgrind is a failure, never a silent skip.
 */
export function valgrindAvailable(): boolean {
  if (findOnPath('valgrind', process.env['PATH']) !== undefined) return true;
  const message = 'valgrind is not on PATH: the instructions-mode tests cannot run. Install it with: apt-get install -y valgrind';
  if (process.env['CI'] === 'true') throw new Error(message);
  console.warn(`\n*** SKIPPING INSTRUCTIONS-MODE TESTS: ${message} ***\n`);
  return false;
}

/**
 * Makes fresh folders under the system's temporary folder and deletes them all after the
 * test file. Call it at the top of a test file.
 * @returns a function that makes one folder named `<prefix>XXXXXX` and returns its path
 */
export function temporaryFolders(): (prefix: string) => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}

function transpileTree(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) {
      transpileTree(source, path.join(to, entry.name));
    } else if (entry.name.endsWith('.ts')) {
      const output = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        fileName: source,
      });
      fs.mkdirSync(to, { recursive: true });
      fs.writeFileSync(path.join(to, entry.name.replace(/\.ts$/, '.js')), output.outputText);
    }
  }
}

/**
 * The repository's `src` as plain JavaScript in a fresh folder under `.tmp` (so its imports
 * resolve from the repository's node_modules), with `native` linked beside it as in the
 * package. Child processes, above all those under Valgrind, load it without a TypeScript
 * hook, which would take seconds to start there.
 * @returns the folder; its `src/tracker/instructions/index.js` is the module under test
 */
export function transpileSources(): string {
  const base = path.join(REPO_ROOT, '.tmp');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'instructions-'));
  transpileTree(path.join(REPO_ROOT, 'src'), path.join(dir, 'src'));
  fs.symlinkSync(path.join(REPO_ROOT, 'native'), path.join(dir, 'native'));
  return dir;
}

/** Runs `node <script>` natively with `env` added to this process's environment. */
export function runNodeScript(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<RunOutcome> {
  return runProcess(process.execPath, [script], { cwd, env: { ...process.env, ...env }, timeoutMs: 300_000 });
}

/** The last line of a child's stdout, parsed as JSON. */
export function lastJsonLine<T>(outcome: RunOutcome): T {
  const lines = outcome.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    throw new Error(`child printed no JSON (exit ${String(outcome.code)}):\n${outcome.output}`);
  }
}
