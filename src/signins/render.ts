import type { Alert } from './detections/types.js';
import type { ReviewResult, SignInSummary } from './review.js';

/** The `--json` document: alerts, summary and per-user timelines. */
export function reviewJson(result: ReviewResult): string {
  return JSON.stringify({ alerts: result.alerts, summary: result.summary, timelines: result.timelines }, null, 2) + '\n';
}

/** Lines that say what the log cannot show, so an empty alert list is not read as "all clear". */
export function coverageWarnings(summary: SignInSummary): string[] {
  const warnings: string[] = [];
  if (summary.eventCount === 0) warnings.push('The files hold no user sign-ins in the selected period.');
  if (summary.eventCount > 0 && !summary.carriesAuthenticationProtocol) {
    warnings.push(
      'No sign-in carries authenticationProtocol (a Graph v1.0 export or an older Sentinel table): device-code and authentication-transfer sign-ins cannot be seen. Export from the Graph beta endpoint.',
    );
  }
  const otherMissing = summary.missingBetaFields.filter((field) => field !== 'authenticationProtocol');
  if (summary.eventCount > 0 && otherMissing.length > 0) warnings.push(`No sign-in carries ${otherMissing.join(', ')}; detections that read them cannot fire.`);
  if (summary.period.days > 0 && summary.period.days < summary.retentionDays - 1) {
    warnings.push(`The log covers ${summary.period.days} days; Entra ID keeps ${summary.retentionDays}.`);
  }
  if (summary.skippedRecords > 0) warnings.push(`${summary.skippedRecords} bad record(s) were skipped (--skip-bad-records).`);
  return warnings;
}

/** A plain-text report for a terminal. */
export function reviewText(result: ReviewResult): string {
  const { summary, alerts } = result;
  const lines: string[] = [];
  lines.push(`Sign-in review: ${summary.eventCount} sign-ins of ${summary.userCount} users, ${summary.period.from ?? '-'} to ${summary.period.to ?? '-'} (${summary.period.days} days)`);
  if (summary.auditCount > 0) lines.push(`Directory audit events: ${summary.auditCount}`);
  for (const warning of coverageWarnings(summary)) lines.push(`warning: ${warning}`);
  lines.push('');

  lines.push(`Who used device code flow in this period: ${summary.carriesAuthenticationProtocol || summary.deviceCode.users.length > 0 ? '' : '(unknown: the log lacks authenticationProtocol)'}`);
  if (summary.deviceCode.users.length === 0 && summary.carriesAuthenticationProtocol) lines.push('  nobody');
  for (const user of summary.deviceCode.users) {
    const apps = user.apps.map((app) => `${app.appDisplayName ?? app.appId ?? '?'} (${app.signIns})`).join(', ');
    lines.push(`  ${user.user}: ${user.signIns} sign-in(s), ${user.first} to ${user.last}, apps ${apps}, IPs ${user.ips.join(', ')}`);
  }
  if (summary.deviceCode.blockedAttempts > 0) lines.push(`  blocked device-code attempts: ${summary.deviceCode.blockedAttempts}`);
  lines.push('');

  lines.push(alerts.length === 0 ? 'Alerts: none' : `Alerts: ${alerts.length}`);
  for (const alert of alerts) lines.push(...alertText(alert));
  return lines.join('\n') + '\n';
}

function alertText(alert: Alert): string[] {
  const first = alert.events[0];
  const lines = [`  [${alert.severity}] ${alert.detection}  ${alert.user}  ${alert.time}`, `      ${alert.reason}`];
  if (first) lines.push(`      first event ${first.id} from ${first.ip ?? '?'} (${first.country ?? '?'}, AS${first.asn ?? '?'}) to ${first.app ?? '?'}${alert.eventCount > 1 ? `; ${alert.eventCount} events` : ''}`);
  return lines;
}

const CSV_COLUMNS = ['severity', 'detection', 'user', 'time', 'eventCount', 'firstEventId', 'firstIp', 'firstCountry', 'firstApp', 'reason'] as const;

/** One row per alert, for a spreadsheet. */
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
