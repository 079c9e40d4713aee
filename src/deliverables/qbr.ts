import { CONTROL_AREAS, severityRank, type CheckResult, type ControlArea, type Severity } from '../checks/types.js';
import type { Engagement } from '../engagement/schema.js';
import { AREA_LABELS, SKIP_REASON_LABELS } from '../report/view.js';
import { formatBillable, formatMoney, formatMoneyRange, listNames } from './format.js';
import type { LicenseLine } from './licenses.js';
import { isUnpriced, round2, type RoadmapLine } from './roadmap.js';
import type { RiskEntry } from './risks.js';
import { COMPROMISE_CHECK_ID } from '../report/compromise.js';
import { plural } from '../report/text.js';

/** Consequence of a gap in each area for a client whose token is stolen. */
const AREA_RISK: Record<ControlArea, string> = {
  'privileged-access': 'a stolen admin session controls the whole tenant',
  'mfa-strength': 'a phishing kit can relay an admin MFA prompt and take the session',
  'device-code-flow': 'a device-code phishing message hands an attacker a working token',
  'conditional-access': 'a stolen password or token works without MFA from anywhere',
  'sign-in-review': 'a token replayed from another country goes unnoticed',
  'session-revocation': 'a compromised session stays open while people work out who may act',
  'device-compliance': 'a token copied to an unmanaged device keeps working',
  'client-responsibilities': 'an incident stalls while decisions wait for an owner',
  licensing: 'the controls above cannot be switched on without the license',
};

/** The recurring service that keeps the area closed after the project. */
const AREA_ONGOING: Record<ControlArea, string> = {
  'privileged-access': 'Quarterly review of who holds admin roles',
  'mfa-strength': 'Check each new admin registers a passkey or security key before the role is granted',
  'device-code-flow': 'Monthly check for device-code sign-ins and policy exclusions',
  'conditional-access': 'Quarterly review of policy changes and exclusions',
  'sign-in-review': 'Monthly sign-in review service',
  'session-revocation': 'Test the session-revocation runbook twice a year',
  'device-compliance': 'Monthly device compliance report',
  'client-responsibilities': 'Confirm the named owners at each QBR',
  licensing: 'Review licenses before each renewal',
};

export interface QbrRow {
  area: ControlArea;
  label: string;
  currentState: string;
  risk: string;
  decision: string;
  budget: string;
  ongoing: string;
}

function highestSeverity(severities: readonly Severity[]): Severity | undefined {
  return [...severities].sort((a, b) => severityRank(b) - severityRank(a))[0];
}

function describeState(results: readonly CheckResult[]): string {
  if (results.length === 0) return 'Not assessed.';
  const passing = results.filter((result) => result.state === 'pass').length;
  const skipped = results.filter((result) => result.state === 'skipped');
  const open = results.filter((result) => result.state === 'fail' || result.state === 'warn' || result.state === 'manual');
  const parts = [`${passing} of ${results.length} ${results.length === 1 ? 'check passes' : 'checks pass'}.`];
  for (const result of open) parts.push(`${result.title}: ${result.summary}`);
  const reason = (result: CheckResult) => (result.skip ? (SKIP_REASON_LABELS[result.skip.reason] ?? result.skip.reason) : 'skipped');
  if (skipped.length > 0) parts.push(`Not checked: ${listNames(skipped.map((result) => `${result.title} (${reason(result)})`), 3)}.`);
  return parts.join(' ');
}

/** Builds the QBR gap analysis: one row per control area, from the results and the roadmap. */
export function buildQbr(
  results: readonly CheckResult[],
  lines: readonly RoadmapLine[],
  licenses: readonly LicenseLine[],
  risks: readonly RiskEntry[],
  engagement: Engagement,
): QbrRow[] {
  const currency = engagement.currency;
  return CONTROL_AREAS.map((area) => {
    const areaResults = results.filter((result) => result.area === area);
    const areaLines = lines.filter((line) => line.areas.includes(area));
    const areaRisks = risks.filter((entry) => entry.match?.result.area === area);
    const severity = highestSeverity(areaLines.map((line) => line.severity));

    // A compromise the review detected is no longer a risk of going unnoticed, so the row states what happened.
    const compromised = areaResults.find((result) => result.checkId === COMPROMISE_CHECK_ID && result.state === 'fail');
    const areaRisk = compromised
      ? `a session was probably stolen (${compromised.findings.map((finding) => String(finding.data.user ?? finding.objects[0]?.displayName ?? '')).join(', ')}) and stays usable until it is revoked`
      : AREA_RISK[area];
    const risk = severity
      ? `${severity[0]!.toUpperCase()}${severity.slice(1)}: ${areaRisk}.`
      : areaRisks.some((entry) => entry.status === 'accepted')
        ? `Accepted by the client: ${AREA_RISK[area]}.`
        : 'Low: no open gap in this area.';

    const decisions: string[] = [];
    if (areaLines.length > 0) {
      decisions.push(`Approve: ${areaLines.map((line) => line.workItem.definition.title).join('; ')}.`);
    }
    for (const entry of areaRisks) {
      if (entry.status === 'review-overdue') decisions.push(`Review the accepted risk ${entry.risk.findingKey} (review date ${entry.risk.reviewBy} has passed).`);
      if (entry.status === 'evidence-grew') decisions.push(`Decide again on ${entry.risk.findingKey}: it now names ${plural(entry.objectCount ?? 0, 'object')}, not ${entry.risk.evidence?.objectCount}.`);
    }
    const areaLicenses = area === 'licensing' ? licenses : licenses.filter((license) => areaLines.some((line) => line.license === license.license));
    if (area === 'licensing') for (const license of areaLicenses) decisions.push(`Decide whether to buy ${license.name}.`);

    const budget: string[] = [];
    const billable = areaLines.reduce((sum, line) => ({ min: round2(sum.min + (line.billable?.min ?? 0)), max: round2(sum.max + (line.billable?.max ?? 0)) }), { min: 0, max: 0 });
    const unpriced = areaLines.filter(isUnpriced).length;
    if (areaLines.length > 0) {
      if (unpriced > 0) budget.push(`${formatBillable(currency, billable, unpriced)}, one-off`);
      else budget.push(billable.max === 0 ? 'Covered by the contract' : `${formatMoneyRange(currency, billable)} one-off`);
    }
    for (const license of areaLicenses) {
      budget.push(license.monthly === null ? `${license.name}: price or user count not set` : `${license.name}: ${formatMoney(currency, license.monthly)} per month`);
    }

    return {
      area,
      label: AREA_LABELS[area],
      currentState: describeState(areaResults),
      risk,
      decision: decisions.length > 0 ? decisions.join(' ') : 'None this quarter.',
      budget: budget.length > 0 ? budget.join('; ') : 'None',
      ongoing: AREA_ONGOING[area],
    };
  });
}
