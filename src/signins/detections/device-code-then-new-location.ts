import type { SignInEvent } from '../event.js';
import { asnOf, country, makeAlert, succeeded, timeMs } from './helpers.js';
import type { Alert, Detection } from './types.js';
import { plural } from '../../report/text.js';

/** Describes how an event's network differs from the device-code sign-in's, or returns null when it does not. */
function difference(base: SignInEvent, other: SignInEvent): string | null {
  const parts: string[] = [];
  const [countryA, countryB] = [country(base), country(other)];
  if (countryA && countryB && countryA.toUpperCase() !== countryB.toUpperCase()) parts.push(`country ${countryA} -> ${countryB}`);
  const [asnA, asnB] = [asnOf(base), asnOf(other)];
  if (asnA !== null && asnB !== null && asnA !== asnB) parts.push(`AS${asnA} -> AS${asnB}`);
  if (parts.length === 0 && other.network?.hosting && !base.network?.hosting) parts.push(`hosting network AS${asnB}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** Returns what `difference` compares, as one key: two events with the same key cannot differ. */
function networkKey(event: SignInEvent): string {
  return `${country(event)?.toUpperCase() ?? ''}|${asnOf(event) ?? ''}|${event.network?.hosting ? 1 : 0}`;
}

/** Index of the first time after `time` in an ascending list. */
function firstAfter(times: number[], time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (times[middle]! > time) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * Detection of a device-code sign-in followed by use from another country or ASN. The use is by the
 * same user within minutes, or in the same session at any later time. It catches the victim entering
 * the code at home while the attacker's poller redeems it elsewhere, or a phished session refreshed
 * from the attacker's network.
 */
export const deviceCodeThenNewLocation: Detection = {
  id: 'device-code-then-new-location',
  title: 'Device code sign-in with use from another network',
  severity: 'high',
  description:
    'Another successful sign-in of the same user within the window around a device-code sign-in (default 20 minutes), or a later sign-in in the same session, ' +
    'came from another country or autonomous system (or from a hosting network). IP changes inside one country and ASN do not alert.',
  fields: ['authenticationProtocol', 'sessionId', 'ipAddress', 'autonomousSystemNumber', 'location', 'status'],
  falsePositives: 'Users on a VPN or split tunnel; a phone on a mobile network next to a laptop on the office line.',
  sources: [
    'https://www.microsoft.com/en-us/security/blog/2026/04/06/ai-enabled-device-code-phishing-campaign-april-2026/',
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows',
  ],
  detect(activity, context) {
    const windowMs = context.settings.deviceCodeNewLocationMinutes * 60_000;
    const events = activity.signIns.filter(succeeded);
    // Most users never sign in with a device code, and need no index of their sessions.
    if (!events.some((event) => event.authenticationProtocol === 'deviceCode')) return [];
    const times = events.map(timeMs);
    // Each session's events by network, in time order. Events on the device-code sign-in's own
    // network cannot differ from it, so a long session on one network costs nothing per sign-in.
    const bySession = new Map<string, Map<string, { indexes: number[]; times: number[] }>>();
    events.forEach((event, index) => {
      if (!event.sessionId) return;
      const networks = bySession.get(event.sessionId) ?? new Map<string, { indexes: number[]; times: number[] }>();
      bySession.set(event.sessionId, networks);
      const group = networks.get(networkKey(event)) ?? { indexes: [], times: [] };
      networks.set(networkKey(event), group);
      group.indexes.push(index);
      group.times.push(times[index]!);
    });
    const alerts: Alert[] = [];
    events.forEach((base, index) => {
      if (base.authenticationProtocol !== 'deviceCode') return;
      const time = times[index]!;
      const related = new Map<string, { event: SignInEvent; why: string }>();
      const consider = (other: SignInEvent, how: string): void => {
        if (other === base || related.has(other.id)) return;
        const why = difference(base, other);
        if (why) related.set(other.id, { event: other, why: `${how}: ${why}` });
      };
      for (let i = index - 1; i >= 0 && time - times[i]! <= windowMs; i--) consider(events[i]!, 'same user');
      for (let i = index + 1; i < events.length && times[i]! - time <= windowMs; i++) consider(events[i]!, 'same user');
      // Later sign-ins of the session on other networks, in time order as the evidence lists them.
      const baseNetwork = networkKey(base);
      const later: number[] = [];
      for (const [network, group] of bySession.get(base.sessionId ?? '') ?? []) {
        if (network !== baseNetwork) later.push(...group.indexes.slice(firstAfter(group.times, time)));
      }
      for (const other of later.sort((a, b) => a - b)) consider(events[other]!, 'same session');
      if (related.size === 0) return;
      const found = [...related.values()];
      alerts.push(
        makeAlert(
          'device-code-then-new-location',
          'high',
          activity,
          [base, ...found.map((entry) => entry.event)],
          `device-code sign-in from ${base.ipAddress ?? 'an unknown IP'} followed by ${plural(found.length, 'sign-in')} from another network (${found[0]!.why})`,
        ),
      );
    });
    return alerts;
  },
};
