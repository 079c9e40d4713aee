import { LICENSE_NAMES } from '../entra/licenses.js';
import { PROJECT_TITLES, ROLE_TITLES } from './catalog.js';
import type { Deliverables } from './model.js';
import type { Funding } from './roadmap.js';

/**
 * Columns of work-items.csv, chosen to map onto the import fields of ConnectWise PSA project
 * tickets, Autotask project phases and tasks, and HaloPSA tickets. docs/deliverables.md gives the
 * mapping per tool.
 */
export const CSV_COLUMNS = [
  'Client',
  'Project',
  'Work Item',
  'Description',
  'Role',
  'Priority',
  'Estimated Hours Low',
  'Estimated Hours High',
  'Budget Hours',
  'Hourly Rate',
  'Client Pays Low',
  'Client Pays High',
  'Currency',
  'Billing',
  'License Needed',
  'Estimate Source',
  'Finding Keys',
  'Objects',
] as const;

const BILLING: Record<Funding, string> = {
  'monthly-support': 'Included',
  'confirm-coverage': 'Confirm coverage',
  'emergency-allowance': 'Emergency allowance',
  quote: 'Billable',
};

/**
 * Quotes a cell as RFC 4180 specifies, and defuses spreadsheet formulas: a cell that starts with
 * = + - @ (tenant data can contain such display names) gets a leading apostrophe.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Renders the roadmap lines as CSV for a PSA import, one row per work item, CRLF line ends. */
export function renderWorkItemsCsv(deliverables: Deliverables): string {
  const rows: (string | number)[][] = [[...CSV_COLUMNS]];
  for (const line of deliverables.roadmap.lines) {
    const definition = line.workItem.definition;
    const objects = line.objects.map((object) => `${object.displayName ?? ''} (${object.id})`).join('; ');
    const notes = line.notes.length > 0 ? ` ${line.notes.join(' ')}` : '';
    rows.push([
      deliverables.clientName,
      PROJECT_TITLES[line.project],
      definition.title,
      `${definition.description}${notes}`,
      ROLE_TITLES[line.workItem.role],
      line.severity[0]!.toUpperCase() + line.severity.slice(1),
      line.hours.min,
      line.hours.max,
      line.hours.max,
      line.rate ?? '',
      line.billable?.min ?? '',
      line.billable?.max ?? '',
      deliverables.currency,
      BILLING[line.funding],
      line.license ? LICENSE_NAMES[line.license] : '',
      line.workItem.estimateSource === 'engagement' ? 'MSP estimate' : 'tokengap estimate',
      line.findingKeys.join('; '),
      objects,
    ]);
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
