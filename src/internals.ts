// `perfguard/internals`: the building blocks under the public API, for perfguard's own tests,
// benchmarks and tools. No stability promise: names here may change in any release.
export * from './detector';
export * from './stats';
export * from './store';
export * from './tracker';
export {
  BENCHMARK_OPTION_NAMES,
  CurrentRun,
  createJestRoundRunner,
  createScriptRoundRunner,
  currentRunId,
  processFiguresOf,
  readRoundRole,
  readUpdateBaselineFlag,
  ROUND_OUTPUT_ENV,
  ROUND_TARGET_ENV,
} from './runner';
export type { RoundRequest, RoundRunner, RoundsOutcome } from './runner';
export { configArguments, JEST_COMMAND_ENV, LAUNCH_STATE_ENV } from './_launch';
export type { JestCommand, LaunchState } from './_launch';
