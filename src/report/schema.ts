import type {
  CheckResult,
  ControlArea,
  License,
  Remediation,
  ResultState,
  ScopeClass,
  Severity,
} from '../checks/types.js';
import type { ResourceName, ResourceStatus } from '../snapshot/resources.js';
import type { LoadWarning } from '../snapshot/types.js';

/** Version of report.json; raised only when a field changes meaning or is removed. */
export const REPORT_SCHEMA_VERSION = 1;

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
  /**
   * Metadata of every check in `results`, keyed by check id, so renderers and consumers can show
   * what was checked and how to fix it without loading the check code.
   */
  checks: Record<string, CheckMetadata>;
  /** Sections other modules add (coverage gaps, sign-in review summary, licensing), keyed by name. */
  sections: Record<string, unknown>;
}

/** The parts of a check definition a report shows, copied from the check's metadata. */
export interface CheckMetadata {
  id: string;
  area: ControlArea;
  title: string;
  severity: Severity;
  rationale: string;
  /** Description of what we checked, in words a client understands. */
  clientText: string;
  scopeClass: ScopeClass;
  license?: License;
  remediation: Remediation;
  references: string[];
  knownLimitations: string[];
}

/**
 * A section in the display shape the renderers understand: a title, a few sentences and tables
 * of text cells. `data` keeps the producing module's own structured result for report.json readers.
 */
export interface ReportSection {
  title: string;
  summary: string[];
  tables: ReportTable[];
  data?: unknown;
}

export interface ReportTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** Tells a section in the renderers' display shape from any other value stored in `sections`. */
export function isReportSection(value: unknown): value is ReportSection {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ReportSection>;
  return (
    typeof candidate.title === 'string' &&
    Array.isArray(candidate.summary) &&
    Array.isArray(candidate.tables) &&
    candidate.tables.every(
      (table) => typeof table === 'object' && table !== null && Array.isArray(table.columns) && Array.isArray(table.rows),
    )
  );
}
