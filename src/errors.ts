/**
 * Stable codes carried by every {@link PerfguardError}; match on these, not on messages.
 */
export type PerfguardErrorCode =
  | 'ERR_PERFGUARD_CONFIG'
  | 'ERR_PERFGUARD_STORE'
  | 'ERR_PERFGUARD_MEASUREMENT'
  | 'ERR_PERFGUARD_FAKE_TIMERS'
  | 'ERR_PERFGUARD_DUPLICATE_NAME'
  | 'ERR_PERFGUARD_INSTRUCTIONS';

/**
 * Base class of every error perfguard throws on purpose.
 *
 * Jest runs tests in a separate VM context from the reporter, so `instanceof` can fail
 * across that boundary; use the `is*Error` guards, which also check `name` and `code`.
 */
export class PerfguardError extends Error {
  /** Stable, machine-readable error code. */
  readonly code: PerfguardErrorCode;

  /**
   * @param message what happened, why, and the fix
   * @param code stable error code
   * @param options `cause`: the underlying error, if any
   */
  constructor(message: string, code: PerfguardErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PerfguardError';
    this.code = code;
  }
}

/** A bad option, argument or environment variable, refused where it entered. */
export class ConfigError extends PerfguardError {
  /** @param message names the option, what was received, and the fix */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_PERFGUARD_CONFIG', options);
    this.name = 'ConfigError';
  }
}

/** The baseline store could not be opened, read or written. The file is left as it was. */
export class StoreError extends PerfguardError {
  /** @param message names the file, the reason and what to do */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_PERFGUARD_STORE', options);
    this.name = 'StoreError';
  }
}

/** The measured function (or its setup/teardown) threw; nothing was recorded. */
export class MeasurementError extends PerfguardError {
  /** @param message names the benchmark; `cause` holds the function's own error */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_PERFGUARD_MEASUREMENT', options);
    this.name = 'MeasurementError';
  }
}

/** The clock does not advance: Jest's (or sinon's) fake timers replaced it. */
export class FakeTimersError extends PerfguardError {
  /** @param message explains how to measure with real timers */
  constructor(message: string) {
    super(message, 'ERR_PERFGUARD_FAKE_TIMERS');
    this.name = 'FakeTimersError';
  }
}

/** The same benchmark name was used from two places in one run. */
export class DuplicateNameError extends PerfguardError {
  /** @param message names both places */
  constructor(message: string) {
    super(message, 'ERR_PERFGUARD_DUPLICATE_NAME');
    this.name = 'DuplicateNameError';
  }
}

/**
 * The `instructions` measuring mode cannot run here: not under Valgrind, Valgrind missing,
 * an unsupported platform, or the callgrind addon could not be built or loaded.
 */
export class InstructionsModeError extends PerfguardError {
  /** @param message what is missing and the fix (a package to install, a launcher to use) */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_PERFGUARD_INSTRUCTIONS', options);
    this.name = 'InstructionsModeError';
  }
}

function hasNameAndCode(error: unknown, name: string, code: PerfguardErrorCode): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { name?: unknown; code?: unknown };
  return candidate.name === name && candidate.code === code;
}

/** True for any perfguard error, even one created in another VM context. */
export function isPerfguardError(error: unknown): error is PerfguardError {
  if (error instanceof PerfguardError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('ERR_PERFGUARD_');
}

/** True for a {@link ConfigError}, even one created in another VM context. */
export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError || hasNameAndCode(error, 'ConfigError', 'ERR_PERFGUARD_CONFIG');
}

/** True for a {@link StoreError}, even one created in another VM context. */
export function isStoreError(error: unknown): error is StoreError {
  return error instanceof StoreError || hasNameAndCode(error, 'StoreError', 'ERR_PERFGUARD_STORE');
}

/** True for a {@link MeasurementError}, even one created in another VM context. */
export function isMeasurementError(error: unknown): error is MeasurementError {
  return (
    error instanceof MeasurementError ||
    hasNameAndCode(error, 'MeasurementError', 'ERR_PERFGUARD_MEASUREMENT')
  );
}

/** True for an {@link InstructionsModeError}, even one created in another VM context. */
export function isInstructionsModeError(error: unknown): error is InstructionsModeError {
  return (
    error instanceof InstructionsModeError ||
    hasNameAndCode(error, 'InstructionsModeError', 'ERR_PERFGUARD_INSTRUCTIONS')
  );
}

/** Describes any thrown value in one line, for messages. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return String((error).message);
  }
  return String(error);
}
