import { asnOf, country, distinct, groupBy, makeAlert, succeeded, timeMs } from './helpers.js';
import type { Alert, Detection } from './types.js';

/**
 * One session id used from more than one country or autonomous system within the session window:
 * the signature of a stolen session cookie or refresh token replayed from the attacker's network.
 */
export const sessionReplay: Detection = {
  id: 'session-replay',
  title: 'One session used from several countries or networks',
  severity: 'high',
  description:
    'Successful sign-ins that share a sessionId came from more than one country or autonomous system within the session window (default 24 hours, ' +
    "the window of Microsoft's AiTM hunting queries).",
  fields: ['sessionId', 'ipAddress', 'autonomousSystemNumber', 'location', 'status'],
  falsePositives: 'Travellers; mobile carriers and IPv6 ranges that geolocate inconsistently; corporate egress in another country.',
  sources: ['https://www.microsoft.com/en-us/security/blog/2022/07/12/from-cookie-theft-to-bec-attackers-use-aitm-phishing-sites-as-entry-point-to-further-financial-fraud/'],
  detect(activity, context) {
    const windowMs = context.settings.sessionWindowHours * 3_600_000;
    const sessions = groupBy(activity.signIns.filter((event) => event.sessionId && succeeded(event)), (event) => event.sessionId!);
    const alerts: Alert[] = [];
    for (const [sessionId, events] of sessions) {
      // Compare each window from the session's first event; a long-lived session gets one alert per window that spans networks.
      let start = 0;
      while (start < events.length) {
        const first = timeMs(events[start]!);
        let end = start;
        while (end < events.length && timeMs(events[end]!) - first <= windowMs) end++;
        const slice = events.slice(start, end);
        const countries = distinct(slice.map((event) => country(event)?.toUpperCase()));
        const asns = distinct(slice.map(asnOf));
        if (countries.length > 1 || asns.length > 1) {
          const parts = [countries.length > 1 ? `countries ${countries.join(', ')}` : '', asns.length > 1 ? `AS ${asns.join(', ')}` : ''].filter(Boolean);
          const ips = distinct(slice.map((event) => event.ipAddress));
          alerts.push(
            makeAlert('session-replay', 'high', activity, slice, `session ${sessionId} was used from ${parts.join(' and ')} (${ips.length} IP address(es)) within ${context.settings.sessionWindowHours} h`),
          );
        }
        start = end;
      }
    }
    return alerts;
  },
};
