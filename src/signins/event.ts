/**
 * One sign-in, normalised from any log format to Graph's beta `signIn` property names.
 * Fields a format does not carry are `undefined`, which is not the same as `null` or empty.
 * Readers record which of the token-theft fields a source lacks, so the review can report them.
 */
export interface SignInEvent {
  id: string;
  createdDateTime: string;
  userId?: string | null;
  userPrincipalName?: string | null;
  userDisplayName?: string | null;
  userType?: string | null;
  appId?: string | null;
  appDisplayName?: string | null;
  resourceId?: string | null;
  resourceDisplayName?: string | null;
  ipAddress?: string | null;
  clientAppUsed?: string | null;
  userAgent?: string | null;
  isInteractive?: boolean | null;
  signInEventTypes?: string[];
  /** Beta: `deviceCode`, `ropc`, `oAuth2`, `wsFederation`, `saml20`, `none`, ... */
  authenticationProtocol?: string | null;
  /** Beta: `deviceCodeFlow`, `authenticationTransfer` or `none`, kept on refreshes of such a session. */
  originalTransferMethod?: string | null;
  incomingTokenType?: string | null;
  sessionId?: string | null;
  uniqueTokenIdentifier?: string | null;
  correlationId?: string | null;
  autonomousSystemNumber?: number | null;
  authenticationRequirement?: string | null;
  conditionalAccessStatus?: string | null;
  status?: { errorCode?: number | null; failureReason?: string | null; additionalDetails?: string | null };
  location?: {
    city?: string | null;
    state?: string | null;
    countryOrRegion?: string | null;
    geoCoordinates?: { latitude?: number | null; longitude?: number | null } | null;
  } | null;
  deviceDetail?: {
    deviceId?: string | null;
    displayName?: string | null;
    operatingSystem?: string | null;
    browser?: string | null;
    isCompliant?: boolean | null;
    isManaged?: boolean | null;
    trustType?: string | null;
  } | null;
  riskLevelDuringSignIn?: string | null;
  riskLevelAggregated?: string | null;
  riskState?: string | null;
  riskDetail?: string | null;
  riskEventTypes_v2?: string[];
  appliedConditionalAccessPolicies?: {
    id?: string | null;
    displayName?: string | null;
    result?: string | null;
    enforcedGrantControls?: string[];
  }[];
  authenticationDetails?: { authenticationMethod?: string | null; succeeded?: boolean | null }[];
  /** Origin of the event, for evidence: file and line or record index. */
  source?: { file: string; line?: number; record?: number };
  /** Offline IP enrichment, added by the sign-in review; the log's own values stay in `location` and `autonomousSystemNumber`. */
  network?: NetworkFacts;
}

/** Country and network of an event's IP, from the log where it carries them, else from the offline database. */
export interface NetworkFacts {
  /** ISO 3166 alpha-2 country code. */
  country?: string | null;
  asn?: number | null;
  asnName?: string | null;
  /** True when the ASN is on the hosting and VPS provider list. */
  hosting?: boolean;
  /** Fields where the log's value and the offline database disagree, e.g. `country: log US, database DE`. */
  disagreements?: string[];
}

/** One directory audit event (Graph `directoryAudit` or Sentinel `AuditLogs`), reduced to what the detections read. */
export interface AuditEvent {
  id: string;
  activityDateTime: string;
  activityDisplayName: string;
  category?: string | null;
  loggedByService?: string | null;
  result?: string | null;
  correlationId?: string | null;
  initiatedBy?: { userId?: string | null; userPrincipalName?: string | null; ipAddress?: string | null; appDisplayName?: string | null };
  targets: { id?: string | null; displayName?: string | null; type?: string | null; userPrincipalName?: string | null }[];
  /** Category of the event for the detections. Events they do not read are `other`. */
  kind: AuditKind;
  source?: { file: string; line?: number; record?: number };
}

export type AuditKind = 'deviceRegistration' | 'mfaRegistration' | 'consent' | 'other';

/** Token-theft fields only Graph's beta signIn (and newer Sentinel rows) carry. */
export const BETA_ONLY_FIELDS = [
  'authenticationProtocol',
  'originalTransferMethod',
  'sessionId',
  'uniqueTokenIdentifier',
  'incomingTokenType',
  'autonomousSystemNumber',
] as const satisfies readonly (keyof SignInEvent)[];
