import type { Severity } from '../../checks/types.js';
import type { SignInEvent } from '../event.js';
import { isoMs } from '../normalise.js';
import type { Alert, DetectionId, EvidenceEvent, UserActivity } from './types.js';
import { MAX_EVIDENCE } from './types.js';

/** Microsoft Authentication Broker, the client Storm-2372 switched to for device-code phishing. */
export const AUTHENTICATION_BROKER_APP_ID = '29d9ed98-a469-4536-ade2-f981bc1d605e';

/** Exchange Online, SharePoint Online and Microsoft Graph: the resources a phished token is used for. */
export const MAIL_AND_FILES_RESOURCES = new Set([
  '00000002-0000-0ff1-ce00-000000000000',
  '00000003-0000-0ff1-ce00-000000000000',
  '00000003-0000-0000-c000-000000000000',
]);

/**
 * Returns true for a successful sign-in.
 * NOTE: a record without a status or result code counts as successful, so detections that need a
 * success may alert on a failed sign-in in a log that lacks both fields.
 */
export function succeeded(event: SignInEvent): boolean {
  const code = event.status?.errorCode;
  return code === undefined || code === null || code === 0;
}

/** Returns true for the device code grant itself, or any later request of a session that began with it (protocol tracking). */
export function isDeviceCode(event: SignInEvent): boolean {
  return event.authenticationProtocol === 'deviceCode' || event.originalTransferMethod === 'deviceCodeFlow';
}

export function timeMs(event: { createdDateTime: string }): number {
  return isoMs(event.createdDateTime);
}

export function country(event: SignInEvent): string | null {
  return event.network?.country ?? event.location?.countryOrRegion ?? null;
}

export function asnOf(event: SignInEvent): number | null {
  return event.network?.asn ?? event.autonomousSystemNumber ?? null;
}

export function evidence(event: SignInEvent): EvidenceEvent {
  return {
    id: event.id,
    time: event.createdDateTime,
    ip: event.ipAddress ?? null,
    country: country(event),
    asn: asnOf(event),
    app: event.appDisplayName ?? event.appId ?? null,
    appId: event.appId ?? null,
    protocol: event.authenticationProtocol ?? null,
    result: event.status?.errorCode ?? null,
    ...(event.sessionId ? { sessionId: event.sessionId } : {}),
    ...(event.userAgent ? { userAgent: event.userAgent } : {}),
    ...(event.source ? { source: event.source } : {}),
  };
}

export function makeAlert(
  detection: DetectionId,
  severity: Severity,
  activity: UserActivity,
  events: SignInEvent[],
  reason: string,
): Alert {
  return {
    detection,
    severity,
    user: activity.user,
    userId: activity.userId,
    time: events[0]?.createdDateTime ?? '',
    events: events.slice(0, MAX_EVIDENCE).map(evidence),
    eventCount: events.length,
    reason,
  };
}

/** Groups items by a key, keeping first-seen order of keys. */
export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function distinct<T>(values: (T | null | undefined)[]): T[] {
  return [...new Set(values.filter((value): value is T => value !== null && value !== undefined))];
}
