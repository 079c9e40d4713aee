import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type * as Graph from '@microsoft/microsoft-graph-types';

import { analyzeCoverage, type CoverageReport, type GapKind } from '../../src/conditional-access/coverage.js';
import { summarizeCoverage } from '../../src/conditional-access/summary.js';
import { ROLE } from '../../src/entra/roles.js';
import { makeSnapshot, policy, user } from '../helpers/tenant.js';
import {
  alice,
  blockDeviceCode,
  blockLegacy,
  bob,
  breakGlass,
  carol,
  compliantDeviceForM365,
  EXCLUDE_BREAK_GLASS,
  guest,
  legacyExceptions,
  mfaForAll,
  phishingResistantAdmins,
  staff,
  tenant,
  withPolicy,
} from './baseline.js';

function analyze(policies: Graph.ConditionalAccessPolicy[], breakGlassAccounts: string[] = [breakGlass.userPrincipalName!], extra = {}): CoverageReport {
  return analyzeCoverage(makeSnapshot(tenant(policies, extra)), { breakGlassAccounts });
}

const kindsOf = (report: CoverageReport): GapKind[] => [...new Set(report.gaps.map((gap) => gap.kind))].sort();
const usersWith = (report: CoverageReport, kind: GapKind): string[] =>
  [...new Set(report.gaps.filter((gap) => gap.kind === kind).map((gap) => gap.example.user.displayName ?? ''))].sort();

describe('analyzeCoverage', () => {
  test('baseline tenant has no gaps for ordinary users', () => {
    const report = analyze(withPolicy(mfaForAll, mfaForAll));
    assert.deepEqual(kindsOf(report), []);
    assert.equal(report.usersAnalysed, 5);
    assert.equal(report.disabledUsersSkipped, 1);
  });

  test('declared break-glass exclusions are reported apart', () => {
    const report = analyze(withPolicy(mfaForAll, mfaForAll));
    const kinds = [...new Set(report.breakGlassGaps.map((gap) => gap.kind))].sort();
    assert.deepEqual(kinds, ['adminPhishingResistant', 'authenticationTransfer', 'compliantDevice', 'deviceCodeFlow', 'legacyAuthentication', 'mfa']);
    assert.ok(report.breakGlassGaps.every((gap) => gap.breakGlass === 'declared' && gap.example.user.id === breakGlass.id));
  });

  test('undeclared break-glass account is a suspected one', () => {
    const report = analyze(withPolicy(mfaForAll, mfaForAll), []);
    assert.ok(report.breakGlassGaps.length > 0);
    assert.ok(report.breakGlassGaps.every((gap) => gap.breakGlass === 'suspected'));
  });

  test('report-only MFA policy leaves a gap and is named as closing it', () => {
    const reportOnly = policy({ displayName: 'Require MFA for all users', state: 'enabledForReportingButNotEnforced', conditions: { users: EXCLUDE_BREAK_GLASS } });
    const report = analyze(withPolicy(mfaForAll, reportOnly));
    // Bob and Carol hold admin roles, so the phishing-resistant policy requires MFA of them.
    assert.deepEqual(usersWith(report, 'mfa'), ['Alice Member', 'Gus Guest']);
    const gap = report.gaps.find((entry) => entry.kind === 'mfa')!;
    assert.deepEqual(gap.reportOnlyWouldClose.map((entry) => entry.displayName), ['Require MFA for all users']);
    const candidate = gap.candidates.find((entry) => entry.id === reportOnly.id)!;
    assert.equal(candidate.applies, true);
    assert.equal(candidate.state, 'enabledForReportingButNotEnforced');
  });

  test('risk-scoped MFA policy does not count', () => {
    const risky = policy({ displayName: 'Require MFA for all users', conditions: { users: EXCLUDE_BREAK_GLASS, signInRiskLevels: ['high'] } });
    const report = analyze(withPolicy(mfaForAll, risky));
    const gap = report.gaps.find((entry) => entry.kind === 'mfa')!;
    assert.deepEqual(gap.candidates.find((entry) => entry.id === risky.id)?.reasons, ['signInRisk']);
  });

  test('MFA or terms of use is not MFA', () => {
    const either = policy({ displayName: 'Require MFA for all users', grantControls: { operator: 'OR', builtInControls: ['mfa'], termsOfUse: ['tou-1'] }, conditions: { users: EXCLUDE_BREAK_GLASS } });
    const report = analyze(withPolicy(mfaForAll, either));
    assert.deepEqual(usersWith(report, 'mfa'), ['Alice Member', 'Gus Guest']);
  });

  test('excluded group forms its own class with its size', () => {
    const excluded = policy({ displayName: 'Require MFA for all users', conditions: { users: { excludeUsers: [breakGlass.id!], excludeGroups: [staff.id!] } } });
    const report = analyze(withPolicy(mfaForAll, excluded));
    assert.deepEqual(usersWith(report, 'mfa'), ['Alice Member']);
    const gap = report.gaps.find((entry) => entry.kind === 'mfa' && entry.example.user.id === alice.id)!;
    assert.equal(gap.classSize, 1);
    assert.deepEqual(gap.candidates.find((entry) => entry.id === excluded.id)?.reasons, ['users']);
  });

  test('same memberships make one class', () => {
    const dave = user({ displayName: 'Dave Member' });
    const excluded = policy({ displayName: 'Require MFA for all users', conditions: { users: { excludeUsers: [breakGlass.id!], excludeGroups: [staff.id!] } } });
    const fragment = tenant(withPolicy(mfaForAll, excluded));
    fragment.users = [...fragment.users!, dave];
    fragment.groupMembers = { ...fragment.groupMembers, [staff.id!]: [...fragment.groupMembers![staff.id!]!, { '@odata.type': '#microsoft.graph.user', id: dave.id! }] };
    const report = analyzeCoverage(makeSnapshot(fragment), { breakGlassAccounts: [breakGlass.id!] });
    const gap = report.gaps.find((entry) => entry.kind === 'mfa' && entry.example.user.id === alice.id)!;
    assert.equal(gap.classSize, 2);
  });

  test('gaps that differ only by app are grouped', () => {
    const someApps = policy({
      displayName: 'Require MFA for all users',
      conditions: { users: EXCLUDE_BREAK_GLASS, applications: { includeApplications: ['All'], excludeApplications: ['00000002-0000-0ff1-ce00-000000000000', '00000003-0000-0ff1-ce00-000000000000'] } },
    });
    const report = analyze(withPolicy(mfaForAll, someApps));
    const aliceGaps = report.gaps.filter((entry) => entry.kind === 'mfa' && entry.example.user.id === alice.id);
    // Browser and desktop clients behave alike here, so one row lists both apps and both clients.
    assert.equal(aliceGaps.length, 1);
    assert.deepEqual(aliceGaps[0]!.apps.map((app) => app.appId).sort(), ['00000002-0000-0ff1-ce00-000000000000', '00000003-0000-0ff1-ce00-000000000000']);
    assert.deepEqual(aliceGaps[0]!.equivalentClientAppTypes, ['mobileAppsAndDesktopClients']);
  });

  test('one role of fifteen leaves the other admins uncovered', () => {
    const onlyGlobalAdmins = policy({
      displayName: 'Require phishing-resistant MFA for admins',
      conditions: { users: { includeUsers: [], includeRoles: [ROLE.globalAdministrator], ...EXCLUDE_BREAK_GLASS } },
      grantControls: { operator: 'OR', builtInControls: [], authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } as Graph.AuthenticationStrengthPolicy },
    });
    const report = analyze(withPolicy(phishingResistantAdmins, onlyGlobalAdmins));
    assert.deepEqual(usersWith(report, 'adminPhishingResistant'), ['Carol Exchange']);
  });

  test('MFA strength is not phishing-resistant', () => {
    const mfaStrength = policy({
      displayName: 'Require phishing-resistant MFA for admins',
      conditions: { users: { includeUsers: [], includeRoles: [ROLE.globalAdministrator, ROLE.exchangeAdministrator], ...EXCLUDE_BREAK_GLASS } },
      grantControls: { operator: 'OR', builtInControls: [], authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' } as Graph.AuthenticationStrengthPolicy },
    });
    const report = analyze(withPolicy(phishingResistantAdmins, mfaStrength));
    assert.deepEqual(usersWith(report, 'adminPhishingResistant'), ['Bob Admin', 'Carol Exchange']);
    assert.deepEqual(usersWith(report, 'mfa'), []);
  });

  test('legacy block without other leaves other clients open', () => {
    const easOnly = policy({ displayName: 'Block legacy authentication', conditions: { users: EXCLUDE_BREAK_GLASS, clientAppTypes: ['exchangeActiveSync'] }, grantControls: { operator: 'OR', builtInControls: ['block'] } });
    const report = analyze(withPolicy(blockLegacy, easOnly));
    const clients = [...new Set(report.gaps.filter((gap) => gap.kind === 'legacyAuthentication').map((gap) => gap.example.clientAppType))];
    assert.deepEqual(clients, ['other']);
  });

  test('legacy block excluding a group names that group class', () => {
    const exception = policy({ displayName: 'Block legacy authentication', conditions: { users: { excludeUsers: [breakGlass.id!], excludeGroups: [legacyExceptions.id!] }, clientAppTypes: ['exchangeActiveSync', 'other'] }, grantControls: { operator: 'OR', builtInControls: ['block'] } });
    const report = analyze(withPolicy(blockLegacy, exception));
    assert.deepEqual(usersWith(report, 'legacyAuthentication'), ['Carol Exchange']);
  });

  test('device code block for one group leaves the others', () => {
    const oneGroup = policy({ displayName: 'Block device code flow', conditions: { users: { includeUsers: [], includeGroups: [staff.id!] }, authenticationFlows: { transferMethods: 'deviceCodeFlow' } }, grantControls: { operator: 'OR', builtInControls: ['block'] } });
    const report = analyze(withPolicy(blockDeviceCode, oneGroup));
    assert.deepEqual(usersWith(report, 'deviceCodeFlow'), ['Bob Admin', 'Gus Guest']);
    assert.deepEqual(usersWith(report, 'authenticationTransfer'), []);
  });

  test('platform-scoped device requirement leaves other platforms', () => {
    const windowsOnly = policy({
      displayName: 'Require compliant or hybrid-joined device for Microsoft 365 and admin portals',
      conditions: { users: EXCLUDE_BREAK_GLASS, applications: { includeApplications: ['Office365', 'MicrosoftAdminPortals'] }, platforms: { includePlatforms: ['windows'], excludePlatforms: [] } },
      grantControls: { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] },
    });
    const report = analyze(withPolicy(compliantDeviceForM365, windowsOnly));
    const gap = report.gaps.find((entry) => entry.kind === 'compliantDevice' && entry.example.user.id === alice.id)!;
    assert.notEqual(gap.example.platform, 'windows');
    assert.ok(!gap.equivalentPlatforms.includes('windows'));
    assert.deepEqual(gap.candidates.find((entry) => entry.id === windowsOnly.id)?.reasons, ['devicePlatform']);
  });

  test('disabled policy that would close a gap is named', () => {
    const disabled = policy({ displayName: 'Block device code flow', state: 'disabled', conditions: { users: EXCLUDE_BREAK_GLASS, authenticationFlows: { transferMethods: 'deviceCodeFlow' } }, grantControls: { operator: 'OR', builtInControls: ['block'] } });
    const report = analyze(withPolicy(blockDeviceCode, disabled));
    const gap = report.gaps.find((entry) => entry.kind === 'deviceCodeFlow')!;
    assert.deepEqual(gap.candidates.map((entry) => [entry.displayName, entry.reasons]), [['Block device code flow', ['policyNotEnabled']]]);
  });

  test('guests are a class of their own', () => {
    const membersOnly = policy({ displayName: 'Require MFA for all users', conditions: { users: { ...EXCLUDE_BREAK_GLASS, excludeUsers: [breakGlass.id!, 'GuestsOrExternalUsers'] } } });
    const report = analyze(withPolicy(mfaForAll, membersOnly));
    assert.deepEqual(usersWith(report, 'mfa'), [guest.displayName]);
  });

  test('summary gives plain rows per kind', () => {
    const report = analyze(withPolicy(blockDeviceCode, null));
    const summary = summarizeCoverage(report);
    const deviceCode = summary.kinds.find((entry) => entry.kind === 'deviceCodeFlow')!;
    assert.equal(deviceCode.affectedUsers, 4);
    assert.ok(summary.rows.every((row) => typeof row.exampleUser === 'string' && Array.isArray(row.whyNotCovered)));
    assert.ok(summary.rows.some((row) => row.kind === 'deviceCodeFlow' && row.flow === 'deviceCodeFlow'));
    assert.equal(summary.rows.find((row) => row.kind === 'deviceCodeFlow')!.whyNotCovered.length, 0);
    assert.ok(!summary.rows.some((row) => row.exampleUser === breakGlass.userPrincipalName));
    assert.deepEqual(bob.id !== undefined && carol.id !== undefined, true);
  });

  test('gap limit keeps counts of affected users', () => {
    const snapshot = makeSnapshot(tenant(withPolicy(blockDeviceCode, null)));
    const full = analyzeCoverage(snapshot, { breakGlassAccounts: [breakGlass.id!] });
    const rows = [...full.gaps, ...full.breakGlassGaps].filter((gap) => gap.kind === 'deviceCodeFlow').length;
    const report = analyzeCoverage(snapshot, { breakGlassAccounts: [breakGlass.id!], maxGapsPerKind: 1 });
    assert.equal([...report.gaps, ...report.breakGlassGaps].filter((gap) => gap.kind === 'deviceCodeFlow').length, 1);
    assert.equal(report.truncated.deviceCodeFlow, rows - 1);
    assert.deepEqual(report.affected.deviceCodeFlow, { users: 4, classes: 4 });
  });

  test('users not collected is a stated limitation', () => {
    const fragment = tenant();
    delete fragment.users;
    const report = analyzeCoverage(makeSnapshot(fragment), { breakGlassAccounts: [] });
    assert.equal(report.gaps.length, 0);
    assert.match(report.limitations.join(' '), /Users were not collected/);
  });

  test('group members not collected is a stated limitation', () => {
    const excluded = policy({ displayName: 'Require MFA for all users', conditions: { users: { excludeGroups: [staff.id!] } } });
    const fragment = tenant(withPolicy(mfaForAll, excluded));
    delete fragment.groupMembers;
    const report = analyzeCoverage(makeSnapshot(fragment), { breakGlassAccounts: [] });
    assert.equal(report.limitations.length, 1);
  });
});
