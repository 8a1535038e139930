import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a benchmark was called from, for duplicate-name errors and annotations. */
export interface CallerPlace {
  /** `test/file.test.ts:12 › suite › test name` inside Jest, else `file.js:12`. */
  place: string;
  /** The Jest test file, or null outside Jest. */
  testFile: string | null;
  /** Jest's full test name (describe blocks and test), or null outside Jest. */
  testName: string | null;
}

interface JestState {
  testPath?: string;
  currentTestName?: string;
}

const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** Jest's `expect.getState()`, when running inside a Jest test. */
function readJestState(): JestState | undefined {
  const expectGlobal = (globalThis as { expect?: { getState?: () => JestState } }).expect;
  if (typeof expectGlobal?.getState !== 'function') return undefined;
  const state = expectGlobal.getState();
  return typeof state.testPath === 'string' ? state : undefined;
}

/** The first stack frame outside perfguard and Node's internals, as `file:line`. */
function callerFrame(stack: string | undefined, rootDir: string): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const match = /(?:\(|at )((?:file:\/\/)?(?:[A-Za-z]:)?[^():]+):(\d+):\d+\)?\s*$/.exec(line);
    if (match === null) continue;
    const raw = match[1] ?? '';
    const file = raw.startsWith('file://') ? fileURLToPath(raw) : raw;
    if (file.startsWith('node:') || file.startsWith(PACKAGE_ROOT + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) {
      continue;
    }
    return `${path.relative(rootDir, file) || file}:${match[2]}`;
  }
  return undefined;
}

/**
 * Describes the caller. `stack` is captured at the public entry point (for
 * `performanceTest`, when the test is registered, since the test body runs from Jest's code).
 */
export function describeCaller(stack: string | undefined, rootDir: string): CallerPlace {
  const frame = callerFrame(stack, rootDir);
  const jest = readJestState();
  if (jest?.testPath !== undefined) {
    const file = path.relative(rootDir, jest.testPath) || jest.testPath;
    const where = frame ?? file;
    const test = jest.currentTestName === undefined ? '' : ` › ${jest.currentTestName}`;
    return { place: `${where}${test}`, testFile: jest.testPath, testName: jest.currentTestName ?? null };
  }
  return { place: frame ?? 'unknown place', testFile: null, testName: null };
}
