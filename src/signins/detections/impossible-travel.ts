import type { SignInEvent } from '../event.js';
import { country, makeAlert, succeeded, timeMs } from './helpers.js';
import type { Alert, Detection, DetectionSettings } from './types.js';
import { plural } from '../../report/text.js';

const EARTH_RADIUS_KM = 6371;

/** The parts of a successful sign-in that impossible travel compares; NaN where a number is absent. */
export interface TravelPoint {
  time: number;
  latitude: number;
  longitude: number;
  country: string | null;
}

function travelPoint(event: SignInEvent): TravelPoint {
  const geo = event.location?.geoCoordinates;
  const located = typeof geo?.latitude === 'number' && typeof geo.longitude === 'number';
  return { time: timeMs(event), latitude: located ? geo.latitude! : Number.NaN, longitude: located ? geo.longitude! : Number.NaN, country: country(event) };
}

/** True when a point has both coordinates. */
function located(point: TravelPoint): boolean {
  return !Number.isNaN(point.latitude) && !Number.isNaN(point.longitude);
}

/**
 * Returns why two successive successful sign-ins from different addresses are impossible travel, or
 * null when they are not. The parallel review's place screen calls it on records, so the two agree.
 */
export function travelReason(before: TravelPoint, after: TravelPoint, settings: DetectionSettings): string | null {
  const hours = Math.max(after.time - before.time, 1) / 3_600_000;
  const [countryA, countryB] = [before.country, after.country];
  if (located(before) && located(after)) {
    const km = distanceKm({ lat: before.latitude, lon: before.longitude }, { lat: after.latitude, lon: after.longitude });
    const speed = km / hours;
    if (km >= settings.impossibleTravelMinKm && speed > settings.impossibleTravelKmh) {
      return `${Math.round(km)} km in ${plural(Math.round(hours * 60), 'minute')} (${Math.round(speed)} km/h) between ${countryA ?? '?'} and ${countryB ?? '?'}`;
    }
  } else if (countryA && countryB && countryA.toUpperCase() !== countryB.toUpperCase() && hours * 60 <= settings.countryChangeMinutes) {
    return `sign-ins from ${countryA} and ${countryB} ${plural(Math.round(hours * 60), 'minute')} apart`;
  }
  return null;
}

/** Great-circle distance (haversine). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Successive successful sign-ins of one user that no traveller could make. With coordinates on both
 * events, the speed between them decides; without, two countries within minutes decide, as in the
 * Sentinel "login IP teleportation" hunting query. Pairs where either side is a hosting or VPS network
 * are left to the hosting-network detection, because VPN exits make every such pair look impossible.
 */
export const impossibleTravel: Detection = {
  id: 'impossible-travel',
  title: 'Impossible travel between sign-ins',
  severity: 'medium',
  description:
    'Two successive successful sign-ins of one user are further apart than the speed limit allows (default 1000 km/h over at least 500 km, from the log coordinates). ' +
    'Without coordinates, it alerts when they come from two countries within the country-change window (default 10 minutes).',
  fields: ['ipAddress', 'location', 'status'],
  falsePositives: 'VPN roaming and corporate egress changes; IP geolocation errors.',
  sources: [
    'Azure/Azure-Sentinel Hunting Queries/SigninLogs/UserLoginIPAddressTeleportation.yaml',
    'https://learn.microsoft.com/entra/id-protection/concept-identity-protection-risks',
  ],
  detect(activity, context) {
    const events = activity.signIns.filter((event) => succeeded(event) && event.ipAddress);
    const alerts: Alert[] = [];
    for (let i = 1; i < events.length; i++) {
      const [before, after] = [events[i - 1]!, events[i]!];
      if (before.ipAddress === after.ipAddress || before.network?.hosting || after.network?.hosting) continue;
      const reason = travelReason(travelPoint(before), travelPoint(after), context.settings);
      if (reason) alerts.push(makeAlert('impossible-travel', 'medium', activity, [before, after], reason));
    }
    return alerts;
  },
};
