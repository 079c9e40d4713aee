import { noDeviceCodeSignIns } from '../../src/checks/sign-in-review/no-device-code-sign-ins.js';
import { signInLogsCover30Days } from '../../src/checks/sign-in-review/sign-in-logs-cover-30-days.js';
import type { SignInSummary } from '../../src/signins/review.js';
import { runCheckCases } from '../helpers/check-cases.js';

const BETA = { authenticationProtocol: 500, originalTransferMethod: 500, sessionId: 500, uniqueTokenIdentifier: 500, incomingTokenType: 500, autonomousSystemNumber: 500 };
const V1 = { authenticationProtocol: 0, originalTransferMethod: 0, sessionId: 0, uniqueTokenIdentifier: 0, incomingTokenType: 0, autonomousSystemNumber: 0 };
const ALL_BETA = Object.keys(BETA);

/** Builds the summary of a 30-day beta log ending the day before the default assessment time. */
function summary(overrides: Partial<SignInSummary> = {}): SignInSummary {
  const coverage = overrides.betaFieldCoverage ?? BETA;
  return {
    present: true,
    files: [],
    skippedRecords: 0,
    skippedExamples: [],
    ignoredRecords: {},
    eventCount: 500,
    auditCount: 0,
    userCount: 20,
    period: { from: '2026-05-02T00:00:00.000Z', to: '2026-05-31T23:00:00.000Z', days: 30 },
    retentionDays: 30,
    betaFieldCoverage: coverage,
    missingBetaFields: Object.entries(coverage).filter(([, count]) => count === 0).map(([field]) => field),
    carriesAuthenticationProtocol: coverage.authenticationProtocol > 0,
    deviceCode: { signIns: 0, blockedAttempts: 0, users: [] },
    alertsByDetection: {} as SignInSummary['alertsByDetection'],
    alertsBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    filters: { since: null, until: null, users: [] },
    ...overrides,
  };
}

const collected = {};
const signInsCollected = { signIns: { status: 'collected' as const } };

runCheckCases(signInLogsCover30Days, [
  { name: 'thirty days of beta sign-ins', tenant: collected, statuses: signInsCollected, signInSummary: summary(), expect: { state: 'pass', summary: 'covers-retention' } },
  {
    name: 'twelve days only',
    tenant: collected,
    statuses: signInsCollected,
    signInSummary: summary({ period: { from: '2026-05-20T00:00:00.000Z', to: '2026-05-31T23:00:00.000Z', days: 12 } }),
    expect: { state: 'warn', summary: 'needs-review', findings: [{ messageId: 'short-period', key: 'sign-in-logs-cover-30-days:period', data: { days: 12, retention: 30 } }] },
  },
  {
    name: 'export a week old',
    tenant: collected,
    statuses: signInsCollected,
    signInSummary: summary({ period: { from: '2026-04-25T00:00:00.000Z', to: '2026-05-25T00:00:00.000Z', days: 30 } }),
    expect: { state: 'warn', findings: [{ messageId: 'stale', data: { age: 7 } }] },
  },
  {
    name: 'v1.0 export',
    tenant: collected,
    statuses: signInsCollected,
    signInSummary: summary({ betaFieldCoverage: V1 }),
    expect: { state: 'warn', findings: [{ messageId: 'beta-fields-missing', data: { fields: ALL_BETA }, severity: 'medium' }] },
  },
  { name: 'files without sign-ins', tenant: collected, statuses: signInsCollected, signInSummary: summary({ eventCount: 0, period: { from: null, to: null, days: 0 } }), expect: { state: 'warn', summary: 'no-events', findings: [{ messageId: 'no-events' }] } },
  { name: 'summary not computed', tenant: collected, statuses: signInsCollected, expect: { state: 'manual', summary: 'summary-missing', findings: [{ messageId: 'summary-missing' }] } },
  { name: 'sign-ins not collected', tenant: {}, expect: { state: 'skipped', skipReason: 'resource-not-collected' } },
]);

const adaDeviceCode: SignInSummary['deviceCode'] = {
  signIns: 3,
  blockedAttempts: 1,
  users: [
    {
      user: 'ada@contoso.example',
      userId: '11111111-1111-1111-1111-111111111111',
      displayName: 'Ada',
      signIns: 3,
      first: '2026-05-10T09:00:00.000Z',
      last: '2026-05-10T09:20:00.000Z',
      apps: [{ appId: '29d9ed98-a469-4536-ade2-f981bc1d605e', appDisplayName: 'Microsoft Authentication Broker', signIns: 3 }],
      ips: ['203.0.113.7'],
      countries: ['NL'],
    },
  ],
};

runCheckCases(noDeviceCodeSignIns, [
  { name: 'beta log without device code', tenant: collected, statuses: signInsCollected, signInSummary: summary(), expect: { state: 'pass', summary: 'none-found' } },
  {
    name: 'one user with device code',
    tenant: collected,
    statuses: signInsCollected,
    signInSummary: summary({ deviceCode: adaDeviceCode }),
    expect: {
      state: 'fail',
      summary: 'device-code-users',
      findings: [
        {
          messageId: 'device-code-user',
          key: 'no-device-code-sign-ins:11111111-1111-1111-1111-111111111111',
          data: { user: 'ada@contoso.example', signIns: 3, apps: ['Microsoft Authentication Broker (3)'], ips: ['203.0.113.7'] },
        },
      ],
    },
  },
  {
    name: 'v1.0 log cannot rule it out',
    tenant: collected,
    statuses: signInsCollected,
    signInSummary: summary({ betaFieldCoverage: V1 }),
    expect: { state: 'manual', summary: 'protocol-missing', findings: [{ messageId: 'protocol-missing', data: { fields: ALL_BETA } }] },
  },
  { name: 'files without sign-ins', tenant: collected, statuses: signInsCollected, signInSummary: summary({ eventCount: 0 }), expect: { state: 'manual', summary: 'no-events', findings: [{ messageId: 'no-events' }] } },
  { name: 'summary not computed', tenant: collected, statuses: signInsCollected, expect: { state: 'manual', summary: 'summary-missing', findings: [{ messageId: 'summary-missing' }] } },
  {
    name: 'sign-ins forbidden',
    tenant: collected,
    statuses: { signIns: { status: 'forbidden', permission: 'AuditLog.Read.All' } },
    expect: { state: 'skipped', skipReason: 'permission-missing' },
  },
]);
