import { CHECKS } from './checks/registry.js';
import { runChecks } from './checks/run.js';
import type { CheckDefinition, CheckResult } from './checks/types.js';
import { loadEngagement } from './engagement/load.js';
import type { Engagement } from './engagement/schema.js';
import { assertEngagementTenant } from './engagement/tenant.js';
import { addEvidencePaths } from './report/evidence-paths.js';
import { buildSections } from './report/sections.js';
import { summarize } from './report/summary.js';
import { REPORT_SCHEMA_VERSION, type AssessmentReport, type CheckMetadata } from './report/schema.js';
import { COMPROMISE_METADATA, compromiseResult } from './report/compromise.js';
import { reviewSnapshotSignIns } from './signins/review.js';
import { loadSnapshot } from './snapshot/load.js';
import type { Snapshot } from './snapshot/types.js';
import { TOOL_VERSION } from './version.js';

export { countFindingsAtOrAbove, summarize } from './report/summary.js';

export interface AssessOptions {
  snapshotDir: string;
  /** Engagement file (YAML or JSON); it must be for the snapshot's tenant (see assertEngagementTenant). */
  engagementPath?: string;
  /** Assessment time; defaults to the clock. Tests and re-runs pass a fixed time so results repeat. */
  now?: Date;
  /** Checks to run; defaults to every registered check. */
  checks?: readonly CheckDefinition[];
}

/** A report with the loaded inputs it came from, for callers that also write the deliverables. */
export interface Assessment {
  report: AssessmentReport;
  snapshot: Snapshot;
  engagement: Engagement | null;
}

/** Assesses a snapshot folder and returns the report that the renderers and report.json use. */
export async function assessSnapshot(options: AssessOptions): Promise<AssessmentReport> {
  return (await assess(options)).report;
}

/** Loads the snapshot and engagement, runs every check and builds the report. */
export async function assess(options: AssessOptions): Promise<Assessment> {
  const snapshot = await loadSnapshot(options.snapshotDir);
  const engagement = options.engagementPath ? await loadEngagement(options.engagementPath) : null;
  if (engagement) {
    assertEngagementTenant(engagement, { id: snapshot.manifest.tenantId, name: snapshot.manifest.tenantName }, options.engagementPath);
  }

  const now = options.now ?? new Date();
  const checks = options.checks ?? CHECKS;
  // The sign-in logs are streamed once; the sign-in checks and the report section share the summary.
  const review = hasSignInLogs(snapshot) ? await reviewSnapshotSignIns(snapshot, { engagement, now }) : undefined;
  const signInSummary = review?.summary;
  const context = { snapshot, engagement, now, ...(signInSummary ? { signInSummary } : {}) };
  const results = runChecks(context, checks);
  // A high sign-in alert that shows a stolen session becomes a result of its own, so the report
  // summary, the table, the client message and the roadmap all carry it.
  const compromise = compromiseResult(review?.alerts);
  if (compromise) results.push(compromise);
  await addEvidencePaths(results, snapshot);
  const sections = buildSections({ snapshot, engagement, results, ...(signInSummary ? { signInSummary } : {}), ...(compromise ? { compromise } : {}) });

  const report: AssessmentReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'tokengap', version: TOOL_VERSION },
    assessedAt: now.toISOString(),
    tenant: { id: snapshot.manifest.tenantId, name: snapshot.manifest.tenantName },
    snapshot: {
      collectedAt: snapshot.manifest.collectedAt,
      resources: snapshot.manifest.resources,
      fields: snapshot.manifest.fields,
      warnings: snapshot.warnings,
    },
    engagement: engagement ? { clientName: engagement.client.name } : null,
    summary: summarize(results),
    results,
    checks: { ...checkMetadata(checks, results), ...(compromise ? { [COMPROMISE_METADATA.id]: COMPROMISE_METADATA } : {}) },
    sections,
  };
  return { report, snapshot, engagement };
}

function hasSignInLogs(snapshot: Snapshot): boolean {
  return snapshot.statusOf('signIns').status === 'collected' || snapshot.signInFiles.length > 0;
}

function checkMetadata(checks: readonly CheckDefinition[], results: readonly CheckResult[]): Record<string, CheckMetadata> {
  const ran = new Set(results.map((result) => result.checkId));
  const metadata: Record<string, CheckMetadata> = {};
  for (const check of checks) {
    if (!ran.has(check.id)) continue;
    metadata[check.id] = {
      id: check.id,
      area: check.area,
      title: check.title,
      severity: check.severity,
      rationale: check.rationale,
      clientText: check.clientText,
      scopeClass: check.scopeClass,
      ...(check.license !== undefined ? { license: check.license } : {}),
      remediation: check.remediation,
      references: check.references,
      knownLimitations: check.knownLimitations,
    };
  }
  return metadata;
}
