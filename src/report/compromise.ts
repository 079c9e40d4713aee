import { severityRank, type CheckResult, type RenderedFinding, type Severity } from '../checks/types.js';
import type { Alert, DetectionId } from '../signins/detections/types.js';
import type { CheckMetadata } from './schema.js';
import { plural } from './text.js';

/**
 * A sign-in alert that shows a user's session or token in use from somewhere the user was not
 * is reported as a probable compromise of that user, not as a lead to confirm. The report, the
 * client message and the roadmap then ask for the user's sessions to be revoked now.
 * Other high alerts (a first device-code sign-in, an odd user agent) stay leads for a person.
 */
export const COMPROMISE_CHECK_ID = 'sign-in-alerts-probable-compromise';

/** Detections that, at high or critical severity, show a session or token used by someone else. */
const COMPROMISE_DETECTIONS: ReadonlySet<DetectionId> = new Set<DetectionId>([
  'session-replay',
  'device-code-then-new-location',
  'device-code-broker-device-registration',
  'impossible-travel',
  'risky-sign-in',
]);

/** Plain-language description of what each detection saw, for the client. */
const PLAIN: Partial<Record<DetectionId, string>> = {
  'session-replay': 'the same sign-in session was used from two places',
  'device-code-then-new-location': 'a sign-in with a one-time code was followed by use from another network',
  'device-code-broker-device-registration': 'a sign-in with a one-time code was followed by a new device being registered',
  'impossible-travel': 'sign-ins came from places too far apart to travel between',
  'risky-sign-in': 'Microsoft rated the sign-in as risky',
};

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

function countryName(code: string): string {
  try {
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

export const COMPROMISE_METADATA: CheckMetadata = {
  id: COMPROMISE_CHECK_ID,
  area: 'sign-in-review',
  title: 'No sign-in alert shows a stolen session',
  severity: 'high',
  rationale:
    'A session or token used from two places at once, or from another network right after a device-code sign-in, is how a stolen token looks in the sign-in logs. Until the sessions are revoked the attacker keeps access, even after a password change.',
  clientText: 'We looked in the sign-in logs for signs that someone else is using a signed-in session.',
  scopeClass: 'incident-response',
  remediation: {
    portal: [
      'Microsoft Entra admin center > Users > the user > Revoke sessions.',
      'Reset the password and review the MFA methods registered for the user; remove any method the user does not recognise.',
      'Disable the user while the investigation runs if the access continues after the revocation.',
    ],
    graph: [
      { method: 'POST', path: '/users/{id}/revokeSignInSessions', note: 'Invalidates the refresh tokens and session cookies of the user.' },
    ],
  },
  references: ['https://learn.microsoft.com/en-us/entra/identity/users/users-revoke-access'],
  knownLimitations: [
    'Access tokens already issued stay valid until they expire (about an hour) unless the app supports continuous access evaluation.',
  ],
};

/**
 * Builds the probable-compromise result from the sign-in alerts: one finding per user with a
 * high or critical alert of a compromise detection. Returns undefined when the logs were not read.
 */
export function compromiseResult(alerts: readonly Alert[] | undefined): CheckResult | undefined {
  if (!alerts) return undefined;
  const byUser = new Map<string, Alert[]>();
  for (const alert of alerts) {
    if (!COMPROMISE_DETECTIONS.has(alert.detection) || severityRank(alert.severity) < severityRank('high')) continue;
    const key = (alert.userId ?? alert.user).toLowerCase();
    byUser.set(key, [...(byUser.get(key) ?? []), alert]);
  }
  const findings: RenderedFinding[] = [...byUser.values()].map((userAlerts) => compromiseFinding(userAlerts));
  findings.sort((a, b) => a.key.localeCompare(b.key));
  const users = findings.map((finding) => finding.data.user as string);
  return {
    checkId: COMPROMISE_CHECK_ID,
    area: 'sign-in-review',
    title: COMPROMISE_METADATA.title,
    severity: findings.some((finding) => finding.severity === 'critical') ? 'critical' : 'high',
    state: findings.length > 0 ? 'fail' : 'pass',
    summary:
      findings.length > 0
        ? `Probable compromise of ${plural(findings.length, 'user')}: ${users.join(', ')}. Revoke their sessions now.`
        : 'No sign-in alert shows a session or token used by someone else.',
    findings,
  };
}

function compromiseFinding(alerts: Alert[]): RenderedFinding {
  const first = alerts[0]!;
  const user = first.user;
  const severity: Severity = alerts.some((alert) => alert.severity === 'critical') ? 'critical' : 'high';
  const detections = [...new Set(alerts.map((alert) => alert.detection))];
  const countries = [...new Set(alerts.flatMap((alert) => alert.events.map((event) => event.country)).filter((country): country is string => !!country))];
  const seen = detections.map((detection) => PLAIN[detection] ?? detection);
  const where = countries.length > 1 ? ` (${countries.map(countryName).join(' and ')})` : '';
  const firstTime = alerts.map((alert) => alert.time).sort()[0] ?? first.time;
  return {
    key: `${COMPROMISE_CHECK_ID}:${(first.userId ?? user).toLowerCase()}`,
    checkId: COMPROMISE_CHECK_ID,
    severity,
    messageId: 'probable-compromise',
    data: { user, detections, countries, firstSeen: firstTime },
    text: `Probable compromise of ${user} since ${firstTime}: ${alerts.map((alert) => `${alert.detection} (${alert.reason})`).join('; ')}. Revoke the user's sessions now (POST /users/{id}/revokeSignInSessions), reset the password and review the MFA methods.`,
    clientText: `The sign-in session of ${user} was probably stolen: ${seen.join('; ')}${where}. We recommend revoking this user's sessions now.`,
    objects: [{ type: 'user', id: first.userId ?? user, displayName: user }],
  };
}
