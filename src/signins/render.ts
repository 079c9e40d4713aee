import { toTerminalField } from '../cli/terminal.js';
import type { Alert } from './detections/types.js';
import type { ReviewResult, SignInSummary, TimelineEntry } from './review.js';
import { plural } from '../report/text.js';

/** Serialises the `--json` document: alerts, summary and per-user timelines. */
export function reviewJson(result: ReviewResult): string {
  return JSON.stringify({ alerts: result.alerts, summary: result.summary, timelines: result.timelines }, null, 2) + '\n';
}

/** Lists what the log cannot show, so an empty alert list is not read as "all clear". */
export function coverageWarnings(summary: SignInSummary): string[] {
  const warnings: string[] = [...(summary.warnings ?? [])];
  const read = summary.files.reduce((sum, file) => sum + file.signIns, 0);
  if (summary.eventCount === 0 && summary.filters.users.length > 0 && read > 0) {
    warnings.push(`No sign-in matched --user ${summary.filters.users.join(', ')}${summary.filters.since || summary.filters.until ? ' in the selected period' : ''}; the files hold ${read} sign-ins of other users.`);
  } else if (summary.eventCount === 0) {
    warnings.push('The files hold no user sign-ins in the selected period.');
  }
  if (summary.eventCount > 0 && !summary.carriesAuthenticationProtocol) {
    warnings.push(
      'No sign-in carries authenticationProtocol (a Graph v1.0 export or an older Sentinel table): device-code and authentication-transfer sign-ins cannot be seen. Export from the Graph beta endpoint.',
    );
  }
  const otherMissing = summary.missingBetaFields.filter((field) => field !== 'authenticationProtocol');
  if (summary.eventCount > 0 && otherMissing.length > 0) warnings.push(`No sign-in carries ${otherMissing.join(', ')}; detections that read them cannot fire.`);
  if (summary.period.days > 0 && summary.period.days < summary.retentionDays - 1) {
    warnings.push(`The log covers ${plural(summary.period.days, 'day')}; Entra ID keeps ${summary.retentionDays}.`);
  }
  if (summary.skippedRecords > 0) warnings.push(`${plural(summary.skippedRecords, 'bad record')} ${summary.skippedRecords === 1 ? 'was' : 'were'} skipped (--skip-bad-records).`);
  return warnings;
}

/** Timeline lines printed per user; the rest are in --json and timelines.json. */
const MAX_TIMELINE_LINES = 500;

/**
 * Renders a plain-text report for a terminal. Every string from the log (user names, app names, user
 * agents in reasons, IPs) goes through `toTerminalField`, because an attacker chooses some of them.
 * With `timelines`, each returned user's timeline follows the alerts.
 */
export function reviewText(result: ReviewResult, options: { timelines?: boolean } = {}): string {
  const { summary, alerts } = result;
  const t = (value: string | number | null | undefined): string => (value === null || value === undefined ? '?' : toTerminalField(String(value)));
  const lines: string[] = [];
  lines.push(`Sign-in review: ${plural(summary.eventCount, 'sign-in')} of ${plural(summary.userCount, 'user')}, ${summary.period.from ? t(summary.period.from) : '-'} to ${summary.period.to ? t(summary.period.to) : '-'} (${plural(summary.period.days, 'day')})`);
  if (summary.auditCount > 0) lines.push(`Directory audit events: ${summary.auditCount}`);
  for (const warning of coverageWarnings(summary)) lines.push(`warning: ${t(warning)}`);
  lines.push('');

  // With no sign-ins there is nothing to say about the fields they carry.
  let unknown = '';
  if (summary.eventCount === 0) unknown = '(no sign-ins to review)';
  else if (!summary.carriesAuthenticationProtocol && summary.deviceCode.users.length === 0) unknown = '(unknown: the log lacks authenticationProtocol)';
  lines.push(`Who used device code flow in this period: ${unknown}`);
  if (summary.eventCount > 0 && summary.deviceCode.users.length === 0 && summary.carriesAuthenticationProtocol) lines.push('  nobody');
  for (const user of summary.deviceCode.users) {
    const apps = user.apps.map((app) => `${t(app.appDisplayName ?? app.appId)} (${app.signIns})`).join(', ');
    lines.push(`  ${t(user.user)}: ${plural(user.signIns, 'sign-in')}, ${t(user.first)} to ${t(user.last)}, apps ${apps}, IPs ${user.ips.map(t).join(', ')}`);
  }
  if (summary.deviceCode.blockedAttempts > 0) lines.push(`  blocked device-code attempts: ${summary.deviceCode.blockedAttempts}`);
  lines.push('');

  lines.push(alerts.length === 0 ? 'Alerts: none' : `Alerts: ${alerts.length}`);
  for (const alert of alerts) lines.push(...alertText(alert, t));
  if (options.timelines) lines.push(...timelineText(result.timelines, summary, t));
  return lines.join('\n') + '\n';
}

type Escape = (value: string | number | null | undefined) => string;

function alertText(alert: Alert, t: Escape): string[] {
  const first = alert.events[0];
  const lines = [`  [${alert.severity}] ${alert.detection}  ${t(alert.user)}  ${t(alert.time)}`, `      ${t(alert.reason)}`];
  if (first) lines.push(`      first event ${t(first.id)} from ${t(first.ip)} (${t(first.country)}, AS${t(first.asn)}) to ${t(first.app)}${alert.eventCount > 1 ? `; ${alert.eventCount} events` : ''}`);
  return lines;
}

function timelineText(timelines: ReviewResult['timelines'], summary: SignInSummary, t: Escape): string[] {
  const lines: string[] = [];
  if (timelines.length === 0 && summary.filters.users.length > 0) {
    lines.push('', `Timelines: no sign-ins of ${summary.filters.users.map(t).join(', ')}`);
  }
  for (const timeline of timelines) {
    lines.push('', `Timeline of ${t(timeline.user)} (${timeline.entries.length} sign-ins):`);
    for (const entry of timeline.entries.slice(0, MAX_TIMELINE_LINES)) lines.push(`  ${timelineEntryText(entry, t)}`);
    if (timeline.entries.length > MAX_TIMELINE_LINES) lines.push(`  ... ${timeline.entries.length - MAX_TIMELINE_LINES} more; --json and --out timelines.json hold them all`);
  }
  return lines;
}

function timelineEntryText(entry: TimelineEntry, t: Escape): string {
  let result = `error ${entry.result}`;
  if (entry.result === null) result = 'result ?';
  else if (entry.result === 0) result = 'ok';
  let kind = '';
  if (entry.interactive !== null) kind = entry.interactive ? 'interactive' : 'non-interactive';
  const parts = [
    t(entry.time),
    `${t(entry.ip)} (${t(entry.country)}, AS${t(entry.asn)})`,
    t(entry.app),
    entry.protocol && entry.protocol !== 'none' ? t(entry.protocol) : '',
    kind,
    result,
    entry.sessionId ? `session ${t(entry.sessionId)}` : '',
    entry.alerts.length > 0 ? `[${entry.alerts.join(', ')}]` : '',
  ];
  return parts.filter((part) => part !== '').join('  ');
}

const CSV_COLUMNS = ['severity', 'detection', 'user', 'time', 'eventCount', 'firstEventId', 'firstIp', 'firstCountry', 'firstApp', 'reason'] as const;

/** Formats the alerts as CSV, one row per alert, for a spreadsheet. */
export function alertsCsv(alerts: Alert[]): string {
  const rows = alerts.map((alert) => {
    const first = alert.events[0];
    return [alert.severity, alert.detection, alert.user, alert.time, String(alert.eventCount), first?.id ?? '', first?.ip ?? '', first?.country ?? '', first?.app ?? '', alert.reason];
  });
  return [CSV_COLUMNS.join(','), ...rows.map((row) => row.map(csvField).join(','))].join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet; a quote prefix keeps it text.
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
