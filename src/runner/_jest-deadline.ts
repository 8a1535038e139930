interface CircusTest {
  startedAt?: number | null;
  timeout?: number;
}

interface CircusState {
  currentlyRunningTest?: CircusTest | null;
  testTimeout?: number;
}

function nativeNow(): number {
  const now = (globalThis as Record<symbol, unknown>)[Symbol.for('jest-native-now')];
  return typeof now === 'function' ? (now as () => number)() : Date.now();
}

/**
 * When the running Jest test times out (ms since the epoch, by Jest's own clock), read from
 * jest-circus's state; undefined outside a Jest test or when it cannot be read. Lets a
 * benchmark inside a test with a short timeout run fewer fresh-process rounds instead of
 * timing out.
 */
export function currentTestDeadline(): { deadline: number; timeoutMs: number; now: () => number } | undefined {
  const symbol = Object.getOwnPropertySymbols(globalThis).find((candidate) => candidate.description === 'JEST_STATE_SYMBOL');
  if (symbol === undefined) return undefined;
  const state = (globalThis as Record<symbol, unknown>)[symbol] as CircusState | undefined;
  const test = state?.currentlyRunningTest;
  if (test === undefined || test === null || typeof test.startedAt !== 'number') return undefined;
  const timeoutMs = test.timeout ?? state?.testTimeout;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) return undefined;
  return { deadline: test.startedAt + timeoutMs, timeoutMs, now: nativeNow };
}
