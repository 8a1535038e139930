import type { ConditionedRun } from './run-point';
import { bySitting } from './sittings';

/**
 * Fewest reference sittings the rule is replayed on to check a detectable factor: below, the
 * model's figure stands alone. @default 10
 */
export const REPLAY_MIN_SITTINGS = 10;
/** Ratio between neighbouring slowdowns the replay tries. @default 1.1 */
export const REPLAY_STEP = 1.1;
/** Largest slowdown the replay tries; a benchmark not proven even there reads this, meaning this or more. @default 10 */
export const REPLAY_MAX_FACTOR = 10;

/** The rule being replayed: its screen for fresh-process rounds, and its verdict. */
export interface ReplayedRule {
  /** Whether a first run would be confirmed in fresh-process rounds against `reference`. */
  confirms(reference: readonly ConditionedRun[], first: ConditionedRun): boolean;
  /** Whether `current` runs would be flagged (warning or critical) against `reference`. */
  flags(reference: readonly ConditionedRun[], current: readonly ConditionedRun[]): boolean;
}

/** What a replay needs: the reference runs, the rounds a first run gets, and the rule. */
export interface ReplayInput {
  reference: readonly ConditionedRun[];
  /** Fresh-process rounds a confirmed first run gets. */
  rounds: number;
  rule: ReplayedRule;
}

/** The same run with the code `factor` times slower: its value and its CPU time per call. */
function slowed(run: ConditionedRun, factor: number, round: number): ConditionedRun {
  const cpu = run.conditions.cpuTimePerCall;
  return {
    ...run,
    value: run.value * factor,
    isFounding: false,
    sitting: 'replay',
    round,
    conditions: { ...run.conditions, cpuTimePerCall: cpu === null ? null : cpu * factor },
  };
}

/** One held-out sitting: its first run, the runs its rounds would be, and the reference without them. */
interface HeldOut {
  first: ConditionedRun;
  rounds: ConditionedRun[];
  reference: ConditionedRun[];
}

/**
 * Each reference sitting held out in turn, as the current runs of a change: its first run, and
 * for its rounds its own stored rounds, then the first runs of the next sittings in time (the
 * ones before it at the end of the history). The reference is every other sitting.
 */
function heldOutSittings(reference: readonly ConditionedRun[], rounds: number): HeldOut[] {
  const sittings = bySitting(reference).sort((a, b) => (a[0]?.at ?? '').localeCompare(b[0]?.at ?? ''));
  return sittings.map((own, i) => {
    const others = [...sittings.slice(i + 1), ...sittings.slice(0, i).reverse()];
    const standIns = others.slice(0, Math.max(0, rounds - (own.length - 1)));
    const used = new Set([own, ...standIns]);
    return {
      first: own[0] as ConditionedRun,
      rounds: [...own.slice(1), ...standIns.map((members) => members[0] as ConditionedRun)].slice(0, rounds),
      reference: sittings.filter((members) => !used.has(members)).flat(),
    };
  });
}

/**
 * The share of held-out sittings the rule flags when their code runs `factor` times slower:
 * the first run through the screen, and when confirmed, with its rounds.
 */
function flaggedShare(heldOut: readonly HeldOut[], factor: number, input: ReplayInput): number {
  let flagged = 0;
  for (const sitting of heldOut) {
    const first = slowed(sitting.first, factor, 0);
    const current = input.rule.confirms(sitting.reference, first) ? [first, ...sitting.rounds.map((run, i) => slowed(run, factor, i + 1))] : [first];
    if (input.rule.flags(sitting.reference, current)) flagged++;
  }
  return flagged / heldOut.length;
}

/**
 * The detectable factor, checked by replaying the rule on this benchmark's own history: each
 * sitting of unchanged code in turn, slowed by a factor, is judged against the others as a
 * change would be. The model's figure (`promised`) assumes runs that spread normally around one
 * speed; code with two speeds, a slow tail of moments, or runs the guards hold back is flagged
 * less often than that. When the rule flags at least `power` of the held-out sittings at the
 * promised slowdown (or, below the warning threshold, at {@link REPLAY_STEP} times the
 * threshold, the least that clears it with room), the promise stands; otherwise the answer is
 * the smallest slowdown, in steps of {@link REPLAY_STEP}, that the replay flags that often, and
 * {@link REPLAY_MAX_FACTOR} (meaning that or more) when none up to it is. The held-out rounds stand in for fresh
 * processes with the next sittings' runs, which share no moment with it, so the replay is, if
 * anything, kinder than the machine. With fewer than {@link REPLAY_MIN_SITTINGS} sittings the
 * promise stands unchecked.
 */
export function replayedDetectableFactor(input: ReplayInput, promised: number | null, warning: number, power: number): number | null {
  const heldOut = heldOutSittings(input.reference, input.rounds);
  if (heldOut.length < REPLAY_MIN_SITTINGS || promised === null) return promised;
  const start = Math.max(promised, warning * REPLAY_STEP);
  if (flaggedShare(heldOut, start, input) >= power) return promised;
  // The smallest step that is flagged often enough, by bisection over the steps (the share
  // grows with the slowdown).
  const steps = Math.floor(Math.log(REPLAY_MAX_FACTOR / start) / Math.log(REPLAY_STEP));
  const factorAt = (step: number): number => start * REPLAY_STEP ** step;
  if (steps < 1 || flaggedShare(heldOut, factorAt(steps), input) < power) return Math.max(REPLAY_MAX_FACTOR, start);
  let low = 0;
  let high = steps;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (flaggedShare(heldOut, factorAt(middle), input) >= power) high = middle;
    else low = middle;
  }
  return factorAt(high);
}
