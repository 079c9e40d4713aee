import { CONTROL_AREAS, RESULT_STATES, SEVERITIES } from '../checks/types.js';
import type { AssessmentReport, CheckMetadata, ReportSection } from './schema.js';
import { escapeMarkdown as m, markdownCode, markdownFence, markdownWithCode } from './escape.js';
import { humanTime } from './text.js';
import {
  AREA_LABELS,
  SKIP_REASON_LABELS,
  STATE_LABELS,
  assessmentRows,
  attentionSentence,
  urgentLines,
  displaySections,
  graphRequestLine,
  objectLabel,
  orderedResults,
  skippedResults,
  totalFindings,
} from './view.js';

/*
 * report.md: the same content and order as report.html, for tickets, wikis and PSA notes.
 * Tenant values pass through escapeMarkdown, or markdownCode for ids and paths.
 */

function table(columns: string[], rows: string[][]): string[] {
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

function header(report: AssessmentReport): string[] {
  const tenant = report.tenant.name ?? report.tenant.id ?? 'Unknown tenant';
  const lines = [`# Token theft readiness assessment: ${m(tenant)}`, ''];
  if (report.engagement) lines.push(`- Client: ${m(report.engagement.clientName)}`);
  lines.push(
    `- Tenant: ${m(tenant)}${report.tenant.id ? ` (${markdownCode(report.tenant.id)})` : ''}`,
    `- Assessed: ${m(humanTime(report.assessedAt))}`,
    `- Snapshot collected: ${m(humanTime(report.snapshot.collectedAt))}`,
    `- Tool: tokengap ${m(report.tool.version)}`,
    '',
  );
  return lines;
}

function summary(report: AssessmentReport): string[] {
  const lines = ['## Summary', ''];
  const urgent = urgentLines(report);
  if (urgent.length > 0) {
    lines.push(`**Probable compromise: revoke now.** ${urgent.map(m).join(' ')}`, '');
  }
  lines.push(m(attentionSentence(report)), '');
  const states = ['fail', 'warn', 'manual', 'pass', 'skipped'] as const;
  const rows = CONTROL_AREAS.filter((area) => RESULT_STATES.some((state) => (report.summary.byArea[area]?.[state] ?? 0) > 0)).map(
    (area) => [AREA_LABELS[area], ...states.map((state) => String(report.summary.byArea[area]?.[state] ?? 0))],
  );
  lines.push(...table(['Control area', ...states.map((state) => STATE_LABELS[state])], rows), '');
  lines.push(
    ...table(
      ['Severity', 'Findings'],
      SEVERITIES.map((severity) => [severity, String(report.summary.bySeverity[severity] ?? 0)]),
    ),
    '',
  );
  return lines;
}

function assessment(report: AssessmentReport): string[] {
  const rows = assessmentRows(report).map((row) => {
    const objects = row.foundObjects.length ? `<br>Named: ${row.foundObjects.map(m).join(', ')}` : '';
    return [
      AREA_LABELS[row.area],
      m(row.checked),
      `**${STATE_LABELS[row.state]}**: ${m(row.found)}${objects}`,
      row.advice.map(m).join('<br>'),
    ];
  });
  return [
    '## Assessment',
    '',
    ...table(['Control area', 'What we checked', 'What we found', 'What to tell the client'], rows),
    '',
  ];
}

function remediation(metadata: CheckMetadata | undefined): string[] {
  if (!metadata) return [];
  const lines = ['', '**How to fix**', ''];
  if (metadata.remediation.portal.length) {
    lines.push('In the admin center:', '');
    metadata.remediation.portal.forEach((step, index) => lines.push(`${index + 1}. ${markdownWithCode(step)}`));
    lines.push('');
  }
  if (metadata.remediation.graph.length) {
    lines.push('With Microsoft Graph:', '');
    for (const request of metadata.remediation.graph) {
      const body = request.body === undefined ? '' : `\n${JSON.stringify(request.body, null, 2)}`;
      const content = `${graphRequestLine(request)}${body}`;
      const fence = markdownFence(content);
      lines.push(`${fence}http`, content, fence);
      if (request.note) lines.push(markdownWithCode(request.note));
      lines.push('');
    }
  }
  if (metadata.references.length) lines.push(`References: ${metadata.references.map(m).join(', ')}`, '');
  return lines;
}

function findings(report: AssessmentReport): string[] {
  const results = orderedResults(report).filter(
    (result) => (result.state === 'fail' || result.state === 'warn' || result.state === 'manual') && result.findings.length > 0,
  );
  const lines = ['## Findings', ''];
  if (results.length === 0) return [...lines, 'No findings.', ''];
  for (const result of results) {
    const metadata = report.checks[result.checkId];
    lines.push(
      `### ${m(result.title)}`,
      '',
      `${STATE_LABELS[result.state]}, severity ${result.severity}, ${AREA_LABELS[result.area]} (${markdownCode(result.checkId)})`,
      '',
      m(result.summary),
      '',
    );
    if (metadata) lines.push(markdownWithCode(metadata.rationale), '');
    for (const finding of result.findings) {
      lines.push(`- **${finding.severity}**: ${m(finding.text)} (key ${markdownCode(finding.key)})`);
      for (const object of finding.objects) {
        const path = object.path ? ` in ${markdownCode(object.path)}` : '';
        lines.push(`  - ${m(object.type)}: ${m(objectLabel(object))}${path}`);
      }
    }
    lines.push(...remediation(metadata));
  }
  return lines;
}

function skipped(report: AssessmentReport): string[] {
  const results = skippedResults(report);
  if (results.length === 0) return [];
  const rows = results.map((result) => [
    `${m(result.title)} (${markdownCode(result.checkId)})`,
    m(SKIP_REASON_LABELS[result.skip?.reason ?? ''] ?? result.skip?.reason ?? ''),
    m(`${result.skip?.detail ?? ''}${result.skip?.requestId ? ` (request id ${result.skip.requestId})` : ''}`),
    m(result.skip?.fix ?? ''),
  ]);
  return [
    '## Checks not run',
    '',
    'These checks did not run, so they say nothing about the tenant; none of them counts as a failed control.',
    '',
    ...table(['Check', 'Reason', 'Detail', 'Fix'], rows),
    '',
  ];
}

function section(value: ReportSection): string[] {
  const lines = [`## ${m(value.title)}`, ''];
  for (const text of value.summary) lines.push(markdownWithCode(text), '');
  for (const item of value.tables) {
    lines.push(`### ${m(item.caption)}`, '');
    if (item.rows.length === 0) lines.push('None.', '');
    else lines.push(...table(item.columns.map(m), item.rows.map((row) => row.map(m))), '');
  }
  return lines;
}

function warnings(report: AssessmentReport): string[] {
  if (report.snapshot.warnings.length === 0) return [];
  return [
    '## Load warnings',
    '',
    ...report.snapshot.warnings.map(
      (warning) => `- ${markdownCode(warning.file + (warning.jsonPath ? ` ${warning.jsonPath}` : ''))}: ${m(warning.message)}`,
    ),
    '',
  ];
}

function snapshotStatus(report: AssessmentReport): string[] {
  const entries = Object.entries(report.snapshot.resources);
  if (entries.length === 0) return [];
  const rows = entries.map(([resource, status]) => [
    markdownCode(resource),
    status.status,
    status.count === undefined ? '' : String(status.count),
    // Microsoft support requests the request id of a failed request, so it is shown here as in report.html.
    m([status.permission, status.license, status.error?.message, status.requestId && `request id ${status.requestId}`].filter(Boolean).join('; ')),
  ]);
  return ['## Data the assessment used', '', ...table(['Resource', 'Status', 'Items', 'Detail'], rows), ''];
}

/** Renders the whole report as Markdown (GitHub-flavoured tables). */
export function renderMarkdown(report: AssessmentReport): string {
  const lines = [
    ...header(report),
    ...summary(report),
    ...assessment(report),
    ...findings(report),
    ...skipped(report),
    ...displaySections(report).flatMap(({ section: value }) => section(value)),
    ...warnings(report),
    ...snapshotStatus(report),
    `Generated by tokengap ${m(report.tool.version)}, report schema version ${report.schemaVersion}.`,
  ];
  return `${lines.join('\n')}\n`;
}
