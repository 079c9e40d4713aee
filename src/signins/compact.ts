import type { AuditEvent, SignInEvent } from './event.js';

/**
 * A one-line text form of a normalised, enriched sign-in with only what the detections and the
 * summary read. The parallel review spills events in this form to per-user partition files, so
 * memory keeps one partition at a time. Tab-separated, with tabs, newlines and backslashes escaped.
 */

type Getter = (event: SignInEvent) => string | number | boolean | null | undefined;
type Setter = (event: SignInEvent, value: string) => void;

const text = (value: string): string | null => (value === '\u0000' ? null : value);
const optionalNumber = (value: string): number | null => (value === '\u0000' || value === '' ? null : Number(value));
const optionalBool = (value: string): boolean | null => (value === '\u0000' ? null : value === '1');

function stringField<K extends keyof SignInEvent>(key: K): [Getter, Setter] {
  return [
    (event) => event[key] as string | null | undefined,
    (event, value) => {
      if (value !== '\u0001') (event as unknown as Record<string, unknown>)[key] = text(value);
    },
  ];
}

const FIELDS: [Getter, Setter][] = [
  [(event) => event.id, (event, value) => (event.id = value)],
  [(event) => event.createdDateTime, (event, value) => (event.createdDateTime = value)],
  stringField('userId'),
  stringField('userPrincipalName'),
  stringField('userDisplayName'),
  stringField('appId'),
  stringField('appDisplayName'),
  stringField('resourceId'),
  stringField('ipAddress'),
  stringField('clientAppUsed'),
  stringField('userAgent'),
  [(event) => (event.isInteractive === undefined ? undefined : event.isInteractive === null ? null : event.isInteractive), (event, value) => value !== '\u0001' && (event.isInteractive = optionalBool(value))],
  stringField('authenticationProtocol'),
  stringField('originalTransferMethod'),
  stringField('incomingTokenType'),
  stringField('sessionId'),
  stringField('uniqueTokenIdentifier'),
  [(event) => event.autonomousSystemNumber, (event, value) => value !== '\u0001' && (event.autonomousSystemNumber = optionalNumber(value))],
  stringField('authenticationRequirement'),
  stringField('conditionalAccessStatus'),
  stringField('riskLevelDuringSignIn'),
  stringField('riskState'),
  [
    (event) => (event.status ? (event.status.errorCode ?? null) : undefined),
    (event, value) => {
      if (value !== '\u0001') event.status = { ...event.status, errorCode: optionalNumber(value) };
    },
  ],
  [
    (event) => event.status?.additionalDetails,
    (event, value) => {
      if (value !== '\u0001') event.status = { ...event.status, additionalDetails: text(value) };
    },
  ],
  [
    (event) => (event.location === undefined ? undefined : (event.location?.countryOrRegion ?? null)),
    (event, value) => {
      if (value !== '\u0001') event.location = { ...event.location, countryOrRegion: text(value) };
    },
  ],
  [
    (event) => (event.location?.geoCoordinates ? `${event.location.geoCoordinates.latitude ?? ''},${event.location.geoCoordinates.longitude ?? ''}` : undefined),
    (event, value) => {
      if (value === '\u0001' || value === '\u0000') return;
      const [latitude, longitude] = value.split(',');
      event.location = { ...event.location, geoCoordinates: { latitude: optionalNumber(latitude ?? ''), longitude: optionalNumber(longitude ?? '') } };
    },
  ],
  [(event) => (event.riskEventTypes_v2 ? JSON.stringify(event.riskEventTypes_v2) : undefined), (event, value) => value !== '\u0001' && (event.riskEventTypes_v2 = JSON.parse(value) as string[])],
  [
    (event) => (event.appliedConditionalAccessPolicies ? JSON.stringify(event.appliedConditionalAccessPolicies.filter((policy) => policy.result === 'failure')) : undefined),
    (event, value) => value !== '\u0001' && (event.appliedConditionalAccessPolicies = JSON.parse(value) as SignInEvent['appliedConditionalAccessPolicies']),
  ],
  [(event) => (event.network ? JSON.stringify(event.network) : undefined), (event, value) => value !== '\u0001' && (event.network = JSON.parse(value) as SignInEvent['network'])],
  [(event) => (event.source ? `${event.source.line ?? ''},${event.source.record ?? ''},${event.source.file}` : undefined), (event, value) => {
    if (value === '\u0001') return;
    const [line, record, ...file] = value.split(',');
    event.source = { file: file.join(','), ...(line ? { line: Number(line) } : {}), ...(record ? { record: Number(record) } : {}) };
  }],
];

const NEEDS_ESCAPE = /[\\\t\n\r]/;

function escape(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (character) => (character === '\\' ? '\\\\' : character === '\t' ? '\\t' : character === '\n' ? '\\n' : '\\r'));
}

function unescape(value: string): string {
  return value.includes('\\') ? value.replace(/\\(.)/g, (_, character: string) => (character === 't' ? '\t' : character === 'n' ? '\n' : character === 'r' ? '\r' : character)) : value;
}

/** `S` line for a sign-in; undefined is written as U+0001 and null as U+0000 so both survive. */
export function compactSignIn(event: SignInEvent): string {
  let line = 'S';
  for (const [get] of FIELDS) {
    const value = get(event);
    line += '\t' + (value === undefined ? '\u0001' : value === null ? '\u0000' : escape(typeof value === 'boolean' ? (value ? '1' : '0') : String(value)));
  }
  return line;
}

export function compactAudit(audit: AuditEvent): string {
  return 'A\t' + escape(JSON.stringify(audit));
}

export function parseCompact(line: string): { kind: 'signIn'; event: SignInEvent } | { kind: 'audit'; event: AuditEvent } {
  if (line.startsWith('A\t')) return { kind: 'audit', event: JSON.parse(unescape(line.slice(2))) as AuditEvent };
  const parts = line.split('\t');
  const event = {} as SignInEvent;
  FIELDS.forEach(([, set], index) => set(event, unescape(parts[index + 1] ?? '\u0001')));
  return { kind: 'signIn', event };
}
