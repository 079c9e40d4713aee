import {
  CONTROL_AREAS,
  RESULT_STATES,
  SEVERITIES,
  severityRank,
  type CheckResult,
  type ControlArea,
  type EvidenceObject,
  type RenderedFinding,
  type ResultState,
  type Severity,
} from '../checks/types.js';
import type { AssessmentReport, CheckMetadata, ReportSection } from './schema.js';
import { isReportSection } from './schema.js';
import { COMPROMISE_CHECK_ID } from './compromise.js';
import { attentionCounts } from './summary.js';
import { plural } from './text.js';

/*
 * Renderer-neutral view of a report: the ordering, labels and table rows that report.html and
 * report.md both show, computed once so the two formats never disagree.
 */

export const AREA_LABELS: Record<ControlArea, string> = {
  'privileged-access': 'Privileged access',
  'mfa-strength': 'MFA strength',
  'device-code-flow': 'Device code flow',
  'conditional-access': 'Conditional Access',
  'sign-in-review': 'Sign-in review',
  'session-revocation': 'Session revocation',
  'device-compliance': 'Device compliance',
  'client-responsibilities': 'Client responsibilities',
  licensing: 'Licensing',
};

export const STATE_LABELS: Record<ResultState, string> = {
  fail: 'Fail',
  warn: 'Warning',
  manual: 'Needs a person',
  pass: 'Pass',
  skipped: 'Not checked',
};

export const SKIP_REASON_LABELS: Record<string, string> = {
  'resource-not-collected': 'data not collected',
  'collection-failed': 'collection failed',
  'permission-missing': 'permission missing',
  'license-missing': 'license missing',
  'not-applicable': 'not applicable',
};

/** Client texts shown per row of the assessment table; the findings section lists every one. */
const MAX_ADVICE_LINES = 4;

/** Objects named per row of the assessment table; the findings section names every one. */
const MAX_NAMED_OBJECTS = 10;

/** States in the order the report lists them: what needs action first. */
const STATE_ORDER: readonly ResultState[] = ['fail', 'warn', 'manual', 'pass', 'skipped'];

/** One row of the client-facing assessment table. */
export interface AssessmentRow {
  area: ControlArea;
  checkId: string;
  state: ResultState;
  severity: Severity;
  /** Client-facing description of the check (its client text). */
  checked: string;
  /** The result summary, then the objects the findings name. */
  found: string;
  foundObjects: string[];
  /** Advice for the client: the distinct client texts of the findings, or a sentence for the state. */
  advice: string[];
}

/** Results ordered by control area, then state (fail first), then severity. */
export function orderedResults(report: AssessmentReport): CheckResult[] {
  const areaIndex = (area: ControlArea) => CONTROL_AREAS.indexOf(area);
  return [...report.results].sort(
    (a, b) =>
      areaIndex(a.area) - areaIndex(b.area) ||
      STATE_ORDER.indexOf(a.state) - STATE_ORDER.indexOf(b.state) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      a.checkId.localeCompare(b.checkId),
  );
}

/** Findings of failing and warning checks, highest severity first. */
export function reportedFindings(report: AssessmentReport): { result: CheckResult; finding: RenderedFinding }[] {
  const rows: { result: CheckResult; finding: RenderedFinding }[] = [];
  for (const result of orderedResults(report)) {
    if (result.state !== 'fail' && result.state !== 'warn' && result.state !== 'manual') continue;
    for (const finding of result.findings) rows.push({ result, finding });
  }
  return rows.sort((a, b) => severityRank(b.finding.severity) - severityRank(a.finding.severity));
}

/** Names an evidence object as "display name (id)", or the id alone. */
export function objectLabel(object: EvidenceObject): string {
  return object.displayName ? `${object.displayName} (${object.id})` : object.id;
}

function distinct(values: string[]): string[] {
  return [...new Set(values.filter((value) => value.trim() !== ''))];
}

/** Display names of the objects the findings name, each once, without ids (the findings section has them). */
function namedObjects(result: CheckResult): string[] {
  return distinct(result.findings.flatMap((finding) => finding.objects.map((object) => object.displayName ?? object.id)));
}

function adviceFor(result: CheckResult, metadata: CheckMetadata | undefined): string[] {
  if (result.state === 'skipped' && result.skip) {
    return [`We could not check this (${SKIP_REASON_LABELS[result.skip.reason] ?? result.skip.reason}). ${result.skip.fix}`];
  }
  if (result.state === 'pass') return ['No action needed.'];
  const texts = distinct(result.findings.map((finding) => finding.clientText));
  if (texts.length > MAX_ADVICE_LINES) {
    const more = texts.length - MAX_ADVICE_LINES;
    return [...texts.slice(0, MAX_ADVICE_LINES), `And ${more} more like these; the findings section lists each one.`];
  }
  if (texts.length > 0) return texts;
  // The check's client text describes what was checked, which the row shows already. A result
  // without findings states what was found in its summary.
  if (result.state !== 'manual' || !metadata) return [result.summary];
  return [metadata.clientText];
}

/** Builds the rows of the client-facing assessment table, one per check. */
export function assessmentRows(report: AssessmentReport): AssessmentRow[] {
  return orderedResults(report).map((result) => {
    const metadata = report.checks[result.checkId];
    const named = namedObjects(result);
    const objects = named.length > MAX_NAMED_OBJECTS ? [...named.slice(0, MAX_NAMED_OBJECTS), `and ${named.length - MAX_NAMED_OBJECTS} more`] : named;
    const found = result.state === 'skipped' && result.skip ? `Not checked: ${result.skip.detail}` : result.summary;
    return {
      area: result.area,
      checkId: result.checkId,
      state: result.state,
      severity: result.severity,
      checked: metadata?.clientText ?? result.title,
      found,
      foundObjects: objects,
      advice: adviceFor(result, metadata),
    };
  });
}

/** Control areas that have at least one result, in the canonical order. */
export function areasWithResults(report: AssessmentReport): ControlArea[] {
  return CONTROL_AREAS.filter((area) => RESULT_STATES.some((state) => (report.summary.byArea[area]?.[state] ?? 0) > 0));
}

export function totalFindings(report: AssessmentReport): number {
  return SEVERITIES.reduce((sum, severity) => sum + (report.summary.bySeverity[severity] ?? 0), 0);
}

/** Sections in the renderers' display shape, in a stable order (coverage, sign-ins, then the rest). */
export function displaySections(report: AssessmentReport): { key: string; section: ReportSection }[] {
  const preferred = ['coverage', 'signInReview'];
  const keys = Object.keys(report.sections).sort(
    (a, b) =>
      (preferred.includes(a) ? preferred.indexOf(a) : preferred.length) -
        (preferred.includes(b) ? preferred.indexOf(b) : preferred.length) || a.localeCompare(b),
  );
  const sections: { key: string; section: ReportSection }[] = [];
  for (const key of keys) {
    const value = report.sections[key];
    if (isReportSection(value)) sections.push({ key, section: value });
  }
  return sections;
}

export function skippedResults(report: AssessmentReport): CheckResult[] {
  return orderedResults(report).filter((result) => result.state === 'skipped');
}

/** Formats a Graph request of a remediation as one line: `PATCH /path`. */
export function graphRequestLine(request: { method: string; path: string }): string {
  return `${request.method} ${request.path}`;
}

/**
 * Builds the summary sentence both renderers show, counted by the rule the client message uses
 * (attentionCounts): checks that need attention, those rated high or critical, and the findings.
 */
export function attentionSentence(report: AssessmentReport): string {
  const { checks, severe } = attentionCounts(report.results);
  return (
    `${plural(report.results.length, 'check')} ran; ${checks} need attention (failed, warned or need a person), ` +
    `${severe} of them rated high or critical. They raise ${plural(totalFindings(report), 'finding')} in all.`
  );
}

/** Client texts of the probable compromises the sign-in logs show, for the top of the report. */
export function urgentLines(report: AssessmentReport): string[] {
  return report.results
    .filter((result) => result.checkId === COMPROMISE_CHECK_ID && result.state === 'fail')
    .flatMap((result) => result.findings.map((finding) => finding.clientText));
}
