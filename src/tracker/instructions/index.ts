export { ADDON_SOURCE_FILES, addonCacheKey, DEFAULT_ADDON_SOURCE_DIR, loadCallgrindAddon, resolveCacheDir } from './callgrind-addon';
export type { CallgrindAddon, LoadCallgrindAddonOptions, LoadedCallgrindAddon } from './callgrind-addon';
export { CALLGRIND_DIR_ENV, CALLGRIND_OUT_FILE_NAME, collectDumps, parseDump, resolveDumpLocation } from './callgrind-dumps';
export type { DumpLocation, ParsedDump } from './callgrind-dumps';
export {
  COUNT_INSTRUCTIONS_OPTION_NAMES,
  countInstructions,
  DEFAULT_INSTRUCTIONS_ROUNDS,
  DEFAULT_INSTRUCTIONS_WARMUP,
  MAX_AUTO_CALLS,
  TARGET_ROUND_INSTRUCTIONS,
} from './count-instructions';
export type { CountInstructionsOptions, InstructionCount } from './count-instructions';
export {
  checkInstructionsSupport,
  findOnPath,
  INSTRUCTIONS_NODE_FLAGS,
  INSTRUCTIONS_VALGRIND_FLAGS,
  valgrindCommand,
} from './instructions-support';
export type {
  CheckInstructionsSupportOptions,
  InstructionsSupport,
  ValgrindCommand,
  ValgrindCommandOptions,
} from './instructions-support';
export type { NodeGypLocation, NodeGypSource } from './_node-gyp';
