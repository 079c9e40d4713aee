import { SEVERITIES, type CheckResult } from '../checks/types.js';
import type { AssessmentReport, CheckMetadata, ReportSection } from './schema.js';
import { escapeHtml as e, htmlWithCode } from './escape.js';
import { humanTime } from './text.js';
import { SEVERITY_COLORS, STATE_COLORS, areaChart, areasWithoutResults, severityChart } from './svg.js';
import {
  attentionSentence,
  urgentLines,
  AREA_LABELS,
  SKIP_REASON_LABELS,
  STATE_LABELS,
  assessmentRows,
  displaySections,
  graphRequestLine,
  objectLabel,
  orderedResults,
  skippedResults,
  totalFindings,
} from './view.js';

/*
 * report.html: one self-contained file with inline CSS and inline SVG. It loads nothing
 * (no scripts, fonts, images or styles from the network) and has print rules, so a technician
 * can mail it or print it to PDF. Every value passes through escapeHtml.
 */

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #111827;
  margin: 0 auto; max-width: 1100px; padding: 24px 32px 48px; line-height: 1.45; font-size: 14px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 2px solid #e5e7eb; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 20px 0 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; table-layout: fixed; }
th, td { border: 1px solid #d1d5db; padding: 6px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th { background: #f3f4f6; font-weight: 600; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
pre { background: #f9fafb; border: 1px solid #e5e7eb; padding: 8px; white-space: pre-wrap; word-break: break-word; }
.meta { color: #374151; margin: 0 0 16px; }
.meta dt { font-weight: 600; display: inline; }
.meta dd { display: inline; margin: 0 16px 0 4px; }
.summary { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.summary figure { margin: 0; }
.summary figcaption { font-weight: 600; margin-bottom: 4px; }
.chart-label { font-size: 12px; fill: #111827; }
.chart-count { font-size: 11px; fill: #ffffff; font-weight: 600; }
.chart-legend { font-size: 11px; fill: #374151; }
.urgent { border: 2px solid #b91c1c; background: #fef2f2; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.figures { display: flex; gap: 16px; margin: 8px 0 16px; flex-wrap: wrap; }
.figure { border: 1px solid #e5e7eb; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.figure strong { display: block; font-size: 22px; }
.badge { display: inline-block; border-radius: 4px; padding: 0 6px; color: #ffffff; font-size: 12px; font-weight: 600; white-space: nowrap; }
.finding { overflow-wrap: break-word; border: 1px solid #e5e7eb; border-left: 6px solid #9ca3af; border-radius: 4px; padding: 8px 12px; margin: 12px 0; page-break-inside: avoid; }
.finding h3 { margin-top: 4px; }
.muted { color: #6b7280; }
ul.objects { margin: 4px 0; padding-left: 20px; }
table.assessment th:nth-child(1) { width: 13%; }
table.assessment th:nth-child(2) { width: 24%; }
table.assessment th:nth-child(3) { width: 35%; }
.note { background: #fffbeb; border: 1px solid #fcd34d; padding: 8px 12px; border-radius: 4px; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { page-break-after: avoid; }
  tr, .finding, figure { page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .badge, rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

function badge(text: string, color: string): string {
  return `<span class="badge" style="background:${color}">${e(text)}</span>`;
}

function stateBadge(result: CheckResult): string {
  return badge(STATE_LABELS[result.state], STATE_COLORS[result.state]);
}

function renderHeader(report: AssessmentReport): string {
  const tenant = report.tenant.name ?? report.tenant.id ?? 'Unknown tenant';
  const items: [string, string][] = [
    ['Tenant', report.tenant.id ? `${tenant} (${report.tenant.id})` : tenant],
    ['Assessed', humanTime(report.assessedAt)],
    ['Snapshot collected', humanTime(report.snapshot.collectedAt)],
    ['Tool', `tokengap ${report.tool.version}`],
  ];
  if (report.engagement) items.unshift(['Client', report.engagement.clientName]);
  const meta = items.map(([term, value]) => `<dt>${e(term)}:</dt><dd>${e(value)}</dd>`).join('');
  return `<header><h1>Token theft readiness assessment: ${e(tenant)}</h1><dl class="meta">${meta}</dl></header>`;
}

function renderSummary(report: AssessmentReport): string {
  const counts = { fail: 0, warn: 0, manual: 0, pass: 0, skipped: 0 };
  for (const result of report.results) counts[result.state] += 1;
  const figures = [
    ['Checks', report.results.length],
    ['Failed', counts.fail],
    ['Warnings', counts.warn],
    ['Need a person', counts.manual],
    ['Passed', counts.pass],
    ['Not checked', counts.skipped],
    ['Findings', totalFindings(report)],
  ]
    .map(([label, value]) => `<div class="figure"><strong>${e(value)}</strong>${e(label)}</div>`)
    .join('');
  const urgentTexts = urgentLines(report);
  const urgent = urgentTexts.length
    ? `<div class="urgent" role="alert"><p><strong>Probable compromise: revoke now.</strong></p><ul>${urgentTexts.map((text) => `<li>${e(text)}</li>`).join('')}</ul></div>`
    : '';
  const missing = areasWithoutResults(report);
  const missingNote = missing.length
    ? `<p class="muted">No checks ran in: ${e(missing.join(', '))}.</p>`
    : '';
  return (
    `<section id="summary"><h2>Summary</h2>${urgent}<p>${e(attentionSentence(report))}</p><div class="figures">${figures}</div>` +
    `<div class="summary"><figure><figcaption>Checks by control area</figcaption>${areaChart(report)}</figure>` +
    `<figure><figcaption>Findings by severity</figcaption>${severityChart(report)}</figure></div>${missingNote}</section>`
  );
}

function renderAssessmentTable(report: AssessmentReport): string {
  const rows = assessmentRows(report)
    .map((row) => {
      const objects = row.foundObjects.length
        ? `<ul class="objects">${row.foundObjects.map((name) => `<li>${e(name)}</li>`).join('')}</ul>`
        : '';
      const result = report.results.find((candidate) => candidate.checkId === row.checkId)!;
      return (
        `<tr data-check="${e(row.checkId)}"><td>${e(AREA_LABELS[row.area])}</td><td>${e(row.checked)}</td>` +
        `<td>${stateBadge(result)} ${e(row.found)}${objects}</td><td>${row.advice.map((text) => `<p>${e(text)}</p>`).join('')}</td></tr>`
      );
    })
    .join('');
  return (
    `<section id="assessment"><h2>Assessment</h2><table class="assessment"><thead><tr><th>Control area</th>` +
    `<th>What we checked</th><th>What we found</th><th>What to tell the client</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

function renderRemediation(metadata: CheckMetadata | undefined): string {
  if (!metadata) return '';
  const portal = metadata.remediation.portal.length
    ? `<p><strong>In the admin center:</strong></p><ol>${metadata.remediation.portal.map((step) => `<li>${htmlWithCode(step)}</li>`).join('')}</ol>`
    : '';
  const graph = metadata.remediation.graph.length
    ? `<p><strong>With Microsoft Graph:</strong></p>` +
      metadata.remediation.graph
        .map((request) => {
          const body = request.body === undefined ? '' : `\n${JSON.stringify(request.body, null, 2)}`;
          const note = request.note ? `<p class="muted">${htmlWithCode(request.note)}</p>` : '';
          return `<pre>${e(graphRequestLine(request) + body)}</pre>${note}`;
        })
        .join('')
    : '';
  const references = metadata.references.length
    ? `<p class="muted">References: ${metadata.references.map((link) => e(link)).join(', ')}</p>`
    : '';
  return `<div class="remediation"><h4>How to fix</h4>${portal}${graph}${references}</div>`;
}

function renderFindings(report: AssessmentReport): string {
  const results = orderedResults(report).filter(
    (result) => (result.state === 'fail' || result.state === 'warn' || result.state === 'manual') && result.findings.length > 0,
  );
  if (results.length === 0) return '<section id="findings"><h2>Findings</h2><p>No findings.</p></section>';
  const blocks = results.map((result) => {
    const metadata = report.checks[result.checkId];
    const findings = result.findings
      .map((finding) => {
        const objects = finding.objects
          .map((object) => {
            const path = object.path ? ` <span class="muted">in <code>${e(object.path)}</code></span>` : '';
            return `<li>${e(object.type)}: ${e(objectLabel(object))}${path}</li>`;
          })
          .join('');
        return (
          `<li>${badge(finding.severity, SEVERITY_COLORS[finding.severity])} ${e(finding.text)}` +
          ` <span class="muted">(key <code>${e(finding.key)}</code>)</span>` +
          (objects ? `<ul class="objects">${objects}</ul>` : '') +
          `</li>`
        );
      })
      .join('');
    const rationale = metadata ? `<p>${htmlWithCode(metadata.rationale)}</p>` : '';
    return (
      `<article class="finding" style="border-left-color:${SEVERITY_COLORS[result.severity]}" id="check-${e(result.checkId)}">` +
      `<h3>${e(result.title)}</h3><p>${stateBadge(result)} ${badge(result.severity, SEVERITY_COLORS[result.severity])} ` +
      `${e(AREA_LABELS[result.area])} <span class="muted">· <code>${e(result.checkId)}</code></span></p>` +
      `<p>${e(result.summary)}</p>${rationale}<ul>${findings}</ul>${renderRemediation(metadata)}</article>`
    );
  });
  return `<section id="findings"><h2>Findings</h2>${blocks.join('')}</section>`;
}

function renderSkipped(report: AssessmentReport): string {
  const skipped = skippedResults(report);
  if (skipped.length === 0) return '';
  const rows = skipped
    .map(
      (result) =>
        `<tr><td>${e(result.title)}<br><code class="muted">${e(result.checkId)}</code></td>` +
        `<td>${e(SKIP_REASON_LABELS[result.skip?.reason ?? ''] ?? result.skip?.reason ?? '')}</td>` +
        `<td>${e(result.skip?.detail ?? '')}${result.skip?.requestId ? ` (request id ${e(result.skip.requestId)})` : ''}</td>` +
        `<td>${e(result.skip?.fix ?? '')}</td></tr>`,
    )
    .join('');
  return (
    `<section id="skipped"><h2>Checks not run</h2><p>These checks did not run, so they say nothing about the tenant; ` +
    `none of them counts as a failed control.</p><table><thead><tr><th>Check</th><th>Reason</th><th>Detail</th><th>Fix</th></tr></thead>` +
    `<tbody>${rows}</tbody></table></section>`
  );
}

function renderSection(key: string, section: ReportSection): string {
  const summary = section.summary.map((text) => `<p>${htmlWithCode(text)}</p>`).join('');
  const tables = section.tables
    .map((table) => {
      const head = table.columns.map((column) => `<th>${e(column)}</th>`).join('');
      const body = table.rows.map((row) => `<tr>${row.map((cell) => `<td>${e(cell)}</td>`).join('')}</tr>`).join('');
      const empty = table.rows.length === 0 ? `<p class="muted">None.</p>` : '';
      return `<h3>${e(table.caption)}</h3>${empty || `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`}`;
    })
    .join('');
  return `<section id="section-${e(key)}"><h2>${e(section.title)}</h2>${summary}${tables}</section>`;
}

function renderSnapshotStatus(report: AssessmentReport): string {
  const entries = Object.entries(report.snapshot.resources);
  if (entries.length === 0) return '';
  const rows = entries
    .map(([resource, status]) => {
      const detail = [status.permission, status.license, status.error?.message, status.requestId && `request id ${status.requestId}`]
        .filter(Boolean)
        .join('; ');
      const count = status.count === undefined ? '' : String(status.count);
      return `<tr><td><code>${e(resource)}</code></td><td>${e(status.status)}</td><td>${e(count)}</td><td>${e(detail)}</td></tr>`;
    })
    .join('');
  return (
    `<section id="snapshot"><h2>Data the assessment used</h2><table><thead><tr><th>Resource</th><th>Status</th>` +
    `<th>Items</th><th>Detail</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

function renderWarnings(report: AssessmentReport): string {
  if (report.snapshot.warnings.length === 0) return '';
  const items = report.snapshot.warnings
    .map((warning) => `<li><code>${e(warning.file)}${warning.jsonPath ? ` ${e(warning.jsonPath)}` : ''}</code>: ${e(warning.message)}</li>`)
    .join('');
  return `<section id="warnings"><h2>Load warnings</h2><div class="note"><ul>${items}</ul></div></section>`;
}

/** Renders the whole report as one self-contained HTML document. */
export function renderHtml(report: AssessmentReport): string {
  const tenant = report.tenant.name ?? report.tenant.id ?? 'Unknown tenant';
  const sections = displaySections(report)
    .map(({ key, section }) => renderSection(key, section))
    .join('');
  const severityKey = SEVERITIES.map((severity) => badge(severity, SEVERITY_COLORS[severity])).join(' ');
  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">` +
    // The policy forbids every fetch, so even a value that escaped escaping could load nothing.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${e(`tokengap assessment: ${tenant}`)}</title><style>${STYLE}</style></head><body>` +
    renderHeader(report) +
    renderSummary(report) +
    renderAssessmentTable(report) +
    renderFindings(report) +
    renderSkipped(report) +
    sections +
    renderWarnings(report) +
    renderSnapshotStatus(report) +
    `<footer><p class="muted">Severity scale: ${severityKey}. Generated by tokengap ${e(report.tool.version)}, ` +
    `report schema version ${e(report.schemaVersion)}.</p></footer></body></html>\n`
  );
}
