import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Engagement } from '../../src/engagement/schema.js';
import type { DetectionId } from '../../src/signins/detections/types.js';
import { reviewSignIns } from '../../src/signins/review.js';
import { graphSignIn, ndjson, tempDir, writeInput } from './fixtures.js';

const BROKER = '29d9ed98-a469-4536-ade2-f981bc1d605e';
const hostingAsn = 14061;
const dir = tempDir();

interface Case {
  name: string;
  events: Record<string, unknown>[];
  audits?: Record<string, unknown>[];
  engagement?: Partial<Engagement>;
  /** Every alert expected: detection, user and the ids of its evidence events. An empty list means a clean log. */
  expected: [DetectionId, string, string[]][];
  /** Detections whose alerts the case ignores because another case covers them. */
  ignore?: DetectionId[];
}

const at = (minute: number, extra: Record<string, unknown> = {}) =>
  graphSignIn({ id: `e${minute}`, createdDateTime: new Date(Date.UTC(2026, 4, 1, 9, minute)).toISOString(), ...extra });
const deviceCode = { authenticationProtocol: 'deviceCode', originalTransferMethod: 'deviceCodeFlow' };
const elsewhere = { ipAddress: '203.0.113.50', autonomousSystemNumber: 64999, location: { countryOrRegion: 'NL' } };

const cases: Case[] = [
  { name: 'ordinary browser sign-ins', events: [at(0), at(5), at(30, { ipAddress: '198.51.100.11' })], expected: [] },
  {
    name: 'device code to Graph',
    events: [at(0, deviceCode)],
    expected: [
      ['device-code-sign-in', 'ada@contoso.example', ['e0']],
      ['device-code-first-use', 'ada@contoso.example', ['e0']],
    ],
  },
  {
    name: 'device-code refresh only',
    events: [at(0, { originalTransferMethod: 'deviceCodeFlow', authenticationProtocol: 'none', isInteractive: false })],
    expected: [['device-code-sign-in', 'ada@contoso.example', ['e0']]],
  },
  {
    name: 'device code then use from another country',
    events: [at(0, deviceCode), at(12, { ...elsewhere, sessionId: 'other' })],
    expected: [['device-code-then-new-location', 'ada@contoso.example', ['e0', 'e12']]],
    ignore: ['device-code-sign-in', 'device-code-first-use', 'impossible-travel'],
  },
  {
    name: 'device code then same session later elsewhere',
    events: [at(0, deviceCode), at(55, { ...elsewhere, originalTransferMethod: 'deviceCodeFlow', isInteractive: false })],
    expected: [
      ['device-code-then-new-location', 'ada@contoso.example', ['e0', 'e55']],
      ['session-replay', 'ada@contoso.example', ['e0', 'e55']],
    ],
    ignore: ['device-code-sign-in', 'device-code-first-use'],
  },
  {
    name: 'device code then other IP in same network',
    events: [at(0, deviceCode), at(10, { ipAddress: '198.51.100.99' })],
    expected: [],
    ignore: ['device-code-sign-in', 'device-code-first-use'],
  },
  {
    name: 'broker device code then device registration',
    events: [at(0, { ...deviceCode, appId: BROKER, appDisplayName: 'Microsoft Authentication Broker', resourceId: '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9' })],
    audits: [
      {
        id: 'audit-1',
        activityDateTime: '2026-05-01T09:20:00Z',
        activityDisplayName: 'Register device',
        initiatedBy: { user: { userPrincipalName: 'ada@contoso.example', ipAddress: '203.0.113.50' } },
        targetResources: [{ id: 'device-1', type: 'Device' }],
      },
    ],
    expected: [['device-code-broker-device-registration', 'ada@contoso.example', ['e0']]],
    ignore: ['device-code-sign-in', 'device-code-first-use'],
  },
  {
    name: 'broker device code, registration too late',
    events: [at(0, { ...deviceCode, appId: BROKER })],
    audits: [{ id: 'audit-2', activityDateTime: '2026-05-01T11:00:00Z', activityDisplayName: 'Register device', initiatedBy: { user: { userPrincipalName: 'ada@contoso.example' } }, targetResources: [] }],
    expected: [],
    ignore: ['device-code-sign-in', 'device-code-first-use'],
  },
  { name: 'authentication transfer', events: [at(0, { authenticationProtocol: 'authenticationTransfer' })], expected: [['authentication-transfer', 'ada@contoso.example', ['e0']]] },
  {
    name: 'session replayed from another ASN',
    events: [at(0), at(90, { ipAddress: '203.0.113.9', autonomousSystemNumber: 64777 })],
    expected: [['session-replay', 'ada@contoso.example', ['e0', 'e90']]],
  },
  { name: 'session within one network', events: [at(0), at(90, { ipAddress: '198.51.100.77' })], expected: [] },
  {
    // Windows counted from the session's first sign-in put the last two on either side of an edge.
    name: 'session replayed across a window edge',
    events: [at(0), at(23 * 60), at(24 * 60 + 30, { ipAddress: '203.0.113.9', autonomousSystemNumber: 64777 })],
    expected: [['session-replay', 'ada@contoso.example', ['e1380', 'e1470']]],
  },
  {
    name: 'session back on a network after a day',
    events: [at(0), at(25 * 60, { ipAddress: '203.0.113.9', autonomousSystemNumber: 64777 })],
    expected: [],
  },
  {
    name: 'impossible travel by coordinates',
    events: [
      at(0, { sessionId: 's1' }),
      at(30, { sessionId: 's2', ipAddress: '192.0.2.44', autonomousSystemNumber: 64501, location: { countryOrRegion: 'US', geoCoordinates: { latitude: 40.71, longitude: -74.0 } } }),
    ],
    expected: [['impossible-travel', 'ada@contoso.example', ['e0', 'e30']]],
  },
  {
    name: 'two countries without coordinates',
    events: [at(0, { sessionId: 's1', location: { countryOrRegion: 'FR' } }), at(8, { sessionId: 's2', ipAddress: '192.0.2.44', location: { countryOrRegion: 'DE' } })],
    expected: [['impossible-travel', 'ada@contoso.example', ['e0', 'e8']]],
  },
  {
    name: 'travel through a hosting network',
    events: [at(0, { sessionId: 's1' }), at(30, { sessionId: 's2', ipAddress: '192.0.2.44', autonomousSystemNumber: hostingAsn, location: { countryOrRegion: 'US', geoCoordinates: { latitude: 40.71, longitude: -74.0 } } })],
    expected: [['hosting-network', 'ada@contoso.example', ['e30']]],
  },
  {
    name: 'scripted user agents',
    events: [at(0, { userAgent: 'axios/1.7.9' }), at(1, { userAgent: 'python-requests/2.31', status: { errorCode: 50126 } })],
    expected: [
      ['suspicious-user-agent', 'ada@contoso.example', ['e0']],
      ['suspicious-user-agent', 'ada@contoso.example', ['e1']],
    ],
  },
  { name: 'legacy IMAP', events: [at(0, { clientAppUsed: 'IMAP4' }), at(1, { clientAppUsed: 'IMAP4', status: { errorCode: 50126 } })], expected: [['legacy-authentication', 'ada@contoso.example', ['e0']]] },
  { name: 'ROPC success', events: [at(0, { authenticationProtocol: 'ropc', authenticationRequirement: 'singleFactorAuthentication' })], expected: [['ropc-sign-in', 'ada@contoso.example', ['e0']]] },
  {
    name: 'risky sign-ins',
    events: [at(0, { riskLevelDuringSignIn: 'high', riskState: 'atRisk' }), at(1, { riskLevelDuringSignIn: 'high', riskState: 'dismissed' }), at(2, { riskEventTypes_v2: ['anomalousToken'] }), at(3, { riskLevelDuringSignIn: 'low' })],
    expected: [
      ['risky-sign-in', 'ada@contoso.example', ['e0']],
      ['risky-sign-in', 'ada@contoso.example', ['e2']],
    ],
  },
  {
    name: 'break-glass account, failed sign-in',
    events: [at(0, { userPrincipalName: 'bg1@contoso.example', userId: '22222222-2222-2222-2222-222222222222', status: { errorCode: 50126 } })],
    engagement: { breakGlassAccounts: ['BG1@contoso.example'] },
    expected: [['break-glass-sign-in', 'bg1@contoso.example', ['e0']]],
  },
  {
    name: 'device code blocked by policy',
    events: [
      at(0, { ...deviceCode, status: { errorCode: 53003 }, conditionalAccessStatus: 'failure', appliedConditionalAccessPolicies: [{ id: 'p1', displayName: 'Block device code', result: 'failure' }] }),
      at(1, { authenticationProtocol: 'none', originalTransferMethod: 'deviceCodeFlow', status: { errorCode: 53003 }, conditionalAccessStatus: 'failure' }),
    ],
    expected: [['device-code-blocked', 'ada@contoso.example', ['e0', 'e1']]],
  },
];

describe('detections', () => {
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const files = [writeInput(dir, `${testCase.name.replace(/\W+/g, '-')}.ndjson`, ndjson([...testCase.events, ...(testCase.audits ?? [])]))];
      const engagement = testCase.engagement ? ({ client: { name: 'Contoso' }, breakGlassAccounts: [], owners: { sessionRevocation: [] }, ...testCase.engagement } as Engagement) : null;
      const { alerts } = await reviewSignIns(files, { enricher: false, engagement });
      const ignored = new Set(testCase.ignore ?? []);
      const found = alerts
        .filter((alert) => !ignored.has(alert.detection))
        .map((alert) => [alert.detection, alert.user, alert.events.map((event) => event.id)]);
      assert.deepEqual(found.sort(), [...testCase.expected].sort());
    });
  }

  it('hosting ASN from the list, with no database', async () => {
    const file = writeInput(dir, 'hosting.ndjson', ndjson([at(0, { autonomousSystemNumber: hostingAsn, isInteractive: false })]));
    const { alerts } = await reviewSignIns([file], { enricher: false });
    assert.deepEqual(alerts.map((alert) => [alert.detection, alert.severity]), [['hosting-network', 'high']]);
  });
});
