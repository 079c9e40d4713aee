import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * Writes realistic Graph beta signIn NDJSON (about 2 KB an event, newest first, as Graph exports
 * arrive) for a tenant of background users with no attack, plus injected attacks on named users.
 * Returns what was injected so the benchmark can check that every attack is found and nothing else.
 */

export interface InjectedAttack {
  user: string;
  kind: 'device-code-phishing' | 'session-replay' | 'scripted-user-agent' | 'legacy-imap';
  /** Detections that must fire for this user. */
  expected: string[];
}

const COUNTRIES = [
  { code: 'FR', city: 'Lyon', latitude: 45.76, longitude: 4.84 },
  { code: 'DE', city: 'Berlin', latitude: 52.52, longitude: 13.4 },
  { code: 'GB', city: 'London', latitude: 51.5, longitude: -0.12 },
  { code: 'NL', city: 'Utrecht', latitude: 52.09, longitude: 5.12 },
  { code: 'US', city: 'Chicago', latitude: 41.88, longitude: -87.63 },
];

const APPS = [
  { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome', resource: '00000003-0000-0000-c000-000000000000', resourceName: 'Microsoft Graph' },
  { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online', resource: '00000002-0000-0ff1-ce00-000000000000', resourceName: 'Office 365 Exchange Online' },
  { id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams', resource: '00000003-0000-0000-c000-000000000000', resourceName: 'Microsoft Graph' },
  { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office', resource: '00000003-0000-0ff1-ce00-000000000000', resourceName: 'Office 365 SharePoint Online' },
];

const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80';

/** Returns deterministic pseudo-random numbers (mulberry32), so runs are comparable. */
export function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex(next: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += Math.floor(next() * 16).toString(16);
  return text;
}

function guid(next: () => number): string {
  return `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;
}

interface User {
  upn: string;
  id: string;
  name: string;
  country: (typeof COUNTRIES)[number];
  ip: string;
  asn: number;
  roaming?: { ip: string; asn: number };
}

interface Overrides {
  [key: string]: unknown;
}

function signIn(next: () => number, user: User, time: number, app: (typeof APPS)[number], sessionId: string, overrides: Overrides = {}): string {
  const interactive = overrides.isInteractive ?? next() < 0.3;
  const event = {
    id: guid(next),
    createdDateTime: new Date(time).toISOString(),
    userDisplayName: user.name,
    userPrincipalName: user.upn,
    userId: user.id,
    appId: app.id,
    appDisplayName: app.name,
    ipAddress: user.ip,
    clientAppUsed: 'Browser',
    userAgent: BROWSER_UA,
    correlationId: guid(next),
    conditionalAccessStatus: 'success',
    originalRequestId: guid(next),
    isInteractive: interactive,
    tokenIssuerType: 'AzureAD',
    processingTimeInMilliseconds: 80 + Math.floor(next() * 300),
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: [],
    resourceDisplayName: app.resourceName,
    resourceId: app.resource,
    resourceTenantId: '5d2f3b1a-0000-4000-a000-000000000001',
    homeTenantId: '5d2f3b1a-0000-4000-a000-000000000001',
    authenticationRequirement: 'multiFactorAuthentication',
    signInEventTypes: [interactive ? 'interactiveUser' : 'nonInteractiveUser'],
    servicePrincipalId: '',
    userType: 'member',
    autonomousSystemNumber: user.asn,
    crossTenantAccessType: 'none',
    uniqueTokenIdentifier: hex(next, 22),
    incomingTokenType: interactive ? 'none' : 'primaryRefreshToken',
    authenticationProtocol: 'none',
    sessionId,
    originalTransferMethod: 'none',
    status: { errorCode: 0, failureReason: 'Other.', additionalDetails: interactive ? null : 'MFA requirement satisfied by claim in the token' },
    deviceDetail: { deviceId: guid(next), displayName: `PC-${user.id.slice(0, 6)}`, operatingSystem: 'Windows10', browser: 'Edge 124.0.0', isCompliant: true, isManaged: true, trustType: 'Azure AD joined' },
    location: { city: user.country.city, state: '', countryOrRegion: user.country.code, geoCoordinates: { altitude: null, latitude: user.country.latitude, longitude: user.country.longitude } },
    appliedConditionalAccessPolicies: [
      { id: guid(next), displayName: 'Require MFA for all users', enforcedGrantControls: ['Mfa'], enforcedSessionControls: [], result: 'success' },
    ],
    authenticationDetails: interactive
      ? [{ authenticationStepDateTime: new Date(time).toISOString(), authenticationMethod: 'Previously satisfied', authenticationMethodDetail: null, succeeded: true, authenticationStepResultDetail: 'First factor requirement satisfied by claim in the token', authenticationStepRequirement: 'Primary authentication', StatusSequence: 0, RequestSequence: 0 }]
      : [],
    authenticationProcessingDetails: [{ key: 'Is CAE Token', value: 'True' }],
    ...overrides,
  };
  return JSON.stringify(event);
}

/**
 * Generates `count` events (approximately; attacks add a few) over 30 days into `file`.
 * Background users keep one IP, ASN and country and never use device code or legacy clients.
 */
export async function generateSignIns(
  file: string,
  count: number,
  attacksPerKind = 10,
  options: { roamingShare?: number } = {},
): Promise<{ events: number; bytes: number; attacks: InjectedAttack[] }> {
  const next = random(20260521);
  const userCount = 5000;
  const roamingUsers = Math.round((options.roamingShare ?? 0) * 100);
  const users: User[] = Array.from({ length: userCount }, (_, i) => {
    const country = COUNTRIES[i % COUNTRIES.length]!;
    return {
      upn: `user${i}@contoso.example`,
      id: guid(next),
      name: `User ${i}`,
      country,
      // Documentation ranges: the offline database has no entry for them, as for a private tenant fixture.
      ip: `${['192.0.2', '198.51.100', '203.0.113'][i % 3]}.${i % 250}`,
      asn: 64500 + (i % 40),
      // Every other day in another office of the same country, 220 km away, on another network. The
      // review finds two places and gives the user the full detections. No alert fires: each day's
      // session keeps one network, and the distance is under impossible travel's minimum.
      ...(i >= 4 * attacksPerKind && i % 100 < roamingUsers ? { roaming: { ip: `198.18.${i % 250}.${(i >> 8) % 250}`, asn: 64600 + (i % 40) } } : {}),
    };
  });
  const end = Date.UTC(2026, 5, 1);
  const start = end - 30 * 86_400_000;
  const lines: { time: number; text: string }[] = [];
  const attacks: InjectedAttack[] = [];

  // Attacks use users 0..(4 * attacksPerKind - 1), each user one attack.
  const railway = { autonomousSystemNumber: 400940, ipAddress: '66.33.22.11', location: { city: 'Ashburn', state: 'Virginia', countryOrRegion: 'US', geoCoordinates: null } };
  for (let a = 0; a < attacksPerKind; a++) {
    const t = start + (a + 1) * 2 * 86_400_000 + 36_000_000;
    const victim = users[a * 4]!;
    // The victim enters the code at home; the kit's poller then refreshes the session from Railway.
    lines.push({ time: t, text: signIn(next, victim, t, APPS[3]!, `dc-${a}`, { authenticationProtocol: 'deviceCode', originalTransferMethod: 'deviceCodeFlow', isInteractive: true, signInEventTypes: ['interactiveUser'] }) });
    lines.push({ time: t + 300_000, text: signIn(next, victim, t + 300_000, APPS[1]!, `dc-${a}`, { ...railway, originalTransferMethod: 'deviceCodeFlow', isInteractive: false, userAgent: 'node' }) });
    attacks.push({ user: victim.upn, kind: 'device-code-phishing', expected: ['device-code-sign-in', 'device-code-first-use', 'device-code-then-new-location', 'session-replay', 'hosting-network'] });

    const replayed = users[a * 4 + 1]!;
    lines.push({ time: t, text: signIn(next, replayed, t, APPS[0]!, `aitm-${a}`, { isInteractive: true }) });
    lines.push({ time: t + 7_200_000, text: signIn(next, replayed, t + 7_200_000, APPS[1]!, `aitm-${a}`, { ipAddress: '100.64.9.9', autonomousSystemNumber: 64999, location: { city: 'Lagos', countryOrRegion: 'NG', geoCoordinates: null }, isInteractive: false }) });
    attacks.push({ user: replayed.upn, kind: 'session-replay', expected: ['session-replay'] });

    const scripted = users[a * 4 + 2]!;
    lines.push({ time: t, text: signIn(next, scripted, t, APPS[2]!, `ua-${a}`, { userAgent: 'axios/1.7.9' }) });
    attacks.push({ user: scripted.upn, kind: 'scripted-user-agent', expected: ['suspicious-user-agent'] });

    const legacy = users[a * 4 + 3]!;
    lines.push({ time: t, text: signIn(next, legacy, t, APPS[1]!, `imap-${a}`, { clientAppUsed: 'IMAP4', userAgent: '' }) });
    attacks.push({ user: legacy.upn, kind: 'legacy-imap', expected: ['legacy-authentication'] });
  }

  // Background: each user's session lasts a day; events spread over the period. Generated newest
  // first in chunks so the writer never keeps the whole file in memory.
  const out = createWriteStream(file);
  let written = 0;
  let bytes = 0;
  const background = count - lines.length;
  const step = (end - start) / background;
  const attackLines = lines.sort((a, b) => b.time - a.time);
  let nextAttack = 0;
  let buffer = '';
  for (let i = 0; i < background; i++) {
    const time = Math.floor(end - i * step);
    while (nextAttack < attackLines.length && attackLines[nextAttack]!.time >= time) {
      buffer += attackLines[nextAttack]!.text + '\n';
      nextAttack++;
      written++;
    }
    const user = users[Math.floor(next() * userCount)]!;
    const day = Math.floor((time - start) / 86_400_000);
    const network =
      user.roaming && day % 2 === 1
        ? {
            ipAddress: user.roaming.ip,
            autonomousSystemNumber: user.roaming.asn,
            location: { city: 'Branch office', state: '', countryOrRegion: user.country.code, geoCoordinates: { altitude: null, latitude: user.country.latitude + 2, longitude: user.country.longitude } },
          }
        : {};
    buffer += signIn(next, user, time, APPS[Math.floor(next() * APPS.length)]!, `s-${user.id.slice(0, 8)}-${day}`, network) + '\n';
    written++;
    if (buffer.length > 1 << 20) {
      bytes += Buffer.byteLength(buffer);
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  for (; nextAttack < attackLines.length; nextAttack++, written++) buffer += attackLines[nextAttack]!.text + '\n';
  bytes += Buffer.byteLength(buffer);
  out.write(buffer);
  out.end();
  await once(out, 'finish');
  return { events: written, bytes, attacks };
}
