import type { CoverageRow, CoverageSummary } from '../conditional-access/summary.js';
import type { ReportSection, ReportTable } from './schema.js';

/** Rows shown per table; report.json keeps every row in `data`. */
const MAX_ROWS = 60;

const COLUMNS = ['Gap', 'Example user (users alike)', 'Apps', 'Client, platform, flow, device', 'Why no policy covered it', 'Report-only policy that would close it'];

function rowCells(row: CoverageRow): string[] {
  return [
    row.title,
    `${row.exampleUser} (${row.classSize})`,
    row.apps.join(', '),
    [`client: ${row.clientAppType}`, `platform: ${row.platform}`, `flow: ${row.flow}`, `device: ${row.device}`].join('; '),
    row.whyNotCovered.length ? row.whyNotCovered.join('; ') : 'no policy addresses it',
    row.reportOnlyWouldClose.join(', '),
  ];
}

function gapTable(caption: string, rows: CoverageRow[]): ReportTable {
  const shown = rows.slice(0, MAX_ROWS);
  const suffix = rows.length > shown.length ? ` (first ${shown.length} of ${rows.length}; report.json has all)` : '';
  return { caption: `${caption}${suffix}`, columns: COLUMNS, rows: shown.map(rowCells) };
}

/** Shows the coverage analysis as a report section: counts per gap kind, then each gap with its counterexample. */
export function coverageSection(summary: CoverageSummary): ReportSection {
  const counts = summary.kinds
    .filter((kind) => kind.gaps > 0 || kind.breakGlassGaps > 0)
    .map((kind) => {
      const truncated = kind.truncated ? `, ${kind.truncated} more not listed` : '';
      return `${kind.title}: ${kind.gaps} gap${kind.gaps === 1 ? '' : 's'} affecting ${kind.affectedUsers} user${kind.affectedUsers === 1 ? '' : 's'}${truncated}.`;
    });
  return {
    title: 'Conditional Access coverage gaps',
    summary: [
      `Analysed ${summary.usersAnalysed} users in ${summary.userClasses} groups of users who get the same policies, against ${summary.policiesAnalysed} policies. ` +
        'Each gap is an example sign-in that gets less protection than it should.',
      ...(counts.length ? counts : ['No coverage gaps found.']),
      ...summary.limitations.map((limitation) => `Limitation: ${limitation}`),
    ],
    tables: [gapTable('Gaps', summary.rows), gapTable('Gaps only of break-glass accounts', summary.breakGlassRows)],
    data: summary,
  };
}
