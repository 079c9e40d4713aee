import { LICENSES, type License } from '../checks/types.js';
import type { Engagement } from '../engagement/schema.js';
import { LICENSE_NAMES } from '../entra/licenses.js';
import type { AssessmentReport } from '../report/schema.js';
import { LICENSE_FEATURES } from './catalog.js';
import { round2, type RoadmapLine } from './roadmap.js';
import { namedObjects, type OpenFinding } from './risks.js';

export interface LicenseLine {
  license: License;
  name: string;
  features: string;
  /** Users who need the license, or null when neither the findings nor the engagement file say. */
  users: number | null;
  usersBasis: string;
  pricePerUser: number | null;
  monthly: number | null;
  annual: number | null;
  /** Titles of the roadmap lines and checks that need the license. */
  neededBy: string[];
}

/** Words that name each license in a manifest's `unlicensed` status, e.g. "Entra ID P1". */
const LICENSE_WORDS: [RegExp, License][] = [
  [/governance/i, 'entraIdGovernance'],
  [/\bP2\b|premium_p2/i, 'entraIdP2'],
  [/\bP1\b|aad_premium\b/i, 'entraIdP1'],
  [/intune/i, 'intune'],
];

/**
 * Lists the licenses the tenant lacks, as the report shows them: checks skipped with
 * `license-missing` (their metadata names the license) and resources the manifest marks unlicensed.
 */
export function missingLicenses(report: AssessmentReport): Map<License, string[]> {
  const missing = new Map<License, string[]>();
  const add = (license: License, reason: string) => missing.set(license, [...(missing.get(license) ?? []), reason]);
  for (const result of report.results) {
    if (result.state !== 'skipped' || result.skip?.reason !== 'license-missing') continue;
    const license = report.checks?.[result.checkId]?.license;
    if (license) add(license, result.title);
  }
  for (const [resource, status] of Object.entries(report.snapshot.resources)) {
    if (status?.status !== 'unlicensed' || !status.license) continue;
    const match = LICENSE_WORDS.find(([pattern]) => pattern.test(status.license ?? ''));
    if (match) add(match[1], `${resource} data`);
  }
  return missing;
}

/**
 * Prices the licenses the roadmap needs and the tenant lacks. P1 is counted for every user
 * (Conditional Access protects them all); P2 only for the admins, because PIM applies to role
 * holders, and those admins then need no separate P1. Governance is left out when P2 is offered,
 * since P2 already includes PIM.
 */
export function licenseUpgrades(report: AssessmentReport, engagement: Engagement, lines: readonly RoadmapLine[], open: readonly OpenFinding[]): LicenseLine[] {
  const missing = missingLicenses(report);
  for (const line of lines) {
    if (line.license && missing.has(line.license)) missing.set(line.license, [...missing.get(line.license)!, line.workItem.definition.title]);
  }
  if (missing.has('entraIdP2')) missing.delete('entraIdGovernance');

  const adminsInFindings = namedObjects(
    open.filter((entry) => entry.result.area === 'privileged-access' || entry.result.area === 'mfa-strength').map((entry) => entry.finding),
  ).filter((object) => object.type === 'user').length;
  const admins = engagement.client.adminCount ?? (adminsInFindings > 0 ? adminsInFindings : null);
  const adminsBasis = engagement.client.adminCount !== undefined ? 'admins (client.adminCount)' : 'admins named in the findings';
  const userCount = engagement.client.userCount ?? null;

  const result: LicenseLine[] = [];
  for (const license of LICENSES) {
    const neededBy = missing.get(license);
    if (!neededBy) continue;
    let users: number | null;
    let usersBasis: string;
    if (license === 'entraIdP2' || license === 'entraIdGovernance') {
      users = admins;
      usersBasis = admins === null ? 'admin count unknown: set client.adminCount' : adminsBasis;
    } else if (license === 'entraIdP1' && missing.has('entraIdP2') && userCount !== null && admins !== null) {
      users = Math.max(0, userCount - admins);
      usersBasis = 'users (client.userCount) minus the admins who get P2';
    } else {
      users = userCount;
      usersBasis = userCount === null ? 'user count unknown: set client.userCount' : 'users (client.userCount)';
    }
    const pricePerUser = engagement.licensePrices[license] ?? null;
    const monthly = users !== null && pricePerUser !== null ? round2(users * pricePerUser) : null;
    result.push({
      license,
      name: LICENSE_NAMES[license],
      features: LICENSE_FEATURES[license],
      users,
      usersBasis,
      pricePerUser,
      monthly,
      annual: monthly === null ? null : round2(monthly * 12),
      neededBy: [...new Set(neededBy)],
    });
  }
  return result;
}
