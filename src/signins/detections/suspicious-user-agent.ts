import { severityRank, type Severity } from '../../checks/types.js';
import { groupBy, makeAlert, succeeded } from './helpers.js';
import type { Detection } from './types.js';
import { matchUserAgent } from './user-agent-markers.js';
import { plural } from '../../report/text.js';

export const suspiciousUserAgent: Detection = {
  id: 'suspicious-user-agent',
  title: 'Sign-in from a scripted or attack-tool user agent',
  severity: 'high',
  description:
    "A sign-in's user agent contains a marker of HTTP libraries or attack tools (see the marker list with the source of each). " +
    'Failed attempts alert one level lower than successes; unconfirmed markers alert as low.',
  fields: ['userAgent', 'status'],
  falsePositives: 'Internal Node.js or Python automation; old mail clients (BAV2ROPC); authorised red teams.',
  sources: ['SigmaHQ rules-threat-hunting/cloud/azure/signin_logs/azure_ad_signin_axios_user_agent.yml', 'SigmaHQ rules/cloud/azure/signin_logs/azure_ad_suspicious_signin_bypassing_mfa.yml'],
  detect(activity) {
    const matched = activity.signIns.flatMap((event) => {
      const marker = matchUserAgent(event.userAgent);
      return marker ? [{ event, marker }] : [];
    });
    return [...groupBy(matched, (entry) => entry.marker.marker).values()].map((group) => {
      const marker = group[0]!.marker;
      const successes = group.filter((entry) => succeeded(entry.event)).length;
      const severity = alertSeverity(marker.severity, successes);
      return makeAlert(
        'suspicious-user-agent',
        severity,
        activity,
        group.map((entry) => entry.event),
        `user agent contains "${marker.exact ? 'TeamFiltration' : marker.marker}" (${marker.context}; source: ${marker.source}); ${successes} of ${plural(group.length, 'sign-in')} succeeded`,
      );
    });
  },
};

/**
 * Picks the alert severity: the marker's own when a sign-in with it succeeded. Failed attempts
 * alone rank lower because nothing was obtained: high becomes medium, any other level above low becomes low.
 */
function alertSeverity(markerSeverity: Severity, successes: number): Severity {
  if (successes > 0) return markerSeverity;
  if (severityRank(markerSeverity) <= severityRank('low')) return markerSeverity;
  if (markerSeverity === 'high') return 'medium';
  return 'low';
}
