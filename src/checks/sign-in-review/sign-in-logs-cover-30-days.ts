import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';

const ID = 'sign-in-logs-cover-30-days';

type Message = 'covers-retention' | 'needs-review' | 'short-period' | 'stale' | 'beta-fields-missing' | 'no-events' | 'summary-missing';

/** Days of sign-ins Entra ID keeps for tenants with P1 or P2; fewer days mean a gap in the review. */
const RETENTION_DAYS = 30;
/** A log whose newest event is older than this is not a current export. */
const STALE_AFTER_DAYS = 2;
/** Period rounding: a log that starts within a day of the retention limit covers it. */
const COVERED_DAYS = RETENTION_DAYS - 1;

export const signInLogsCover30Days: CheckDefinition<Message> = {
  id: ID,
  area: 'sign-in-review',
  title: 'Sign-in logs cover the last 30 days with the token-theft fields',
  severity: 'medium',
  rationale:
    'The sign-in review can only find device-code phishing and token replay in logs it has. Entra ID keeps 30 days of sign-ins, so a shorter or older export leaves days unreviewed, ' +
    'and a Graph v1.0 export lacks authenticationProtocol, originalTransferMethod, sessionId and autonomousSystemNumber, without which device-code use and session replay cannot be seen.',
  remediation: {
    portal: [
      'Run `tokengap collect` again, which reads interactive and non-interactive sign-ins from the Graph beta endpoint for the last 30 days.',
      'Or export sign-ins from Microsoft Sentinel / Log Analytics (SigninLogs and AADNonInteractiveUserSignInLogs) for the last 30 days and add them to the snapshot folder under signIns/.',
      'For more than 30 days of history, send the sign-in logs to a Log Analytics workspace with Entra ID diagnostic settings.',
    ],
    graph: [
      { method: 'GET', path: "/beta/auditLogs/signIns?$filter=createdDateTime ge {30-days-ago} and signInEventTypes/any(t: t eq 'interactiveUser' or t eq 'nonInteractiveUser')", note: 'Send `Prefer: include-unknown-enum-members` so authenticationTransfer is not hidden as unknownFutureValue.' },
    ],
  },
  clientText: 'We checked that we reviewed a full month of your sign-in records, with the details needed to spot stolen sessions.',
  scopeClass: 'fixed-fee-assessment',
  requires: [{ resource: 'signIns' }],
  references: [
    'https://learn.microsoft.com/entra/identity/monitoring-health/reference-reports-data-retention',
    'https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta',
  ],
  knownLimitations: [
    'The period is measured from the oldest to the newest sign-in in the files; a gap in the middle of the period is not detected.',
    'Field coverage is per field across the whole log: a log where only some events carry authenticationProtocol counts as carrying it.',
  ],
  messages: {
    'covers-retention': { text: 'The sign-in logs cover {days} {days|day|days} ({from} to {to}, {events} {events|sign-in|sign-ins}) with the token-theft fields.' },
    'needs-review': { text: 'The sign-in logs cover {days} {days|day|days} ({events} {events|sign-in|sign-ins}) but have gaps for the review.' },
    'short-period': {
      text: 'The sign-in logs cover only {days} {days|day|days} ({from} to {to}); Entra ID keeps {retention} days.',
      client: 'We reviewed {days} {days|day|days} of sign-ins rather than the full month.',
    },
    stale: { text: 'The newest sign-in in the logs is from {to}, {age} {age|day|days} before the assessment.', client: 'The sign-in records we reviewed are not current.' },
    'beta-fields-missing': {
      text: 'No sign-in in the logs carries {fields}: the export is from Graph v1.0 or an older Sentinel table, so device-code use and session replay cannot be seen.',
      client: 'The sign-in records lack details needed to spot stolen sessions.',
    },
    'no-events': { text: 'The sign-in log files hold no user sign-ins.' },
    'summary-missing': { text: 'The sign-in logs were not read for this assessment, so their period is unknown.' },
  },
  evaluate({ signInSummary: summary, now }): CheckOutcome<Message> {
    if (!summary) return { state: 'manual', summary: { messageId: 'summary-missing', data: {} }, findings: [{ key: ID, messageId: 'summary-missing', data: {}, objects: [] }] };
    if (summary.eventCount === 0) return { state: 'warn', summary: { messageId: 'no-events', data: {} }, findings: [{ key: `${ID}:empty`, messageId: 'no-events', data: {}, objects: [] }] };

    const from = summary.period.from ?? '';
    const to = summary.period.to ?? '';
    const findings: Finding<Message>[] = [];
    if (summary.period.days < COVERED_DAYS) {
      findings.push({ key: `${ID}:period`, messageId: 'short-period', data: { days: summary.period.days, from, to, retention: RETENTION_DAYS }, objects: [] });
    }
    const age = Math.floor((now.getTime() - Date.parse(to)) / 86_400_000);
    if (age > STALE_AFTER_DAYS) findings.push({ key: `${ID}:stale`, messageId: 'stale', data: { to, age }, objects: [] });
    if (summary.missingBetaFields.length > 0) {
      findings.push({ key: `${ID}:fields`, messageId: 'beta-fields-missing', data: { fields: summary.missingBetaFields }, objects: [], severity: summary.carriesAuthenticationProtocol ? 'low' : 'medium' });
    }
    if (findings.length > 0) return { state: 'warn', summary: { messageId: 'needs-review', data: { days: summary.period.days, events: summary.eventCount } }, findings };
    return { state: 'pass', summary: { messageId: 'covers-retention', data: { days: summary.period.days, from, to, events: summary.eventCount } }, findings };
  },
};
