import { severityRank, type ControlArea, type EvidenceObject, type License, type Severity } from '../checks/types.js';
import type { Engagement } from '../engagement/schema.js';
import type { Inclusion, RemediationWorkItem, Role, ScopeWorkItem } from '../engagement/work-items.js';
import {
  PROJECTS,
  REMEDIATION_DEFINITIONS,
  type HoursRange,
  type ProjectId,
  type RemediationWorkItemDefinition,
  type WorkItemDefinition,
} from './catalog.js';
import { plural } from '../report/text.js';
import { workItemForCheck } from './mapping.js';
import { isPolicy, namedObjects, principalCount, type OpenFinding, type RiskEntry } from './risks.js';

/** Source of payment for a roadmap line. */
export type Funding = 'monthly-support' | 'confirm-coverage' | 'emergency-allowance' | 'quote';

export interface EffectiveWorkItem<T extends WorkItemDefinition = WorkItemDefinition> {
  definition: T;
  role: Role;
  baseHours: HoursRange;
  perObjectHours: HoursRange;
  /** `engagement` when the MSP's effortDefaults replaced any of tokengap's estimates. */
  estimateSource: 'tokengap' | 'engagement';
}

export interface RoadmapLine {
  workItem: EffectiveWorkItem<RemediationWorkItemDefinition>;
  project: ProjectId;
  areas: ControlArea[];
  checkIds: string[];
  findingKeys: string[];
  objects: EvidenceObject[];
  /** Objects the per-object hours count (see `unit` in the catalog). */
  units: number;
  severity: Severity;
  hours: HoursRange;
  inclusion: Inclusion;
  funding: Funding;
  /** Hours drawn from the emergency allowance, for lines it funds. */
  allowanceHours: HoursRange;
  rate: number | null;
  /** Price of all the hours at the rate, including hours the contract covers. */
  cost: HoursRange | null;
  /** Amount the client pays beyond the monthly fee: zero for included lines. */
  billable: HoursRange | null;
  license?: License;
  /** Accepted-risk notes for findings that stay in the roadmap. */
  notes: string[];
}

export interface ProjectTotal {
  project: ProjectId;
  lines: RoadmapLine[];
  hours: HoursRange;
  billable: HoursRange;
  /** Part of `billable` that the contract may cover (`maybe`), to confirm with the client. */
  toConfirm: HoursRange;
  /** Lines the client would pay for but that have no rate, so `billable` leaves them out. */
  unpriced: number;
}

export interface Roadmap {
  lines: RoadmapLine[];
  projects: ProjectTotal[];
  totals: { hours: HoursRange; includedHours: HoursRange; billable: HoursRange; toConfirm: HoursRange; allowanceHours: HoursRange; unpriced: number };
  /** Roles that have billable lines but no rate in the engagement file. */
  missingRates: Role[];
  suppressedKeys: string[];
}

/** Returns true for a line the client would pay for that has no rate. */
export function isUnpriced(line: RoadmapLine): boolean {
  return line.billable === null;
}

/** Rounds to cents (and hours to hundredths), so sums of decimals print as written by hand. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function addRange(a: HoursRange, b: HoursRange): HoursRange {
  return { min: round2(a.min + b.min), max: round2(a.max + b.max) };
}

const ZERO: HoursRange = { min: 0, max: 0 };

const FUNDING_BY_INCLUSION: Record<Inclusion, Funding> = { yes: 'monthly-support', maybe: 'confirm-coverage', no: 'quote' };

/** Applies the engagement's effortDefaults to tokengap's estimate for a work item. */
export function effectiveWorkItem<T extends WorkItemDefinition>(definition: T, engagement: Engagement): EffectiveWorkItem<T> {
  const override = engagement.effortDefaults[definition.id];
  return {
    definition,
    role: override?.role ?? definition.role,
    baseHours: override?.baseHours ?? definition.baseHours,
    perObjectHours: override?.perObjectHours ?? definition.perObjectHours,
    estimateSource: override ? 'engagement' : 'tokengap',
  };
}

/** Estimates hours as the base plus the per-object hours for each object the findings name. */
export function estimateHours(item: EffectiveWorkItem, objectCount: number): HoursRange {
  return {
    min: round2(item.baseHours.min + item.perObjectHours.min * objectCount),
    max: round2(item.baseHours.max + item.perObjectHours.max * objectCount),
  };
}

/** Returns whether the contract covers a remediation: its own entry first, then its scope item's. */
export function inclusionOf(engagement: Engagement, id: RemediationWorkItem | ScopeWorkItem, scopeItem?: ScopeWorkItem): Inclusion {
  const includes = engagement.monthlySupport.includes;
  return includes[id] ?? (scopeItem ? includes[scopeItem] : undefined) ?? 'no';
}

function multiply(hours: HoursRange, rate: number | null): HoursRange | null {
  return rate === null ? null : { min: round2(hours.min * rate), max: round2(hours.max * rate) };
}

/**
 * Builds the remediation roadmap and quote: one line per work item, fed by the open findings that
 * map to it (accepted risks that are current are left out), priced from the rate card.
 */
export function buildRoadmap(open: readonly OpenFinding[], risks: readonly RiskEntry[], engagement: Engagement): Roadmap {
  const suppressed = new Set(risks.filter((entry) => entry.status === 'accepted').map((entry) => entry.risk.findingKey));
  const notesByKey = new Map<string, string>();
  for (const entry of risks) {
    if (entry.status === 'evidence-grew') {
      notesByKey.set(entry.risk.findingKey, `Accepted on ${entry.risk.acceptedOn} by ${entry.risk.approver} for ${plural(entry.risk.evidence?.objectCount ?? 0, 'object')}; it now names ${entry.objectCount ?? 0}, so it is back on the roadmap.`);
    } else if (entry.status === 'review-overdue') {
      notesByKey.set(entry.risk.findingKey, `Accepted by ${entry.risk.approver}, but the review date ${entry.risk.reviewBy} has passed: accept it again or fix it.`);
    }
  }

  const grouped = new Map<RemediationWorkItem, OpenFinding[]>();
  for (const entry of open) {
    if (suppressed.has(entry.finding.key)) continue;
    const id = workItemForCheck(entry.result.checkId, entry.result.area);
    grouped.set(id, [...(grouped.get(id) ?? []), entry]);
  }

  let allowanceLeft = engagement.emergencyAllowance?.hours ?? 0;
  const lines: RoadmapLine[] = [];
  // The revocation of a stolen session draws on the emergency allowance before anything else.
  const order = (Object.keys(REMEDIATION_DEFINITIONS) as RemediationWorkItem[]).sort(
    (a, b) => Number(b === 'revoke-compromised-session') - Number(a === 'revoke-compromised-session'),
  );
  for (const id of order) {
    const entries = grouped.get(id);
    if (!entries) continue;
    const workItem = effectiveWorkItem(REMEDIATION_DEFINITIONS[id], engagement);
    const definition = workItem.definition;
    const objects = namedObjects(entries.map((entry) => entry.finding));
    const units = definition.unit === 'policies' ? objects.filter(isPolicy).length : principalCount(entries.map((entry) => entry.finding));
    const hours = estimateHours(workItem, units);
    const inclusion = inclusionOf(engagement, id, definition.scopeItem);
    const rate = engagement.rates[workItem.role] ?? null;

    let funding: Funding = FUNDING_BY_INCLUSION[inclusion];
    let allowanceHours = ZERO;
    let billableHours = inclusion === 'yes' ? ZERO : hours;
    // Revoking a probably stolen session cannot wait for a coverage question or a quote: it draws
    // on the emergency allowance unless the contract includes it outright.
    const urgent = definition.id === 'revoke-compromised-session' && funding === 'confirm-coverage';
    if ((funding === 'quote' || urgent) && definition.betterScope === 'capped-emergency-allowance' && allowanceLeft > 0) {
      // The allowance pays for the first hours; the minimum and maximum draw on it independently.
      allowanceHours = { min: Math.min(allowanceLeft, hours.min), max: Math.min(allowanceLeft, hours.max) };
      billableHours = { min: round2(hours.min - allowanceHours.min), max: round2(hours.max - allowanceHours.max) };
      allowanceLeft = round2(allowanceLeft - allowanceHours.max);
      funding = 'emergency-allowance';
    }

    const severity = entries.map((entry) => entry.finding.severity).sort((a, b) => severityRank(b) - severityRank(a))[0] ?? 'info';
    const notes = entries.map((entry) => notesByKey.get(entry.finding.key)).filter((note): note is string => note !== undefined);
    lines.push({
      workItem,
      project: definition.project,
      areas: [...new Set(entries.map((entry) => entry.result.area))],
      checkIds: [...new Set(entries.map((entry) => entry.result.checkId))],
      findingKeys: entries.map((entry) => entry.finding.key),
      objects,
      units,
      severity,
      hours,
      inclusion,
      funding,
      allowanceHours,
      rate,
      cost: multiply(hours, rate),
      billable: billableHours.max === 0 ? ZERO : multiply(billableHours, rate),
      ...(definition.license ? { license: definition.license } : {}),
      notes,
    });
  }

  const projects: ProjectTotal[] = PROJECTS.map((project) => {
    const projectLines = lines.filter((line) => line.project === project);
    return {
      project,
      lines: projectLines,
      hours: projectLines.reduce((sum, line) => addRange(sum, line.hours), ZERO),
      billable: projectLines.reduce((sum, line) => addRange(sum, line.billable ?? ZERO), ZERO),
      toConfirm: projectLines.filter((line) => line.funding === 'confirm-coverage').reduce((sum, line) => addRange(sum, line.billable ?? ZERO), ZERO),
      unpriced: projectLines.filter(isUnpriced).length,
    };
  }).filter((total) => total.lines.length > 0);

  const missingRates = [...new Set(lines.filter(isUnpriced).map((line) => line.workItem.role))];
  return {
    lines,
    projects,
    totals: {
      hours: projects.reduce((sum, total) => addRange(sum, total.hours), ZERO),
      includedHours: lines.filter((line) => line.funding === 'monthly-support').reduce((sum, line) => addRange(sum, line.hours), ZERO),
      billable: projects.reduce((sum, total) => addRange(sum, total.billable), ZERO),
      toConfirm: projects.reduce((sum, total) => addRange(sum, total.toConfirm), ZERO),
      allowanceHours: lines.reduce((sum, line) => addRange(sum, line.allowanceHours), ZERO),
      unpriced: lines.filter(isUnpriced).length,
    },
    missingRates,
    suppressedKeys: [...suppressed],
  };
}
