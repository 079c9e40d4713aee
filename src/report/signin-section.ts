import { SEVERITIES } from '../checks/types.js';
import type { SignInSummary } from '../signins/review.js';
import type { ReportSection } from './schema.js';
import { plural } from './text.js';


/** Shows the sign-in review summary as a report section: coverage of the logs, device-code use and alert counts. */
export function signInSection(summary: SignInSummary): ReportSection {
  if (!summary.present) {
    return {
      title: 'Sign-in review',
      summary: ['The snapshot holds no sign-in logs, so device-code phishing and token replay could not be looked for.'],
      tables: [],
      data: summary,
    };
  }

  const period = summary.period.from && summary.period.to ? ` from ${summary.period.from} to ${summary.period.to}` : '';
  const lines = [
    `The sign-in logs cover ${plural(summary.period.days, 'day')}${period}: ${plural(summary.eventCount, 'sign-in')} of ${plural(summary.userCount, 'user')} ` +
      `in ${plural(summary.files.length, 'file')}. Entra ID keeps sign-ins for ${summary.retentionDays} days.`,
  ];
  if (summary.skippedRecords > 0) lines.push(`${plural(summary.skippedRecords, 'record')} could not be read and were skipped.`);
  if (!summary.carriesAuthenticationProtocol) {
    lines.push('No sign-in carries authenticationProtocol (a Graph beta field), so device-code sign-ins cannot be ruled out from these logs.');
  } else if (summary.missingBetaFields.length > 0) {
    lines.push(`These token-theft fields are missing from every sign-in: ${summary.missingBetaFields.join(', ')}.`);
  }
  lines.push(
    `Device-code sign-ins: ${summary.deviceCode.signIns} (${plural(summary.deviceCode.users.length, 'user')}); ` +
      `blocked device-code attempts: ${summary.deviceCode.blockedAttempts}.`,
  );
  const alerts = SEVERITIES.filter((severity) => (summary.alertsBySeverity[severity] ?? 0) > 0).map(
    (severity) => `${summary.alertsBySeverity[severity]} ${severity}`,
  );
  lines.push(alerts.length ? `Alerts: ${alerts.join(', ')}. Run \`tokengap signins --snapshot SNAPSHOT_DIR\` for the alerts and timelines.` : 'No alerts.');

  const detections = Object.entries(summary.alertsByDetection)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    title: 'Sign-in review',
    summary: lines,
    tables: [
      {
        caption: 'Device-code sign-ins by user',
        columns: ['User', 'Sign-ins', 'Apps', 'IP addresses', 'Countries', 'First', 'Last'],
        rows: summary.deviceCode.users.map((user) => [
          user.displayName ? `${user.displayName} (${user.user})` : user.user,
          String(user.signIns),
          user.apps.map((app) => `${app.appDisplayName ?? app.appId ?? 'unknown app'} (${app.signIns})`).join(', '),
          user.ips.join(', '),
          user.countries.join(', '),
          user.first,
          user.last,
        ]),
      },
      { caption: 'Alerts by detection', columns: ['Detection', 'Alerts'], rows: detections.map(([id, count]) => [id, String(count)]) },
    ],
    data: summary,
  };
}
