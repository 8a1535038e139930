import type { ConditionedRun } from './run-point';
import { bySitting } from './sittings';

/**
 * Fewest whole reference sittings the rule is replayed on to check a detectable factor: below,
 * the model's figure stands alone. @default 10
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

/** What checking a detectable factor by replay needs. */
export interface DetectableCheck {
  /** The reference runs the verdict used, named by sitting. */
  reference: readonly ConditionedRun[];
  /** Fresh-process rounds a confirmed first run gets. */
  rounds: number;
  rule: ReplayedRule;
  /** The model's detectable factor, checked here; null leaves nothing to check. */
  promised: number | null;
  /** The warning threshold, below which no slowdown is flagged. */
  warning: number;
  /** Share of held-out sittings that must be flagged, such as 0.9. */
  power: number;
}

/**
 * The same run with the code `factor` times slower: its value and its CPU time per call, as
 * one of the current runs (a crowded reference run is replayed at the time its CPU time
 * accounts for, as the reference holds it).
 */
function slowDown(run: ConditionedRun, factor: number, round: number): ConditionedRun {
  const cpu = run.conditions.cpuTimePerCall;
  const { isCrowded: _crowded, ...rest } = run;
  return {
    ...rest,
    value: run.value * factor,
    isFounding: false,
    // Current runs are one sitting, as the pipeline names them; runs judged without sittings stay without.
    sitting: run.sitting === undefined ? undefined : 'replay',
    round,
    conditions: { ...run.conditions, cpuTimePerCall: cpu === null ? null : cpu * factor },
  };
}

/** One held-out sitting: its first run, the runs its rounds would be, and what each is judged against. */
interface HeldOut {
  first: ConditionedRun;
  rounds: ConditionedRun[];
  /** Every other sitting: what the screen, and a first run left alone, are judged against. */
  others: ConditionedRun[];
  /** Every other sitting but those whose runs stand in for the rounds: what the confirmed runs are judged against. */
  rest: ConditionedRun[];
}

/**
 * Each whole reference sitting held out in turn, as the current runs of a change: its first
 * run, and for its rounds its own stored rounds, then the first runs of the next sittings in
 * time (the ones before it, at the end of the history). A sitting the reference window cut
 * (its first run is a round) is not held out, only judged against.
 */
function holdOutSittings(reference: readonly ConditionedRun[], rounds: number): HeldOut[] {
  const sittings = bySitting(reference).sort((a, b) => (a[0]?.at ?? '').localeCompare(b[0]?.at ?? ''));
  return sittings.flatMap((own, i) => {
    const first = own[0];
    if (first === undefined || (first.round ?? 0) !== 0) return [];
    const after = [...sittings.slice(i + 1), ...sittings.slice(0, i).reverse()];
    const standIns = after.slice(0, Math.max(0, rounds - (own.length - 1)));
    return [
      {
        first,
        rounds: [...own.slice(1), ...standIns.map((members) => members[0] as ConditionedRun)].slice(0, rounds),
        others: sittings.filter((members) => members !== own).flat(),
        rest: sittings.filter((members) => members !== own && !standIns.includes(members)).flat(),
      },
    ];
  });
}

/**
 * The share of held-out sittings the rule flags when their code runs `factor` times slower:
 * the first run through the screen, and when confirmed, with its rounds.
 */
function measureFlaggedShare(heldOut: readonly HeldOut[], factor: number, rule: ReplayedRule): number {
  let flagged = 0;
  for (const sitting of heldOut) {
    const first = slowDown(sitting.first, factor, 0);
    const isFlagged = rule.confirms(sitting.others, first)
      ? rule.flags(sitting.rest, [first, ...sitting.rounds.map((run, i) => slowDown(run, factor, i + 1))])
      : rule.flags(sitting.others, [first]);
    if (isFlagged) flagged++;
  }
  return flagged / heldOut.length;
}

/**
 * The detectable factor, checked by replaying the rule on this benchmark's own history: each
 * sitting of unchanged code in turn, slowed by a factor, is screened and judged as a change
 * would be, against the other sittings (without those whose runs stand in for its rounds). The
 * model's figure (`promised`) assumes runs that spread normally around one speed; code with two
 * speeds, a slow tail of moments, or runs the guards hold back is flagged less often than that.
 * When the rule flags at least `power` of the held-out sittings at the promised slowdown, or at
 * {@link REPLAY_STEP} times the warning threshold when that is more (a slowdown just past the
 * threshold is flagged about half the time whatever the spread, so a promise below it is
 * checked where a flag clears it with room), the promise stands; otherwise the answer is the
 * smallest slowdown, in steps of {@link REPLAY_STEP} from there, that the replay flags that
 * often, found by bisection on the assumption that more slowdown is flagged no less often, and
 * {@link REPLAY_MAX_FACTOR} or the start, if more (meaning that or more), when none up to it is.
 * Rounds that are other sittings' runs share no moment with the held-out first run, where real
 * rounds share their sitting's, so the check is, if anything, kind to the rule. With fewer than
 * {@link REPLAY_MIN_SITTINGS} whole sittings the promise stands unchecked.
 */
export function checkDetectableFactor(check: DetectableCheck): number | null {
  const { promised, warning, power, rule } = check;
  const heldOut = holdOutSittings(check.reference, check.rounds);
  if (heldOut.length < REPLAY_MIN_SITTINGS || promised === null) return promised;
  const start = Math.max(promised, warning * REPLAY_STEP);
  if (measureFlaggedShare(heldOut, start, rule) >= power) return promised;
  const steps = Math.floor(Math.log(REPLAY_MAX_FACTOR / start) / Math.log(REPLAY_STEP));
  const factorAt = (step: number): number => start * REPLAY_STEP ** step;
  if (steps < 1 || measureFlaggedShare(heldOut, factorAt(steps), rule) < power) return Math.max(REPLAY_MAX_FACTOR, start);
  let low = 0;
  let high = steps;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (measureFlaggedShare(heldOut, factorAt(middle), rule) >= power) high = middle;
    else low = middle;
  }
  return factorAt(high);
}
