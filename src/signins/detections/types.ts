import type { Severity } from '../../checks/types.js';
import type { AuditEvent, SignInEvent } from '../event.js';

export const DETECTION_IDS = [
  'device-code-sign-in',
  'device-code-first-use',
  'device-code-then-new-location',
  'device-code-broker-device-registration',
  'authentication-transfer',
  'session-replay',
  'impossible-travel',
  'suspicious-user-agent',
  'legacy-authentication',
  'ropc-sign-in',
  'risky-sign-in',
  'hosting-network',
  'break-glass-sign-in',
  'device-code-blocked',
] as const;
export type DetectionId = (typeof DETECTION_IDS)[number];

/** One sign-in named in an alert: enough for a technician to find it in the portal or the file. */
export interface EvidenceEvent {
  id: string;
  time: string;
  ip: string | null;
  country: string | null;
  asn: number | null;
  app: string | null;
  appId: string | null;
  protocol: string | null;
  result: number | null;
  sessionId?: string | null;
  userAgent?: string | null;
  source?: SignInEvent['source'];
}

export interface EvidenceAudit {
  id: string;
  time: string;
  activity: string;
  initiatedFromIp: string | null;
}

export interface Alert {
  detection: DetectionId;
  severity: Severity;
  /** userPrincipalName, or the user id when the log has no UPN. */
  user: string;
  userId: string | null;
  /** Time of the first evidence event, ISO 8601. */
  time: string;
  /** Up to `MAX_EVIDENCE` events; `eventCount` is the full number. */
  events: EvidenceEvent[];
  eventCount: number;
  audits?: EvidenceAudit[];
  reason: string;
}

/** All events of one user, sorted by time then id, so detections do not depend on input order. */
export interface UserActivity {
  key: string;
  user: string;
  userId: string | null;
  signIns: SignInEvent[];
  audits: AuditEvent[];
}

/** Thresholds; defaults are documented on each detection and in docs/signins.md. */
export interface DetectionSettings {
  /** Days without a device-code sign-in before one counts as a user's first use (default 14). */
  deviceCodeFirstUseLookbackDays: number;
  /** Minutes around a device-code sign-in in which use from another country or ASN alerts (default 20). */
  deviceCodeNewLocationMinutes: number;
  /** Minutes after a broker device-code sign-in in which a device registration alerts (default 60). */
  brokerRegistrationMinutes: number;
  /** Hours one session id is followed across countries and ASNs (default 24). */
  sessionWindowHours: number;
  /** Speed above which travel between two sign-ins is impossible, km/h (default 1000). */
  impossibleTravelKmh: number;
  /** Minimum distance for the speed rule, km, to ignore geolocation noise (default 500). */
  impossibleTravelMinKm: number;
  /** Minutes within which two countries without coordinates count as impossible travel (default 10). */
  countryChangeMinutes: number;
}

export const DEFAULT_SETTINGS: DetectionSettings = {
  deviceCodeFirstUseLookbackDays: 14,
  deviceCodeNewLocationMinutes: 20,
  brokerRegistrationMinutes: 60,
  sessionWindowHours: 24,
  impossibleTravelKmh: 1000,
  impossibleTravelMinKm: 500,
  countryChangeMinutes: 10,
};

export interface DetectionContext {
  settings: DetectionSettings;
  /** Lower-cased object ids and UPNs of declared emergency-access accounts. */
  breakGlass: ReadonlySet<string>;
}

/** A detection: metadata beside its logic, like a check. */
export interface Detection {
  id: DetectionId;
  title: string;
  severity: Severity;
  /** Trigger condition, in one or two sentences. */
  description: string;
  /** SignInEvent properties it reads; a log without them cannot show this detection's alerts. */
  fields: readonly (keyof SignInEvent)[];
  falsePositives: string;
  /** Public rules and Microsoft documents the logic follows. */
  sources: string[];
  detect(activity: UserActivity, context: DetectionContext): Alert[];
}

export const MAX_EVIDENCE = 20;
