import type { Engagement } from '../engagement/schema.js';
import type { ResourceName } from '../snapshot/resources.js';
import type { SignInSummary } from '../signins/review.js';
import type { Snapshot } from '../snapshot/types.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Ranks severities so that `severityRank('critical')` is the highest. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - SEVERITIES.indexOf(severity);
}

export const CONTROL_AREAS = [
  'privileged-access',
  'mfa-strength',
  'device-code-flow',
  'conditional-access',
  'sign-in-review',
  'session-revocation',
  'device-compliance',
  'client-responsibilities',
  'licensing',
] as const;
export type ControlArea = (typeof CONTROL_AREAS)[number];

/**
 * Commercial class of the work that fixes a finding, used by the scope and quote deliverables
 * to say where included support ends and paid security work begins.
 */
export const SCOPE_CLASSES = [
  'included-support',
  'fixed-fee-assessment',
  'hardening-project',
  'capped-emergency-allowance',
  'incident-response',
  'roadmap-item',
] as const;
export type ScopeClass = (typeof SCOPE_CLASSES)[number];

export const RESULT_STATES = ['pass', 'fail', 'warn', 'manual', 'skipped'] as const;
export type ResultState = (typeof RESULT_STATES)[number];

/** Closed list of reasons a check did not run; each has one fix, in `SKIP_REASON_FIXES`. */
export const SKIP_REASONS = [
  'resource-not-collected',
  'collection-failed',
  'permission-missing',
  'license-missing',
  'not-applicable',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Licenses a check or a remediation needs. */
export const LICENSES = ['entraIdP1', 'entraIdP2', 'entraIdGovernance', 'intune'] as const;
export type License = (typeof LICENSES)[number];

/** A tenant object named in evidence. */
export interface EvidenceObject {
  /** Graph type without the namespace: `user`, `group`, `conditionalAccessPolicy`, `directoryRole`, ... */
  type: string;
  id: string;
  displayName: string | null;
  /** Location of the object in the snapshot, e.g. `conditionalAccessPolicies.json#/value/3`. */
  path?: string;
}

export type MessageData = Record<string, string | number | boolean | string[]>;

/** Text of one message id, with `{slot}` placeholders filled from a finding's data. */
export interface MessageTemplate {
  /** Text for the technician. */
  text: string;
  /** Plain-English text for the client; defaults to the check's `clientText`. */
  client?: string;
}

/** One problem (or one named fact, for manual and warn states) that a check found. */
export interface Finding<M extends string = string> {
  /** Stable id: `<check id>:<object id>`, or the check id alone for a tenant-wide finding. */
  key: string;
  messageId: M;
  data: MessageData;
  /** Defaults to the check's severity. */
  severity?: Severity;
  objects: EvidenceObject[];
}

/** Result of an `evaluate` function. The only skip it may report is `not-applicable`. */
export interface CheckOutcome<M extends string = string> {
  state: Exclude<ResultState, 'skipped'> | 'not-applicable';
  /** Message id and data that summarise the result in one line. */
  summary: { messageId: M; data: MessageData };
  findings: Finding<M>[];
}

/** A resource (or one field of it) a check reads. */
export interface ResourceNeed {
  resource: ResourceName;
  field?: string;
  /** When true, a missing resource degrades the result instead of skipping the check. */
  optional?: boolean;
}

export interface CheckContext {
  snapshot: Snapshot;
  engagement: Engagement | null;
  /** The assessment time; checks use it instead of the clock so results are reproducible. */
  now: Date;
  /**
   * Summary of the snapshot's sign-in logs, computed before the checks run (summarizeSignIns),
   * because reading logs is asynchronous and `evaluate` is not. Absent when the caller did not compute it.
   */
  signInSummary?: SignInSummary;
  /** Every check of this run, for a check that reports on the others (licensing); set by runChecks. */
  checks?: readonly CheckDefinition[];
}

export interface Remediation {
  /** Steps in the Microsoft Entra admin center, one action each. */
  portal: string[];
  /** Graph requests that make the same change. */
  graph: { method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'; path: string; body?: unknown; note?: string }[];
}

/**
 * A check: metadata and logic in one typed object. Ids and titles state the good state.
 * Framework mappings (CISA SCuBA, CIS) live in data/framework-mappings.json, keyed by check id.
 */
export interface CheckDefinition<M extends string = string> {
  id: string;
  area: ControlArea;
  /** The good state, e.g. "Admin roles require phishing-resistant MFA". */
  title: string;
  severity: Severity;
  rationale: string;
  remediation: Remediation;
  /** Description of what the check verifies, in words a client understands. */
  clientText: string;
  scopeClass: ScopeClass;
  requires: ResourceNeed[];
  /** License the checked control needs; without it the check is skipped as `license-missing`. */
  license?: License;
  /** Links to Microsoft documentation the check is based on. */
  references: string[];
  knownLimitations: string[];
  messages: Record<M, MessageTemplate>;
  evaluate(context: CheckContext): CheckOutcome<M>;
}

/** Result of one check in a report. */
export interface CheckResult {
  checkId: string;
  area: ControlArea;
  title: string;
  severity: Severity;
  state: ResultState;
  skip?: { reason: SkipReason; detail: string; fix: string; requestId?: string };
  /**
   * Set when the check itself failed (threw, or returned an unknown message id). The state is
   * then `manual`: a person must review the control by hand, and the message goes to the maintainers.
   */
  error?: { message: string };
  summary: string;
  findings: RenderedFinding[];
}

export interface RenderedFinding {
  key: string;
  checkId: string;
  severity: Severity;
  messageId: string;
  data: MessageData;
  text: string;
  clientText: string;
  objects: EvidenceObject[];
}
