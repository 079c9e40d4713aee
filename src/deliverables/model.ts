import type { Engagement } from '../engagement/schema.js';
import { assertEngagementTenant } from '../engagement/tenant.js';
import type { AssessmentReport } from '../report/schema.js';
import { licenseUpgrades, type LicenseLine } from './licenses.js';
import { buildClientMessage, type ClientMessage } from './message.js';
import { buildQbr, type QbrRow } from './qbr.js';
import { matchAcceptedRisks, openFindings, type RiskEntry } from './risks.js';
import { buildRoadmap, type Roadmap } from './roadmap.js';
import { buildScope, type ScopeRow } from './scope.js';

/** Everything the deliverables show, computed once so every output format agrees. */
export interface Deliverables {
  clientName: string;
  tenant: AssessmentReport['tenant'];
  /** Assessment date (YYYY-MM-DD); accepted-risk review dates compare against it, not the clock. */
  assessedOn: string;
  toolVersion: string;
  currency: string;
  contractName: string | null;
  scope: ScopeRow[];
  roadmap: Roadmap;
  licenses: LicenseLine[];
  qbr: QbrRow[];
  risks: RiskEntry[];
  message: ClientMessage;
}

/**
 * Builds the deliverables from an assessment report and the engagement file. Rejects an engagement
 * written for another tenant, so one client's contract never prices another client's findings.
 */
export function buildDeliverables(report: AssessmentReport, engagement: Engagement): Deliverables {
  assertEngagementTenant(engagement, report.tenant);

  const assessedOn = report.assessedAt.slice(0, 10);
  const open = openFindings(report.results);
  const risks = matchAcceptedRisks(engagement.acceptedRisks, open, assessedOn);
  const roadmap = buildRoadmap(open, risks, engagement);
  const licenses = licenseUpgrades(report, engagement, roadmap.lines, open);
  const clientName = engagement.client.name;
  return {
    clientName,
    tenant: report.tenant,
    assessedOn,
    toolVersion: report.tool.version,
    currency: engagement.currency,
    contractName: engagement.monthlySupport.name ?? null,
    scope: buildScope(engagement, roadmap.lines),
    roadmap,
    licenses,
    qbr: buildQbr(report.results, roadmap.lines, licenses, risks, engagement),
    risks,
    message: buildClientMessage(clientName, assessedOn, report.results, open, roadmap, licenses, risks, engagement, report.checks),
  };
}
