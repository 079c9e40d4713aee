import type { CoverageRow, CoverageSummary } from '../conditional-access/summary.js';
import type { ReportSection, ReportTable } from './schema.js';
import { plural } from './text.js';

/** Rows shown per table; report.json keeps every row in `data`. */
const MAX_ROWS = 60;

const COLUMNS = ['Gap', 'Example user (users alike)', 'Apps', 'Client, platform, flow, device', 'Why no policy covered it', 'Report-only policy that would close it'];

/**
 * Merges gaps that differ only in client, platform, flow or device (same kind, user class, apps,
 * reasons and report-only policies) into one table row, so a reader sees one line per cause.
 */
function mergeRows(rows: CoverageRow[]): string[][] {
  const merged = new Map<string, { cells: string[]; conditions: Set<string> }>();
  for (const row of rows) {
    const why = row.whyNotCovered.length ? row.whyNotCovered.join('; ') : 'no policy addresses it';
    const cells = [row.title, `${row.exampleUser} (${row.classSize})`, row.apps.join(', '), '', why, row.reportOnlyWouldClose.join(', ')];
    const key = JSON.stringify(cells);
    const entry = merged.get(key) ?? { cells, conditions: new Set<string>() };
    entry.conditions.add(`client: ${row.clientAppType}; platform: ${row.platform}; flow: ${row.flow}; device: ${row.device}`);
    merged.set(key, entry);
  }
  return [...merged.values()].map(({ cells, conditions }) => {
    const result = [...cells];
    result[3] = [...conditions].join(' | ');
    return result;
  });
}

function gapTable(caption: string, rows: CoverageRow[]): ReportTable {
  const merged = mergeRows(rows);
  const shown = merged.slice(0, MAX_ROWS);
  const suffix = merged.length > shown.length ? ` (first ${shown.length} of ${merged.length}; report.json has all)` : '';
  return { caption: `${caption}${suffix}`, columns: COLUMNS, rows: shown };
}

/** Shows the coverage analysis as a report section: counts per gap kind, then each gap with its counterexample. */
export function coverageSection(summary: CoverageSummary): ReportSection {
  const counts = summary.kinds
    .filter((kind) => kind.gaps > 0 || kind.breakGlassGaps > 0)
    .map((kind) => {
      const truncated = kind.truncated ? `, ${kind.truncated} more not listed` : '';
      return `${kind.title}: ${plural(kind.gaps, 'gap')} affecting ${plural(kind.affectedUsers, 'user')}${truncated}.`;
    });
  return {
    title: 'Conditional Access coverage gaps',
    summary: [
      `Analysed ${plural(summary.usersAnalysed, 'user')} in ${plural(summary.userClasses, 'group')} of users who get the same policies, against ${plural(summary.policiesAnalysed, 'policy', 'policies')}. ` +
        'Each gap is an example sign-in that gets less protection than it should.',
      ...(counts.length ? counts : ['No coverage gaps found.']),
      ...summary.limitations.map((limitation) => `Limitation: ${limitation}`),
    ],
    tables: [gapTable('Gaps', summary.rows), gapTable('Gaps only of break-glass accounts', summary.breakGlassRows)],
    data: summary,
  };
}
