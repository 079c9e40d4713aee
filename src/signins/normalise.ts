import { InputError, type InputLocation } from '../errors.js';
import type { AuditEvent, AuditKind, SignInEvent } from './event.js';

/**
 * Normalisation of one log record, whatever its source, to Graph's beta property names.
 * Sources: Graph `signIn` and `directoryAudit` (camelCase), Log Analytics / Sentinel rows of
 * SigninLogs, AADNonInteractiveUserSignInLogs and AuditLogs (PascalCase, nested columns as objects
 * or JSON strings), and Azure Monitor diagnostic-settings records (`{ time, category, properties }`).
 */

export type NormalisedRecord =
  | { kind: 'signIn'; event: SignInEvent }
  | { kind: 'audit'; event: AuditEvent }
  /** A record that is valid but not a user sign-in or audit event, e.g. a service principal sign-in. */
  | { kind: 'ignored'; reason: string };

type Row = Record<string, unknown>;

const BAD_RECORD_FIX = 'fix or remove the record, or run again with --skip-bad-records to count and skip such records';

/** Thrown for a record that cannot be read; the reader adds file and line. */
export class BadRecordError extends Error {
  constructor(
    readonly problem: string,
    readonly expected: string,
  ) {
    super(problem);
  }

  toInputError(location: InputLocation): InputError {
    return new InputError(location, this.problem, this.expected, BAD_RECORD_FIX);
  }
}

const SIGN_IN_CATEGORIES = new Set(['SignInLogs', 'NonInteractiveUserSignInLogs']);
const SKIPPED_SIGN_IN_CATEGORIES = new Set(['ServicePrincipalSignInLogs', 'ManagedIdentitySignInLogs']);
const SKIPPED_TABLES = new Set(['AADServicePrincipalSignInLogs', 'AADManagedIdentitySignInLogs']);

/**
 * Keys that `normaliseRecord` recognises a record by. A CSV whose header has none of them is not a
 * sign-in or audit export (an error page, another table), whatever its rows hold.
 */
export const RECORD_KIND_KEYS = ['createdDateTime', 'CreatedDateTime', 'activityDateTime', 'ActivityDisplayName', 'UserPrincipalName', 'Type', 'category'] as const;

/** Normalises one parsed record. Throws BadRecordError when the record is not a known shape. */
export function normaliseRecord(value: unknown): NormalisedRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRecordError('the record is not a JSON object', 'one sign-in or audit event per record');
  }
  const row = value as Row;

  if (isObject(row.properties) && typeof row.category === 'string') return fromDiagnosticRecord(row);
  if ('createdDateTime' in row) return { kind: 'signIn', event: fromGraphSignIn(row) };
  if ('activityDateTime' in row && 'activityDisplayName' in row) return { kind: 'audit', event: fromGraphAudit(row, undefined) };

  const table = typeof row.Type === 'string' ? row.Type : undefined;
  if (table && SKIPPED_TABLES.has(table)) return { kind: 'ignored', reason: `${table} row (not a user sign-in)` };
  if (table === 'AuditLogs' || ('ActivityDisplayName' in row && 'TargetResources' in row)) {
    return { kind: 'audit', event: fromSentinelAudit(row) };
  }
  if ('UserPrincipalName' in row || 'CreatedDateTime' in row || table === 'SigninLogs' || table === 'AADNonInteractiveUserSignInLogs') {
    return { kind: 'signIn', event: fromSentinelSignIn(row) };
  }
  throw new BadRecordError(
    'the record is neither a sign-in nor an audit event (no createdDateTime, CreatedDateTime, activityDateTime or category/properties)',
    'a Graph signIn or directoryAudit, a Sentinel SigninLogs, AADNonInteractiveUserSignInLogs or AuditLogs row, or a diagnostic-settings record',
  );
}

function fromDiagnosticRecord(row: Row): NormalisedRecord {
  const category = row.category as string;
  const properties = row.properties as Row;
  if (category === 'AuditLogs') {
    const audit = fromGraphAudit(properties, row);
    return { kind: 'audit', event: audit };
  }
  if (SKIPPED_SIGN_IN_CATEGORIES.has(category)) return { kind: 'ignored', reason: `${category} record (not a user sign-in)` };
  if (!SIGN_IN_CATEGORIES.has(category)) return { kind: 'ignored', reason: `${category} record` };

  // The envelope repeats some fields at its own level; the properties win where both exist.
  const merged: Row = { ...properties };
  if (merged.createdDateTime === undefined) merged.createdDateTime = row.time;
  if (merged.ipAddress === undefined && row.callerIpAddress !== undefined) merged.ipAddress = row.callerIpAddress;
  if (merged.correlationId === undefined && row.correlationId !== undefined) merged.correlationId = row.correlationId;
  if (merged.id === undefined) merged.id = properties.id ?? row.correlationId;
  if (merged.status === undefined && row.resultType !== undefined) {
    merged.status = { errorCode: resultCode(row.resultType), failureReason: text(row.resultDescription) };
  }
  if (merged.isInteractive === undefined) merged.isInteractive = category === 'SignInLogs';
  return { kind: 'signIn', event: fromGraphSignIn(merged) };
}

/** Graph's sign-in as it is, with types checked and unknown properties dropped. */
export function fromGraphSignIn(row: Row): SignInEvent {
  const createdDateTime = isoTime(row.createdDateTime, 'createdDateTime');
  const event: SignInEvent = {
    id: text(row.id) || `${createdDateTime}/${text(row.correlationId) ?? ''}`,
    createdDateTime,
  };
  // Each field by name rather than in a loop over GRAPH_STRING_FIELDS: named property reads compile to
  // fast loads, and the event gets its properties in one order. The loop cost about a fifth of the
  // normaliser's time. A test checks that the list and these lines agree.
  if ('userId' in row) event.userId = text(row.userId);
  if ('userPrincipalName' in row) event.userPrincipalName = text(row.userPrincipalName);
  if ('userDisplayName' in row) event.userDisplayName = text(row.userDisplayName);
  if ('userType' in row) event.userType = text(row.userType);
  if ('appId' in row) event.appId = text(row.appId);
  if ('appDisplayName' in row) event.appDisplayName = text(row.appDisplayName);
  if ('resourceId' in row) event.resourceId = text(row.resourceId);
  if ('resourceDisplayName' in row) event.resourceDisplayName = text(row.resourceDisplayName);
  if ('ipAddress' in row) event.ipAddress = text(row.ipAddress);
  if ('clientAppUsed' in row) event.clientAppUsed = text(row.clientAppUsed);
  if ('userAgent' in row) event.userAgent = text(row.userAgent);
  if ('authenticationProtocol' in row) event.authenticationProtocol = text(row.authenticationProtocol);
  if ('originalTransferMethod' in row) event.originalTransferMethod = text(row.originalTransferMethod);
  if ('incomingTokenType' in row) event.incomingTokenType = text(row.incomingTokenType);
  if ('sessionId' in row) event.sessionId = text(row.sessionId);
  if ('uniqueTokenIdentifier' in row) event.uniqueTokenIdentifier = text(row.uniqueTokenIdentifier);
  if ('correlationId' in row) event.correlationId = text(row.correlationId);
  if ('authenticationRequirement' in row) event.authenticationRequirement = text(row.authenticationRequirement);
  if ('conditionalAccessStatus' in row) event.conditionalAccessStatus = text(row.conditionalAccessStatus);
  if ('riskLevelDuringSignIn' in row) event.riskLevelDuringSignIn = text(row.riskLevelDuringSignIn);
  if ('riskLevelAggregated' in row) event.riskLevelAggregated = text(row.riskLevelAggregated);
  if ('riskState' in row) event.riskState = text(row.riskState);
  if ('riskDetail' in row) event.riskDetail = text(row.riskDetail);
  if (event.userPrincipalName) event.userPrincipalName = event.userPrincipalName.toLowerCase();
  if ('isInteractive' in row) event.isInteractive = bool(row.isInteractive);
  if (Array.isArray(row.signInEventTypes)) event.signInEventTypes = row.signInEventTypes.map(itemText);
  if ('autonomousSystemNumber' in row) event.autonomousSystemNumber = asn(row.autonomousSystemNumber);
  if (isObject(row.status)) {
    event.status = {
      errorCode: row.status.errorCode === undefined || row.status.errorCode === null ? null : resultCode(row.status.errorCode),
      failureReason: text(row.status.failureReason),
      additionalDetails: text(row.status.additionalDetails),
    };
  }
  if (isObject(row.location)) event.location = location(row.location);
  if (isObject(row.deviceDetail)) event.deviceDetail = deviceDetail(row.deviceDetail);
  const riskTypes = row.riskEventTypes_v2 ?? row.riskEventTypes;
  if (Array.isArray(riskTypes)) event.riskEventTypes_v2 = riskTypes.map(itemText);
  if (Array.isArray(row.appliedConditionalAccessPolicies)) event.appliedConditionalAccessPolicies = policies(row.appliedConditionalAccessPolicies);
  if (Array.isArray(row.authenticationDetails)) event.authenticationDetails = authDetails(row.authenticationDetails);
  return event;
}

/** Graph's string properties of a sign-in that the event keeps. */
export const GRAPH_STRING_FIELDS = [
  'userId',
  'userPrincipalName',
  'userDisplayName',
  'userType',
  'appId',
  'appDisplayName',
  'resourceId',
  'resourceDisplayName',
  'ipAddress',
  'clientAppUsed',
  'userAgent',
  'authenticationProtocol',
  'originalTransferMethod',
  'incomingTokenType',
  'sessionId',
  'uniqueTokenIdentifier',
  'correlationId',
  'authenticationRequirement',
  'conditionalAccessStatus',
  'riskLevelDuringSignIn',
  'riskLevelAggregated',
  'riskState',
  'riskDetail',
] as const;

/**
 * Sentinel column for each Graph property, where the name is not simply the PascalCase form.
 * In SigninLogs, `ResourceIdentity` contains the target resource's app id. `ResourceId` there is
 * the Azure path of the log source (`/tenants/<id>/providers/Microsoft.aadiam`), so it is read
 * only when it is a GUID.
 */
const SENTINEL_NAMES: Partial<Record<(typeof GRAPH_STRING_FIELDS)[number], string[]>> = {
  ipAddress: ['IPAddress'],
  resourceId: ['ResourceIdentity', 'ResourceId'],
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Converts a SigninLogs or AADNonInteractiveUserSignInLogs row (JSON or CSV export) to Graph's names. */
export function fromSentinelSignIn(row: Row): SignInEvent {
  const time = row.CreatedDateTime ?? row.TimeGenerated;
  const createdDateTime = isoTime(time, 'CreatedDateTime');
  const event: SignInEvent = {
    id: text(row.Id) || text(row.OriginalRequestId) || `${createdDateTime}/${text(row.CorrelationId) ?? ''}`,
    createdDateTime,
  };
  for (const field of GRAPH_STRING_FIELDS) {
    const names = SENTINEL_NAMES[field] ?? [field[0]!.toUpperCase() + field.slice(1)];
    for (const name of names) {
      if (!(name in row)) continue;
      const value = text(row[name]);
      if (field === 'resourceId' && value && !GUID.test(value)) continue;
      event[field] = value;
      break;
    }
  }
  if (event.userPrincipalName) event.userPrincipalName = event.userPrincipalName.toLowerCase();
  if (row.Type === 'AADNonInteractiveUserSignInLogs' || row.Category === 'NonInteractiveUserSignInLogs') event.isInteractive = false;
  else if ('IsInteractive' in row) event.isInteractive = bool(row.IsInteractive);
  else if (row.Type === 'SigninLogs' || row.Category === 'SignInLogs') event.isInteractive = true;
  if ('AutonomousSystemNumber' in row) event.autonomousSystemNumber = asn(row.AutonomousSystemNumber);

  const status = jsonColumn(row, 'Status');
  const resultType = row.ResultType;
  if (status !== undefined || resultType !== undefined) {
    const statusRow = isObject(status) ? status : {};
    const code = statusRow.errorCode ?? resultType;
    event.status = {
      errorCode: code === undefined || code === null || code === '' ? null : resultCode(code),
      failureReason: text(statusRow.failureReason ?? row.ResultDescription),
      additionalDetails: text(statusRow.additionalDetails),
    };
  }
  const locationDetails = jsonColumn(row, 'LocationDetails');
  if (isObject(locationDetails)) event.location = location(locationDetails);
  if (typeof row.Location === 'string' && row.Location !== '') {
    event.location = { ...(event.location ?? {}), countryOrRegion: event.location?.countryOrRegion || row.Location };
  }
  const device = jsonColumn(row, 'DeviceDetail');
  if (isObject(device)) event.deviceDetail = deviceDetail(device);
  const risk = jsonColumn(row, 'RiskEventTypes_V2') ?? jsonColumn(row, 'RiskEventTypes');
  if (Array.isArray(risk)) event.riskEventTypes_v2 = risk.map(itemText);
  const ca = jsonColumn(row, 'ConditionalAccessPolicies');
  if (Array.isArray(ca)) event.appliedConditionalAccessPolicies = policies(ca);
  const auth = jsonColumn(row, 'AuthenticationDetails');
  if (Array.isArray(auth)) event.authenticationDetails = authDetails(auth);
  return event;
}

function fromGraphAudit(row: Row, envelope: Row | undefined): AuditEvent {
  const time = row.activityDateTime ?? envelope?.time;
  const initiated = isObject(row.initiatedBy) ? row.initiatedBy : {};
  const targets = Array.isArray(row.targetResources) ? row.targetResources : [];
  return buildAudit({
    id: text(row.id) ?? text(envelope?.correlationId) ?? '',
    time,
    activity: text(row.activityDisplayName) ?? text(row.operationName) ?? text(envelope?.operationName) ?? '',
    category: text(row.category),
    loggedByService: text(row.loggedByService),
    result: text(row.result),
    correlationId: text(row.correlationId) ?? text(envelope?.correlationId),
    initiated,
    targets,
  });
}

function fromSentinelAudit(row: Row): AuditEvent {
  const initiated = jsonColumn(row, 'InitiatedBy');
  const targets = jsonColumn(row, 'TargetResources');
  return buildAudit({
    id: text(row.Id) ?? '',
    time: row.ActivityDateTime ?? row.TimeGenerated,
    activity: text(row.ActivityDisplayName) ?? text(row.OperationName) ?? '',
    category: text(row.Category),
    loggedByService: text(row.LoggedByService),
    result: text(row.Result),
    correlationId: text(row.CorrelationId),
    initiated: isObject(initiated) ? initiated : {},
    targets: Array.isArray(targets) ? targets : [],
  });
}

function buildAudit(parts: {
  id: string;
  time: unknown;
  activity: string;
  category: string | null;
  loggedByService: string | null;
  result: string | null;
  correlationId: string | null;
  initiated: Row;
  targets: unknown[];
}): AuditEvent {
  const user = isObject(parts.initiated.user) ? parts.initiated.user : {};
  const app = isObject(parts.initiated.app) ? parts.initiated.app : {};
  const activityDateTime = isoTime(parts.time, 'activityDateTime');
  return {
    id: parts.id || `${activityDateTime}/${parts.correlationId ?? ''}`,
    activityDateTime,
    activityDisplayName: parts.activity,
    category: parts.category,
    loggedByService: parts.loggedByService,
    result: parts.result,
    correlationId: parts.correlationId,
    initiatedBy: {
      userId: text(user.id),
      userPrincipalName: text(user.userPrincipalName)?.toLowerCase() ?? null,
      ipAddress: text(user.ipAddress),
      appDisplayName: text(app.displayName),
    },
    targets: parts.targets.filter(isObject).map((target) => ({
      id: text(target.id),
      displayName: text(target.displayName),
      type: text(target.type),
      userPrincipalName: text(target.userPrincipalName)?.toLowerCase() ?? null,
    })),
    kind: auditKind(parts.activity, parts.category),
  };
}

/**
 * Audit activities the detections use. Names as Entra writes them in `activityDisplayName`:
 * device registration ("Register device", "Add device", "Add registered owner to device"),
 * security-info registration (logged by Authentication Methods) and application consent.
 * NOTE: the device-registration names are the commonly published ones and were not checked
 * against a live tenant's audit log.
 */
export function auditKind(activity: string, category: string | null): AuditKind {
  const name = activity.trim().toLowerCase();
  if (name === 'register device' || name === 'add device' || name === 'add registered owner to device' || name === 'add registered users to device') {
    return 'deviceRegistration';
  }
  if (name.includes('registered security info') || name.includes('security info') || name === 'update user' && category === 'MFA') {
    return 'mfaRegistration';
  }
  if (name.startsWith('consent to application') || name === 'add delegated permission grant' || name === 'add oauth2permissiongrant') return 'consent';
  return 'other';
}

function location(value: Row): NonNullable<SignInEvent['location']> {
  const coordinates = isObject(value.geoCoordinates) ? value.geoCoordinates : null;
  return {
    city: text(value.city),
    state: text(value.state),
    countryOrRegion: text(value.countryOrRegion),
    geoCoordinates: coordinates ? { latitude: num(coordinates.latitude), longitude: num(coordinates.longitude) } : null,
  };
}

function deviceDetail(value: Row): NonNullable<SignInEvent['deviceDetail']> {
  return {
    deviceId: text(value.deviceId),
    displayName: text(value.displayName),
    operatingSystem: text(value.operatingSystem),
    browser: text(value.browser),
    isCompliant: bool(value.isCompliant),
    isManaged: bool(value.isManaged),
    trustType: text(value.trustType),
  };
}

function policies(values: unknown[]): NonNullable<SignInEvent['appliedConditionalAccessPolicies']> {
  return values.filter(isObject).map((policy) => ({
    id: text(policy.id),
    displayName: text(policy.displayName),
    result: text(policy.result),
    enforcedGrantControls: Array.isArray(policy.enforcedGrantControls) ? policy.enforcedGrantControls.map(itemText) : [],
  }));
}

function authDetails(values: unknown[]): NonNullable<SignInEvent['authenticationDetails']> {
  return values.filter(isObject).map((detail) => ({
    authenticationMethod: text(detail.authenticationMethod),
    succeeded: bool(detail.succeeded),
  }));
}

/**
 * Reads a Sentinel column that contains JSON either as an object (SigninLogs' dynamic columns) or as
 * a string (AADNonInteractiveUserSignInLogs, CSV exports). Empty strings mean "no value".
 */
function jsonColumn(row: Row, name: string): unknown {
  const value = row[name];
  if (typeof value !== 'string') return value ?? undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (trimmed[0] !== '{' && trimmed[0] !== '[') {
    throw new BadRecordError(`column ${name} contains text that is not JSON (${JSON.stringify(trimmed.slice(0, 40))})`, `column ${name} as a JSON object or array`);
  }
  try {
    return JSON.parse(trimmed);
  } catch (error) {
    throw new BadRecordError(`column ${name} contains invalid JSON (${(error as Error).message})`, `column ${name} as a JSON object or array`);
  }
}

function isObject(value: unknown): value is Row {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Text of an item of a list of names (event types, grant controls). Not `String(item)`: an object
 * item with a `toString` key that is not a function makes String() throw, and `[object Object]`
 * would hide what the log holds.
 */
export function itemText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
}

export function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function bool(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return null;
}

export function asn(value: unknown): number | null {
  const parsed = num(typeof value === 'string' ? value.replace(/^AS/i, '') : value);
  return parsed !== null && Number.isInteger(parsed) && parsed >= 0 ? parsed : null;
}

/**
 * Parses a result code. Sentinel's `ResultType` is text ("0", "50126") and Panther's test
 * records also use "Success"/"Failure"; Graph's `errorCode` is a number.
 */
export function resultCode(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
    if (/^success$/i.test(trimmed)) return 0;
    // Any other text marks a failure whose code the source does not give.
    if (/^fail/i.test(trimmed)) return -1;
  }
  throw new BadRecordError(`the result code ${JSON.stringify(value)} is not a number`, 'ResultType or status.errorCode as a number such as "0" or "50126"');
}

const UTC_TIME = /^(\d{4}-\d{2}-(\d{2})T(\d{2}):\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AP]M)?$/i;
const SPACE_DATE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/**
 * Parses a time to ISO 8601 UTC. Accepts ISO 8601 with or without zone (no zone means UTC, as
 * Log Analytics and Azure Monitor write UTC), `2025-01-15 09:30:45.123`, and the Log Analytics
 * portal's US-formatted `9/19/2023, 1:45:17.287 PM`.
 * NOTE: a portal CSV from another locale (day first) is read as day-first only when the first
 * number exceeds 12; an ambiguous day-first date such as 3/4/2024 is read month first.
 */
export function isoTime(value: unknown, field: string): string {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw new BadRecordError(`${field} is missing`, `${field} as an ISO 8601 time`);
  }
  if (typeof value !== 'string') {
    throw new BadRecordError(`${field} is ${Array.isArray(value) ? 'an array' : `a ${typeof value}`} (${JSON.stringify(value)?.slice(0, 40)}), not a time`, `${field} as an ISO 8601 time in quotes`);
  }
  // Graph's own form, the common case, without the cost of Date#toISOString. Date.parse rolls an
  // impossible day or hour 24 over to the next day or month (2026-02-30 becomes 2026-03-02). So
  // only days up to 28 and hours up to 23 take this path, and the rest goes through Date below.
  const utc = UTC_TIME.exec(value);
  if (utc && Number(utc[2]) <= 28 && Number(utc[3]) <= 23 && Number.isFinite(Date.parse(value))) {
    return `${utc[1]}.${(utc[4] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  }
  let textValue = value.trim();
  const space = SPACE_DATE.exec(textValue);
  if (space) textValue = `${space[1]}T${space[2]}Z`;
  const us = US_DATE.exec(textValue);
  if (us) {
    let [first, second] = [Number(us[1]), Number(us[2])];
    if (first > 12) [first, second] = [second, first];
    let hour = Number(us[4]);
    const meridiem = us[8]?.toUpperCase();
    if (meridiem === 'PM' && hour < 12) hour += 12;
    if (meridiem === 'AM' && hour === 12) hour = 0;
    const fraction = (us[7] ?? '0').padEnd(3, '0').slice(0, 3);
    const ms = Date.UTC(Number(us[3]), first - 1, second, hour, Number(us[5]), Number(us[6] ?? 0), Number(fraction));
    return new Date(ms).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(textValue)) textValue += 'Z';
  const ms = Date.parse(textValue);
  if (!Number.isFinite(ms)) {
    throw new BadRecordError(`${field} ${JSON.stringify(value)} is not a valid time`, `${field} as an ISO 8601 time`);
  }
  // One format (millisecond precision) so that times compare as text in every source.
  return new Date(ms).toISOString();
}

/**
 * Milliseconds of a normalised time (`YYYY-MM-DDTHH:MM:SS.mmmZ`, as isoTime writes it), read from
 * its digits: a third of the cost of Date.parse, which ran on every event. Other forms, and years
 * below 100 (which Date.UTC reads as 19xx), go to Date.parse.
 */
export function isoMs(iso: string): number {
  if (iso.length !== 24 || iso.charCodeAt(10) !== 0x54 || iso.charCodeAt(23) !== 0x5a) return Date.parse(iso);
  const year = twoDigits(iso, 0) * 100 + twoDigits(iso, 2);
  if (year < 100) return Date.parse(iso);
  return Date.UTC(year, twoDigits(iso, 5) - 1, twoDigits(iso, 8), twoDigits(iso, 11), twoDigits(iso, 14), twoDigits(iso, 17), twoDigits(iso, 20) * 10 + iso.charCodeAt(22) - 0x30);
}

function twoDigits(text: string, at: number): number {
  return (text.charCodeAt(at) - 0x30) * 10 + text.charCodeAt(at + 1) - 0x30;
}
