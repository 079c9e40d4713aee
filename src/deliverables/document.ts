import { severityRank } from '../checks/types.js';
import { LICENSE_NAMES } from '../entra/licenses.js';
import { AREA_LABELS } from '../report/view.js';
import { PROJECT_TITLES, ROLE_TITLES } from './catalog.js';
import { formatBillable, formatHours, formatMoney, formatMoneyRange, listNames } from './format.js';
import type { Deliverables } from './model.js';
import type { Funding, RoadmapLine } from './roadmap.js';
import { SCOPE_CLASS_LABELS } from './scope.js';
import { plural } from '../report/text.js';

/*
 * Renderer-neutral document: the headings, paragraphs, lists and tables that the HTML, Markdown
 * and PDF outputs all show, built once so the three formats never disagree.
 */

export interface DocTable {
  caption: string;
  columns: string[];
  rows: string[][];
  /** Totals row, printed in bold after the rows. */
  total?: string[];
}

export type DocBlock = { kind: 'paragraph'; text: string } | { kind: 'heading'; text: string } | { kind: 'list'; items: string[] } | { kind: 'table'; table: DocTable };

export interface DocSection {
  id: string;
  title: string;
  blocks: DocBlock[];
}

export interface DeliverablesDocument {
  title: string;
  facts: [string, string][];
  sections: DocSection[];
}

const FUNDING_LABELS: Record<Funding, string> = {
  'monthly-support': 'Included in monthly support',
  'confirm-coverage': 'Maybe included: confirm',
  'emergency-allowance': 'Emergency allowance',
  quote: 'Quoted',
};

const paragraph = (text: string): DocBlock => ({ kind: 'paragraph', text });

function messageSection(deliverables: Deliverables): DocSection {
  const blocks: DocBlock[] = [paragraph(`Subject: ${deliverables.message.subject}`)];
  for (const part of deliverables.message.paragraphs) {
    if (part.heading) blocks.push({ kind: 'heading', text: part.heading });
    if (part.text) blocks.push(paragraph(part.text));
    if (part.items) blocks.push({ kind: 'list', items: part.items });
  }
  return { id: 'client-message', title: 'Client message', blocks };
}

function scopeSection(deliverables: Deliverables): DocSection {
  const rows = deliverables.scope.map((row) => [
    row.workItem.definition.title,
    row.inclusion,
    SCOPE_CLASS_LABELS[row.betterScope],
    `${formatHours(row.hours)} (${ROLE_TITLES[row.workItem.role].toLowerCase()})`,
    row.advice,
  ]);
  const contract = deliverables.contractName ? ` under "${deliverables.contractName}"` : '';
  return {
    id: 'scope',
    title: 'Scope boundaries',
    blocks: [
      paragraph(`Which services the monthly support contract${contract} includes (yes, maybe or no, as the engagement file states), and where each one belongs commercially. Hours are estimates for this tenant.`),
      { kind: 'table', table: { caption: 'Scope boundaries', columns: ['Work item', 'Included in monthly support', 'Better scope', 'Estimate', 'Advice'], rows } },
    ],
  };
}

function lineRow(line: RoadmapLine, currency: string): string[] {
  const names = line.objects.map((object) => object.displayName ?? object.id);
  const findings = names.length > 0 ? `${plural(line.findingKeys.length, 'finding')}: ${listNames(names, 6)}` : `${plural(line.findingKeys.length, 'finding')}, tenant-wide`;
  const estimate = `${formatHours(line.hours)}${line.workItem.estimateSource === 'engagement' ? ' (MSP estimate)' : ''}`;
  const license = line.license ? LICENSE_NAMES[line.license] : '';
  const funding = [FUNDING_LABELS[line.funding], ...line.notes].join('. ');
  return [
    line.workItem.definition.title,
    line.severity[0]!.toUpperCase() + line.severity.slice(1),
    findings,
    ROLE_TITLES[line.workItem.role],
    estimate,
    line.rate === null ? 'no rate' : formatMoney(currency, line.rate),
    formatMoneyRange(currency, line.billable),
    funding,
    license,
  ];
}

function roadmapSection(deliverables: Deliverables): DocSection {
  const { roadmap, currency } = deliverables;
  const blocks: DocBlock[] = [
    paragraph(
      'Each failing, warning or manual finding maps to a remediation work item. Hours are estimates: tokengap\'s documented defaults, grown per object the findings name, unless marked "MSP estimate" (from the engagement file). "Client pays" is what falls outside the monthly fee.',
    ),
  ];
  if (roadmap.lines.length === 0) blocks.push(paragraph('No open finding needs remediation work.'));
  for (const project of roadmap.projects) {
    blocks.push({ kind: 'heading', text: PROJECT_TITLES[project.project] });
    blocks.push({
      kind: 'table',
      table: {
        caption: PROJECT_TITLES[project.project],
        columns: ['Work item', 'Priority', 'Findings', 'Role', 'Hours (estimate)', 'Rate per hour', 'Client pays', 'Funding', 'License needed'],
        // Within a project, the most severe work comes first.
        rows: [...project.lines].sort((a, b) => severityRank(b.severity) - severityRank(a.severity)).map((line) => lineRow(line, currency)),
        total: ['Project total', '', '', '', formatHours(project.hours), '', formatBillable(currency, project.billable, project.unpriced), '', ''],
      },
    });
  }
  if (roadmap.projects.length > 0) {
    blocks.push({ kind: 'heading', text: 'Quote summary' });
    blocks.push({
      kind: 'table',
      table: {
        caption: 'Quote summary',
        columns: ['Project', 'Hours (estimate)', 'Client pays', 'Of which to confirm against the contract'],
        rows: roadmap.projects.map((project) => [PROJECT_TITLES[project.project], formatHours(project.hours), formatBillable(currency, project.billable, project.unpriced), formatMoneyRange(currency, project.toConfirm)]),
        total: ['Total', formatHours(roadmap.totals.hours), formatBillable(currency, roadmap.totals.billable, roadmap.totals.unpriced), formatMoneyRange(currency, roadmap.totals.toConfirm)],
      },
    });
    blocks.push(paragraph(`Hours included in monthly support: ${formatHours(roadmap.totals.includedHours)}. Hours drawn from the emergency allowance: ${formatHours(roadmap.totals.allowanceHours)}.`));
  }
  if (roadmap.missingRates.length > 0) {
    blocks.push(paragraph(`No rate for ${listNames(roadmap.missingRates.map((role) => ROLE_TITLES[role]))}: those lines are not priced and the totals leave them out. Add the rates under "rates" in the engagement file (version 2).`));
  }
  return { id: 'roadmap', title: 'Roadmap and quote', blocks };
}

function licenseSection(deliverables: Deliverables): DocSection {
  const { currency, licenses } = deliverables;
  if (licenses.length === 0) {
    return { id: 'licenses', title: 'License upgrades', blocks: [paragraph('The roadmap needs no license the tenant lacks, as far as the assessment shows.')] };
  }
  const price = (value: number | null) => (value === null ? 'not set' : formatMoney(currency, value));
  return {
    id: 'licenses',
    title: 'License upgrades',
    blocks: [
      paragraph('Priced separately from the work, per user per month, for the users who need them.'),
      {
        kind: 'table',
        table: {
          caption: 'License upgrades',
          columns: ['License', 'Users', 'Price per user per month', 'Per month', 'Per year', 'Unlocks', 'Needed by'],
          rows: licenses.map((line) => [line.name, line.users === null ? line.usersBasis : `${line.users} ${line.usersBasis}`, price(line.pricePerUser), price(line.monthly), price(line.annual), line.features, line.neededBy.join('; ')]),
        },
      },
    ],
  };
}

function qbrSection(deliverables: Deliverables): DocSection {
  return {
    id: 'qbr',
    title: 'QBR gap analysis',
    blocks: [
      {
        kind: 'table',
        table: {
          caption: 'QBR gap analysis',
          columns: ['Control area', 'Current state', 'Risk', 'Required decision', 'Budget item', 'Ongoing service'],
          rows: deliverables.qbr.map((row) => [row.label, row.currentState, row.risk, row.decision, row.budget, row.ongoing]),
        },
      },
    ],
  };
}

const RISK_STATUS_LABELS = {
  accepted: 'Accepted',
  'review-overdue': 'Review overdue',
  'evidence-grew': 'Evidence grew: decide again',
  'not-found': 'No longer reported',
} as const;

function registerSection(deliverables: Deliverables): DocSection {
  if (deliverables.risks.length === 0) {
    return { id: 'accepted-risks', title: 'Accepted-risk register', blocks: [paragraph('The engagement file lists no accepted risks.')] };
  }
  const rows = deliverables.risks.map((entry) => {
    const area = entry.match ? AREA_LABELS[entry.match.result.area] : '';
    const accepted = entry.risk.evidence ? String(entry.risk.evidence.objectCount) : 'not recorded';
    const now = entry.objectCount === undefined ? '' : String(entry.objectCount);
    const added = entry.newObjects.length > 0 ? ` (new: ${listNames(entry.newObjects.map((object) => object.displayName ?? object.id))})` : '';
    return [entry.risk.findingKey, area, entry.risk.reason, entry.risk.approver, entry.risk.acceptedOn, entry.risk.reviewBy, RISK_STATUS_LABELS[entry.status], `${accepted} then, ${now || 'none'} now${added}`];
  });
  return {
    id: 'accepted-risks',
    title: 'Accepted-risk register',
    blocks: [
      paragraph(`Matched to the findings of ${deliverables.assessedOn} by finding key. A risk past its review date, or whose finding now names more objects than when it was accepted, is back on the roadmap.`),
      { kind: 'table', table: { caption: 'Accepted-risk register', columns: ['Finding key', 'Area', 'Reason', 'Approver', 'Accepted', 'Review by', 'Status', 'Objects'], rows } },
    ],
  };
}

/** Builds the document every renderer prints. */
export function buildDocument(deliverables: Deliverables): DeliverablesDocument {
  return {
    title: `${deliverables.clientName}: scope, roadmap and QBR`,
    facts: [
      ['Client', deliverables.clientName],
      ['Tenant', `${deliverables.tenant.name ?? 'unnamed'} (${deliverables.tenant.id ?? 'id unknown'})`],
      ['Assessed on', deliverables.assessedOn],
      ['Contract', deliverables.contractName ?? 'not named'],
      ['Currency', deliverables.currency],
      ['Tool', `tokengap ${deliverables.toolVersion}`],
    ],
    sections: [messageSection(deliverables), scopeSection(deliverables), roadmapSection(deliverables), licenseSection(deliverables), qbrSection(deliverables), registerSection(deliverables)],
  };
}
