import type { CheckResult, ControlArea, ResultState, Severity } from '../checks/types.js';
import type { ResourceName, ResourceStatus } from '../snapshot/resources.js';
import type { LoadWarning } from '../snapshot/types.js';

/**
 * report.json, version 1. Documented in docs/report-format.md; consumers (the deliverables,
 * the history store, PSA exports) read only this shape, never the snapshot again.
 */
export interface AssessmentReport {
  schemaVersion: 1;
  tool: { name: 'tokengap'; version: string };
  assessedAt: string;
  tenant: { id: string | null; name: string | null };
  snapshot: {
    collectedAt: string | null;
    resources: Partial<Record<ResourceName, ResourceStatus>>;
    fields: Record<string, ResourceStatus>;
    warnings: LoadWarning[];
  };
  engagement: { clientName: string } | null;
  summary: {
    /** Count of checks per area and result state. */
    byArea: Record<ControlArea, Record<ResultState, number>>;
    /** Count of findings of failing and warning checks per severity. */
    bySeverity: Record<Severity, number>;
  };
  results: CheckResult[];
  /** Sections other modules add (coverage gaps, sign-in review summary, licensing), keyed by name. */
  sections: Record<string, unknown>;
}
