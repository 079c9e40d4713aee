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
      const times = events.map(timeMs);
      const networks = events.map((event) => `${country(event)?.toUpperCase() ?? ''}|${asnOf(event) ?? ''}`);
      // Each window is anchored on a change of network between two consecutive sign-ins within the
      // window's length: it takes the sign-ins up to that length before the later one, and after the
      // first of them. Windows counted from the session's first sign-in missed a change that fell across
      // their edge. A long-lived session gets one alert per window that spans networks.
      let next = 1;
      while (next < events.length) {
        let later = next;
        while (later < events.length && (networks[later] === networks[later - 1] || times[later]! - times[later - 1]! > windowMs)) later++;
        if (later >= events.length) break;
        let start = later - 1;
        while (start > 0 && times[later]! - times[start - 1]! <= windowMs) start--;
        let end = later + 1;
        while (end < events.length && times[end]! - times[start]! <= windowMs) end++;
        const slice = events.slice(start, end);
        const countries = distinct(slice.map((event) => country(event)?.toUpperCase()));
        const asns = distinct(slice.map(asnOf));
        // A change to or from an unknown country or ASN alone is not a second network.
        if (countries.length > 1 || asns.length > 1) {
          const parts = [countries.length > 1 ? `countries ${countries.join(', ')}` : '', asns.length > 1 ? `AS ${asns.join(', ')}` : ''].filter(Boolean);
          const ips = distinct(slice.map((event) => event.ipAddress));
          alerts.push(
            makeAlert('session-replay', 'high', activity, slice, `session ${sessionId} was used from ${parts.join(' and ')} (${ips.length} IP address(es)) within ${context.settings.sessionWindowHours} h`),
          );
        }
        next = end;
      }
    }
    return alerts;
  },
};
