import { CONTROL_AREAS, SEVERITIES, type ResultState, type Severity } from '../checks/types.js';
import type { AssessmentReport } from './schema.js';
import { escapeHtml } from './escape.js';
import { AREA_LABELS, STATE_LABELS, areasWithResults } from './view.js';

/*
 * Inline SVG charts for report.html. Plain shapes and text only, so the report renders without
 * scripts, fonts or network access and prints as vectors.
 */

export const STATE_COLORS: Record<ResultState, string> = {
  fail: '#b91c1c',
  warn: '#d97706',
  manual: '#7c3aed',
  pass: '#15803d',
  skipped: '#9ca3af',
};

export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#7f1d1d',
  high: '#c2410c',
  medium: '#b45309',
  low: '#1d4ed8',
  info: '#4b5563',
};

const CHART_STATES: readonly ResultState[] = ['fail', 'warn', 'manual', 'pass', 'skipped'];

/** Draws a stacked bar per control area showing how many checks ended in each state. */
export function areaChart(report: AssessmentReport): string {
  const areas = areasWithResults(report);
  const labelWidth = 190;
  const barWidth = 600;
  const rowHeight = 26;
  const top = 8;
  const legendHeight = 28;
  const height = top + areas.length * rowHeight + legendHeight;
  const maxTotal = Math.max(
    1,
    ...areas.map((area) => CHART_STATES.reduce((sum, state) => sum + (report.summary.byArea[area]?.[state] ?? 0), 0)),
  );

  const parts: string[] = [];
  areas.forEach((area, index) => {
    const y = top + index * rowHeight;
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" class="chart-label">${escapeHtml(AREA_LABELS[area])}</text>`,
    );
    let x = labelWidth;
    for (const state of CHART_STATES) {
      const count = report.summary.byArea[area]?.[state] ?? 0;
      if (count === 0) continue;
      const width = (count / maxTotal) * barWidth;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${width.toFixed(1)}" height="18" fill="${STATE_COLORS[state]}">` +
          `<title>${escapeHtml(`${AREA_LABELS[area]}: ${count} ${STATE_LABELS[state].toLowerCase()}`)}</title></rect>`,
      );
      if (width >= 14) {
        parts.push(
          `<text x="${(x + width / 2).toFixed(1)}" y="${y + 16}" text-anchor="middle" class="chart-count">${count}</text>`,
        );
      }
      x += width;
    }
  });

  const legendY = top + areas.length * rowHeight + 10;
  CHART_STATES.forEach((state, index) => {
    const x = labelWidth + index * 120;
    parts.push(`<rect x="${x}" y="${legendY}" width="12" height="12" fill="${STATE_COLORS[state]}"/>`);
    parts.push(`<text x="${x + 16}" y="${legendY + 10}" class="chart-legend">${escapeHtml(STATE_LABELS[state])}</text>`);
  });

  return (
    `<svg class="chart" role="img" aria-label="Checks by control area and result" viewBox="0 0 ${labelWidth + barWidth + 10} ${height}" ` +
    `width="${labelWidth + barWidth + 10}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`
  );
}

/** Draws one bar per severity showing how many findings the failing and warning checks raised. */
export function severityChart(report: AssessmentReport): string {
  const labelWidth = 80;
  const barWidth = 300;
  const rowHeight = 24;
  const height = SEVERITIES.length * rowHeight + 8;
  const maxCount = Math.max(1, ...SEVERITIES.map((severity) => report.summary.bySeverity[severity] ?? 0));

  const parts: string[] = [];
  SEVERITIES.forEach((severity, index) => {
    const y = 4 + index * rowHeight;
    const count = report.summary.bySeverity[severity] ?? 0;
    const width = (count / maxCount) * barWidth;
    parts.push(`<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end" class="chart-label">${severity}</text>`);
    if (count > 0) {
      parts.push(
        `<rect x="${labelWidth}" y="${y + 2}" width="${width.toFixed(1)}" height="16" fill="${SEVERITY_COLORS[severity]}"/>`,
      );
    }
    parts.push(`<text x="${(labelWidth + width + 6).toFixed(1)}" y="${y + 14}" class="chart-label">${count}</text>`);
  });

  return (
    `<svg class="chart" role="img" aria-label="Findings by severity" viewBox="0 0 ${labelWidth + barWidth + 40} ${height}" ` +
    `width="${labelWidth + barWidth + 40}" height="${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`
  );
}

/** Control areas without any result, listed under the chart so an empty area is visible, not silently absent. */
export function areasWithoutResults(report: AssessmentReport): string[] {
  const present = new Set(areasWithResults(report));
  return CONTROL_AREAS.filter((area) => !present.has(area)).map((area) => AREA_LABELS[area]);
}
