import type { SignInEvent } from '../event.js';

/**
 * The fields of a sign-in that the scan phase of the parallel review reads. They are the user, the
 * time, the network, the beta-only fields it counts, and what decides whether any detection could
 * fire for the event on its own (see `mayAlertAlone`). Everything else is read again from the file, with
 * JSON.parse and the normaliser, for the few users whose events need the full detections.
 *
 * A reader that takes a shortcut past JSON.parse must give the same projection as JSON.parse and
 * `normaliseRecord` for every line it accepts. Tests compare the two.
 */
export interface ScanFields {
  createdDateTime: string;
  userId: string | null | undefined;
  userPrincipalName: string | null | undefined;
  ipAddress: string | null | undefined;
  autonomousSystemNumber: number | null | undefined;
  authenticationProtocol: string | null | undefined;
  originalTransferMethod: string | null | undefined;
  sessionId: string | null | undefined;
  uniqueTokenIdentifier: string | null | undefined;
  incomingTokenType: string | null | undefined;
  userAgent: string | null | undefined;
  clientAppUsed: string | null | undefined;
  riskLevelDuringSignIn: string | null | undefined;
  riskState: string | null | undefined;
  riskEventTypes_v2: string[] | undefined;
  /** `status.errorCode`; `undefined` when the event has no status object. */
  errorCode: number | null | undefined;
  /** `location.countryOrRegion`; `undefined` when the event has no location object. */
  countryOrRegion: string | null | undefined;
  latitude: number | null | undefined;
  longitude: number | null | undefined;
}

export function projectScanFields(event: SignInEvent): ScanFields {
  return {
    createdDateTime: event.createdDateTime,
    userId: event.userId,
    userPrincipalName: event.userPrincipalName,
    ipAddress: event.ipAddress,
    autonomousSystemNumber: event.autonomousSystemNumber,
    authenticationProtocol: event.authenticationProtocol,
    originalTransferMethod: event.originalTransferMethod,
    sessionId: event.sessionId,
    uniqueTokenIdentifier: event.uniqueTokenIdentifier,
    incomingTokenType: event.incomingTokenType,
    userAgent: event.userAgent,
    clientAppUsed: event.clientAppUsed,
    riskLevelDuringSignIn: event.riskLevelDuringSignIn,
    riskState: event.riskState,
    riskEventTypes_v2: event.riskEventTypes_v2,
    errorCode: event.status?.errorCode,
    countryOrRegion: event.location?.countryOrRegion,
    latitude: event.location?.geoCoordinates?.latitude,
    longitude: event.location?.geoCoordinates?.longitude,
  };
}
