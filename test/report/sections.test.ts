import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { CoverageRow, CoverageSummary } from '../../src/conditional-access/summary.js';
import { coverageSection } from '../../src/report/coverage-section.js';
import { isReportSection } from '../../src/report/schema.js';
import { signInSection } from '../../src/report/signin-section.js';
import type { SignInSummary } from '../../src/signins/review.js';

function row(overrides: Partial<CoverageRow>): CoverageRow {
  return {
    kind: 'deviceCodeFlow',
    title: 'Device code flow not blocked',
    key: 'k',
    exampleUser: 'kevin@fixture.example',
    classSize: 4,
    apps: ['Office 365 Exchange Online'],
    clientAppType: 'mobileAppsAndDesktopClients',
    platform: 'android',
    locations: ['any location'],
    flow: 'deviceCodeFlow',
    device: 'unregistered device',
    whyNotCovered: ['CA02 (enabled): the user is not included or is excluded'],
    reportOnlyWouldClose: [],
    breakGlass: null,
    uncertain: [],
    ...overrides,
  };
}

function coverage(rows: CoverageRow[], breakGlassRows: CoverageRow[] = []): CoverageSummary {
  return {
    usersAnalysed: 10,
    userClasses: 3,
    policiesAnalysed: 2,
    kinds: [
      { kind: 'deviceCodeFlow', title: 'Device code flow not blocked', gaps: rows.length, affectedUsers: 4, breakGlassGaps: breakGlassRows.length, truncated: 0 },
      { kind: 'mfa', title: 'Sign-in without multifactor authentication', gaps: 0, affectedUsers: 0, breakGlassGaps: 0, truncated: 0 },
    ],
    rows,
    breakGlassRows,
    limitations: ['Role assignments were not collected.'],
    appGroupTablesAsOf: {},
  };
}

test('coverage section merges rows alike but for platform', () => {
  const section = coverageSection(coverage([row({ platform: 'android' }), row({ platform: 'iOS' }), row({ exampleUser: 'omar@fixture.example' })]));
  assert.ok(isReportSection(section));
  const gaps = section.tables[0]!;
  assert.equal(gaps.rows.length, 2);
  assert.equal(gaps.rows[0]![1], 'kevin@fixture.example (4)');
  assert.match(gaps.rows[0]![3]!, /platform: android;.* \| .*platform: iOS;/);
  assert.equal(gaps.rows[0]![4], 'CA02 (enabled): the user is not included or is excluded');
});

test('coverage section summary counts and limitations', () => {
  const section = coverageSection(coverage([row({})], [row({ breakGlass: 'declared', exampleUser: 'bg@fixture.example' })]));
  assert.match(section.summary[0]!, /Analysed 10 users in 3 groups of users .* against 2 policies\./);
  assert.deepEqual(section.summary.slice(1), ['Device code flow not blocked: 1 gap affecting 4 users.', 'Limitation: Role assignments were not collected.']);
  assert.equal(section.tables[1]!.caption, 'Gaps only of break-glass accounts');
  assert.equal(section.tables[1]!.rows[0]![1], 'bg@fixture.example (4)');
});

test('coverage section without gaps says so', () => {
  const section = coverageSection(coverage([]));
  assert.ok(section.summary.includes('No coverage gaps found.'));
  assert.deepEqual(section.tables[0]!.rows, []);
});

function signIns(overrides: Partial<SignInSummary>): SignInSummary {
  return {
    present: true,
    files: [{ file: 'signIns/a.ndjson', format: 'graph-ndjson' as never, records: 3, signIns: 3, audits: 0, ignored: 0, skipped: 0 }],
    skippedRecords: 0,
    skippedExamples: [],
    ignoredRecords: {},
    eventCount: 3,
    auditCount: 0,
    userCount: 1,
    period: { from: '2026-11-06T00:00:00.000Z', to: '2026-11-19T00:00:00.000Z', days: 13 },
    retentionDays: 30,
    betaFieldCoverage: {} as SignInSummary['betaFieldCoverage'],
    missingBetaFields: [],
    carriesAuthenticationProtocol: true,
    deviceCode: {
      signIns: 2,
      blockedAttempts: 1,
      users: [
        {
          user: 'kevin@fixture.example',
          userId: 'u1',
          displayName: 'Kevin <b>Osei</b>',
          signIns: 2,
          first: '2026-11-17T14:02:11.000Z',
          last: '2026-11-17T14:09:40.000Z',
          apps: [{ appId: 'a1', appDisplayName: 'Microsoft Office', signIns: 2 }],
          ips: ['198.51.100.34', '192.0.2.77'],
          countries: ['US', 'NL'],
        },
      ],
    },
    alertsByDetection: { 'device-code-sign-in': 1, 'session-replay': 2, 'impossible-travel': 0 } as SignInSummary['alertsByDetection'],
    alertsBySeverity: { critical: 0, high: 2, medium: 1, low: 0, info: 0 },
    filters: { since: null, until: null, users: [] },
    ...overrides,
  };
}

test('sign-in section lists device-code users', () => {
  const section = signInSection(signIns({}));
  assert.match(section.summary[0]!, /cover 13 days from 2026-11-06T00:00:00\.000Z to 2026-11-19T00:00:00\.000Z: 3 sign-ins of 1 user in 1 file\./);
  assert.ok(section.summary.includes('Device-code sign-ins: 2 (1 user); blocked device-code attempts: 1.'));
  assert.ok(section.summary.some((line) => line.startsWith('Alerts: 2 high, 1 medium.')));
  assert.deepEqual(section.tables[0]!.rows[0], [
    'Kevin <b>Osei</b> (kevin@fixture.example)',
    '2',
    'Microsoft Office (2)',
    '198.51.100.34, 192.0.2.77',
    'US, NL',
    '2026-11-17T14:02:11.000Z',
    '2026-11-17T14:09:40.000Z',
  ]);
  assert.deepEqual(section.tables[1]!.rows, [
    ['session-replay', '2'],
    ['device-code-sign-in', '1'],
  ]);
});

test('sign-in section notes missing fields', () => {
  const cases: [string, Partial<SignInSummary>, RegExp][] = [
    ['no logs', { present: false }, /holds no sign-in logs/],
    ['no protocol field', { carriesAuthenticationProtocol: false }, /No sign-in carries authenticationProtocol/],
    ['missing beta fields', { missingBetaFields: ['sessionId'] }, /missing from every sign-in: sessionId\./],
    ['skipped records', { skippedRecords: 4 }, /4 records could not be read/],
  ];
  for (const [name, overrides, expected] of cases) {
    const section = signInSection(signIns(overrides));
    assert.ok(section.summary.some((line) => expected.test(line)), name);
  }
});
