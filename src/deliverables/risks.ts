import type { CheckResult, EvidenceObject, RenderedFinding } from '../checks/types.js';
import type { AcceptedRisk } from '../engagement/schema-v2.js';

/** Object types that give a finding context (the role an admin holds) rather than naming what to fix. */
const CONTEXT_TYPES = new Set(['directoryRole', 'unifiedRoleDefinition', 'roleDefinition', 'subscribedSku', 'organization']);

/** Returns true for a Conditional Access policy named in evidence. */
export function isPolicy(object: EvidenceObject): boolean {
  return object.type === 'conditionalAccessPolicy';
}

/** Returns the distinct objects a set of findings names, leaving out context objects such as roles. */
export function namedObjects(findings: readonly RenderedFinding[]): EvidenceObject[] {
  const byId = new Map<string, EvidenceObject>();
  for (const finding of findings) {
    for (const object of finding.objects) {
      if (!CONTEXT_TYPES.has(object.type) && !byId.has(object.id)) byId.set(object.id, object);
    }
  }
  return [...byId.values()];
}

/**
 * Counts the people and groups a set of findings concerns. A check may name only the first few
 * objects in its evidence and give the full number as `data.count` (12 synced accounts, 5 named)
 * or, for a coverage gap, as `data.classSize` (one example admin of two with the same policies):
 * the full number counts, so "and N more" and the hours per account use it.
 */
export function principalCount(findings: readonly RenderedFinding[]): number {
  let count = namedObjects(findings).filter((object) => !isPolicy(object)).length;
  for (const finding of findings) {
    // Coverage findings name one example user of a class of users who get the same policies.
    const total = typeof finding.data.count === 'number' ? finding.data.count : finding.data.classSize;
    const named = finding.objects.filter((object) => !isPolicy(object) && !CONTEXT_TYPES.has(object.type)).length;
    if (typeof total === 'number' && Number.isFinite(total) && total > named && named > 0) count += total - named;
  }
  return count;
}

/** A finding that needs work: from a failing, warning or manual result. */
export interface OpenFinding {
  result: CheckResult;
  finding: RenderedFinding;
}

/**
 * Lists the findings of fail, warn and manual results. A result in one of those states without
 * findings becomes one tenant-wide finding keyed by the check id, so it still reaches the roadmap.
 */
export function openFindings(results: readonly CheckResult[]): OpenFinding[] {
  const open: OpenFinding[] = [];
  for (const result of results) {
    if (result.state !== 'fail' && result.state !== 'warn' && result.state !== 'manual') continue;
    if (result.findings.length === 0) {
      open.push({
        result,
        finding: {
          key: result.checkId,
          checkId: result.checkId,
          severity: result.severity,
          messageId: 'summary',
          data: {},
          text: result.summary,
          clientText: result.summary,
          objects: [],
        },
      });
      continue;
    }
    for (const finding of result.findings) open.push({ result, finding });
  }
  return open;
}

export type RiskStatus = 'accepted' | 'review-overdue' | 'evidence-grew' | 'not-found';

export interface RiskEntry {
  risk: AcceptedRisk;
  /** The open finding the risk names, if it is still reported. */
  match?: OpenFinding;
  /** True when the assessment date is after the review date. */
  overdue: boolean;
  /** Objects the finding names now, and those not named at acceptance. */
  objectCount?: number;
  newObjects: EvidenceObject[];
  evidenceGrew: boolean;
  status: RiskStatus;
}

/**
 * Matches accepted risks to open findings by exact key. An acceptance suppresses its finding only
 * while it is current: past its review date, or once the finding names more objects than when it
 * was accepted, the finding stays in the roadmap with a note instead.
 */
export function matchAcceptedRisks(risks: readonly AcceptedRisk[], open: readonly OpenFinding[], assessedOn: string): RiskEntry[] {
  const byKey = new Map(open.map((entry) => [entry.finding.key, entry]));
  return risks.map((risk) => {
    const match = byKey.get(risk.findingKey);
    const overdue = assessedOn > risk.reviewBy;
    if (!match) return { risk, overdue, newObjects: [], evidenceGrew: false, status: 'not-found' };

    // Every object the finding names counts, as report.json lists them, so an MSP can copy the count.
    const objects = [...new Map(match.finding.objects.map((object) => [object.id, object])).values()];
    const acceptedIds = risk.evidence?.objectIds ? new Set(risk.evidence.objectIds) : undefined;
    const newObjects = acceptedIds ? objects.filter((object) => !acceptedIds.has(object.id)) : [];
    const evidenceGrew = risk.evidence !== undefined && (objects.length > risk.evidence.objectCount || newObjects.length > 0);
    let status: RiskStatus = 'accepted';
    if (evidenceGrew) status = 'evidence-grew';
    else if (overdue) status = 'review-overdue';
    return { risk, match, overdue, objectCount: objects.length, newObjects, evidenceGrew, status };
  });
}
