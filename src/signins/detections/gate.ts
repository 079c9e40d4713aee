import type { SignInEvent } from '../event.js';
import { HAS_IP, HAS_PLACE, HAS_SESSION, type CompactEvent, type Place } from '../fast/compact.js';
import { asnOf, country, isDeviceCode, succeeded } from './helpers.js';
import { LEGACY_CLIENT_APPS } from './legacy-authentication.js';
import { TOKEN_THEFT_RISK_TYPES } from './risky-sign-in.js';
import { travelReason } from './impossible-travel.js';
import type { DetectionId, DetectionSettings } from './types.js';
import { matchUserAgent } from './user-agent-markers.js';

/**
 * Lets the parallel review skip the detections for users that none of them can alert on, which on a
 * real tenant is nearly everyone. A user needs the full detections when one of these holds:
 * - one of the user's events could make a detection fire on its own (`mayAlertAlone`);
 * - two successful sign-ins differ in place (`samePlace`: country, network or coordinates), which
 *   session replay and impossible travel look for, and `mayAlertByPlace` then finds a move that
 *   either could alert on;
 * - the user is a declared break-glass account or one whose timeline was asked for.
 * Any other user gets no alert and no timeline, so only its counts enter the summary.
 */

/** Every detection, with how the gate covers it; a test checks the list against DETECTION_IDS. */
export const GATE_COVERAGE: Record<DetectionId, 'event' | 'location' | 'device code'> = {
  'device-code-sign-in': 'event',
  'device-code-first-use': 'event',
  // Both need a device-code sign-in of the user, which `mayAlertAlone` flags.
  'device-code-then-new-location': 'device code',
  'device-code-broker-device-registration': 'device code',
  'authentication-transfer': 'event',
  'session-replay': 'location',
  'impossible-travel': 'location',
  'suspicious-user-agent': 'event',
  'legacy-authentication': 'event',
  'ropc-sign-in': 'event',
  'risky-sign-in': 'event',
  'hosting-network': 'event',
  'break-glass-sign-in': 'event',
  'device-code-blocked': 'event',
};

/**
 * Returns true when a detection might name this event, judged from the event alone. It may return
 * true for an event no detection names (the detections then decide), and never returns false for
 * one they would name.
 * `reviewed` contains lower-cased ids and UPNs of break-glass accounts and of users whose timeline was asked for.
 */
export function mayAlertAlone(event: SignInEvent, reviewed: ReadonlySet<string>): boolean {
  if (isDeviceCode(event)) return true;
  const protocol = event.authenticationProtocol;
  if (protocol === 'ropc' || protocol === 'authenticationTransfer' || event.originalTransferMethod === 'authenticationTransfer') return true;
  if (event.network?.hosting) return true;
  if (event.clientAppUsed && LEGACY_CLIENT_APPS.has(event.clientAppUsed.toLowerCase())) return true;
  if (matchUserAgent(event.userAgent)) return true;
  if (event.riskLevelDuringSignIn || event.riskState || event.riskEventTypes_v2?.length) {
    const level = (event.riskLevelDuringSignIn ?? '').toLowerCase();
    if (level === 'medium' || level === 'high' || event.riskState === 'atRisk' || event.riskState === 'confirmedCompromised') return true;
    if (event.riskEventTypes_v2?.some((type) => TOKEN_THEFT_RISK_TYPES.has(type))) return true;
  }
  if (reviewed.size > 0) {
    if (event.userId && reviewed.has(event.userId.toLowerCase())) return true;
    if (event.userPrincipalName && reviewed.has(event.userPrincipalName.toLowerCase())) return true;
  }
  return false;
}

/**
 * Returns the place a successful sign-in came from, as the detections that compare events see it: country, ASN
 * and coordinates (NaN where absent). Two events from the same place can be neither a replayed
 * session nor impossible travel. Null for a failed sign-in, which those detections skip.
 */
export function placeOf(event: SignInEvent): Place | null {
  if (!succeeded(event)) return null;
  const geo = event.location?.geoCoordinates;
  return {
    country: country(event)?.toUpperCase() ?? null,
    asn: asnOf(event) ?? Number.NaN,
    latitude: typeof geo?.latitude === 'number' ? geo.latitude : Number.NaN,
    longitude: typeof geo?.longitude === 'number' ? geo.longitude : Number.NaN,
  };
}

/**
 * True when two places are the same: country, ASN and coordinates. Sign-ins that all come from one
 * place can be neither a replayed session (which needs two networks) nor impossible travel (which
 * needs two countries or two sets of coordinates). `Object.is`, so that two absent values (NaN) match.
 */
export function samePlace(a: Readonly<Place>, b: Readonly<Place>): boolean {
  return a.country === b.country && Object.is(a.asn, b.asn) && Object.is(a.latitude, b.latitude) && Object.is(a.longitude, b.longitude);
}

/**
 * Returns a 32-bit hash of the session id (FNV-1a), or null without one. Sign-ins of one session share the
 * hash; two sessions may share one too, which can only send a user to the detections needlessly.
 */
export function sessionHash(event: SignInEvent): number | null {
  const id = event.sessionId;
  if (!id) return null;
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** True when two places are the same network for session replay: country and ASN. */
function sameNetwork(a: Readonly<Place>, b: Readonly<Place>): boolean {
  return a.country === b.country && Object.is(a.asn, b.asn);
}

/**
 * Returns true when session replay or impossible travel might alert on a user whose sign-ins could
 * not alert alone, judged from their event records. It may return true when neither alerts, and
 * never returns false when one would; the caller then reads the user's lines again and runs them.
 * So users who move between offices, whose places differ, cost no second read unless
 * their moves could alert.
 */
export function mayAlertByPlace(records: readonly CompactEvent[], settings: DetectionSettings): boolean {
  const successes = records.filter((record) => (record.flags & HAS_PLACE) !== 0).sort((a, b) => a.time - b.time);

  // Session replay alerts only on two sign-ins of one session within its window from two networks.
  // If two such sign-ins exist, so do two consecutive ones, no further apart. Sessions whose hashes
  // collide only add pairs.
  const windowMs = settings.sessionWindowHours * 3_600_000;
  const lastOfSession = new Map<number, CompactEvent>();
  for (const record of successes) {
    if ((record.flags & HAS_SESSION) === 0) continue;
    const last = lastOfSession.get(record.session);
    if (last && record.time - last.time <= windowMs && !sameNetwork(last, record)) return true;
    lastOfSession.set(record.session, record);
  }

  // Impossible travel compares consecutive successful sign-ins with an address, in time order, with
  // the detection's own test. Two at the same millisecond might be taken in another order, and every
  // address and network counts as distinct, not hosting, which can only add alerts.
  const travelled = successes.filter((record) => (record.flags & HAS_IP) !== 0);
  for (let index = 1; index < travelled.length; index++) {
    const [before, after] = [travelled[index - 1]!, travelled[index]!];
    if (before.time === after.time || travelReason(before, after, settings) !== null) return true;
  }
  return false;
}
