export { allFasterChance, AS_SLOW_CHANCE, asSlowChance, DECISION_RULES, isHeldYoung, isProvenByRanks, MACHINE_SLOWDOWN_GUARD, MAX_RUNS_TO_PROVE, PREEMPTED_SHARE_GUARD, runsToProve, YOUNG_REFERENCE_RUNS } from './decision-rules';
export type { RuleContext } from './decision-rules';
export { judgeRuns, screeningThresholds, shouldConfirm } from './judge-runs';
export type { JudgeRunsInput, RunJudgement } from './judge-runs';
export { factorOf, scaleOf } from './metric-scale';
export type { MetricScale } from './metric-scale';
export { buildReference, REFERENCE_WINDOW } from './reference';
export type { Reference, SetAsideFounding } from './reference';
export { CROWDED_STRETCH, crowdedRuns, withCrowdedRunsCorrected } from './crowded-runs';
export { compareRuns, DETECTION_POWER, detectableFactor, matchGroup, rankProbability, SCREEN_CONFIDENCE } from './run-comparison';
export type { CompareOptions, DetectableInput, RunComparison } from './run-comparison';
export type { SittingSpread } from './sittings';
export { findRunGroups, GROUP_GAP_IN_SPREADS, MIN_GROUP_RATIO, MIN_RUNS_FOR_GROUPS, singleGroup, SPREAD_FLOOR } from './run-groups';
export type { RunGroup, TimedValue } from './run-groups';
export { UNKNOWN_CONDITIONS } from './run-point';
export type { ConditionedRun, RunConditions, RunPoint } from './run-point';
export { DEFAULT_THRESHOLDS, METRIC_TYPES, resolveThresholds, validateThresholds } from './thresholds';
export type { MetricThresholds, MetricType, ThresholdOverrides, Thresholds } from './thresholds';
export { isFailing, isFailingSeverity, isRegressionVerdict, outcomeOf, regressionsOf, reportStatusOf } from './verdict';
export type {
  FailOn,
  InconclusiveVerdict,
  JudgedReport,
  JudgedFields,
  MetricVerdict,
  NoBaselineVerdict,
  Outcome,
  PassVerdict,
  Regression,
  RegressionVerdict,
  ReportStatus,
  RuleName,
  RunCounts,
  Severity,
  VerdictStatus,
} from './verdict';
export { BUSY_MEMORY_NOTE, judgeProcesses, LITTLE_HISTORY_RUNS, needsRounds, plannedRuns } from './judge-processes';
export type { JudgeSettings, ProcessJudgement, ReferenceRuns } from './judge-processes';
