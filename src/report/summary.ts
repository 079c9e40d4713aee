import {
  CONTROL_AREAS,
  RESULT_STATES,
  SEVERITIES,
  severityRank,
  type CheckResult,
  type ControlArea,
  type ResultState,
  type Severity,
} from '../checks/types.js';
import type { AssessmentReport } from './schema.js';

/** Counts results per area and state, and findings of failing and warning checks per severity. */
export function summarize(results: readonly CheckResult[]): AssessmentReport['summary'] {
  const byArea = Object.fromEntries(
    CONTROL_AREAS.map((area) => [area, Object.fromEntries(RESULT_STATES.map((state) => [state, 0]))]),
  ) as Record<ControlArea, Record<ResultState, number>>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;

  for (const result of results) {
    byArea[result.area][result.state] += 1;
    for (const severity of actionableSeverities(result)) bySeverity[severity] += 1;
  }
  return { byArea, bySeverity };
}

/**
 * Severities of the findings a failing or warning result raises. A failing result without
 * findings (a tenant-wide gap) counts once at the check's severity, so it is never invisible
 * to `--fail-on`.
 */
function actionableSeverities(result: CheckResult): Severity[] {
  if (result.state !== 'fail' && result.state !== 'warn') return [];
  if (result.findings.length === 0) return [result.severity];
  return result.findings.map((finding) => finding.severity);
}

/** Counts the findings at or above `threshold`, as `--fail-on` uses them. */
export function countFindingsAtOrAbove(report: AssessmentReport, threshold: Severity): number {
  return report.results
    .flatMap(actionableSeverities)
    .filter((severity) => severityRank(severity) >= severityRank(threshold)).length;
}


/**
 * The one counting rule the report summary and the client message share: a check needs
 * attention when it failed, warned or needs a person to review it, and it counts as high or
 * critical when its most severe finding is (a check without findings counts at its own severity).
 */
export function checkSeverity(result: CheckResult): Severity {
  const severities = result.state === 'manual' && result.findings.length > 0 ? result.findings.map((finding) => finding.severity) : actionableSeverities(result);
  return severities.reduce<Severity>((worst, severity) => (severityRank(severity) > severityRank(worst) ? severity : worst), severities[0] ?? result.severity);
}

export function needsAttention(result: CheckResult): boolean {
  return result.state === 'fail' || result.state === 'warn' || result.state === 'manual';
}

export function isSevere(result: CheckResult): boolean {
  return severityRank(checkSeverity(result)) >= severityRank('high');
}

/** Checks that need attention and how many of them are high or critical, by the rule above. */
export function attentionCounts(results: readonly CheckResult[]): { checks: number; severe: number } {
  const open = results.filter(needsAttention);
  return { checks: open.length, severe: open.filter(isSevere).length };
}
