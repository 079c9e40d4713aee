import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createHash } from 'node:crypto';
import { after, describe, test } from 'node:test';

import { assessSnapshot } from '../../src/assess.js';
import type { CoverageSummary } from '../../src/conditional-access/summary.js';
import type { CheckResult } from '../../src/checks/types.js';
import type { AssessmentReport, ReportSection } from '../../src/report/schema.js';
import { corpusPath, corpusSkip } from '../helpers/shared.js';

/*
 * `assess` on snapshots built in temporary folders from the real public policy sets, copied as
 * they are (the j0eyv baseline keeps its UTF-16 files with byte-order marks and CRLF). Each
 * snapshot adds a small directory written here: a few users whose group memberships put them
 * inside or outside each policy's exclusions, so the expected gaps can be worked out by hand
 * from the policy files.
 */

const work = mkdtempSync(join(tmpdir(), 'tokengap-corpus-assess-'));
after(() => rmSync(work, { recursive: true, force: true }));

const NOW = new Date('2026-11-20T09:00:00Z');

interface TestUser {
  key: string;
  groups: string[];
}

/** Writes users, groups and groupMembers for the given users; each group lists its direct members. */
function writeDirectory(dir: string, users: TestUser[]): void {
  const userId = (key: string) => {
    const hex = createHash('sha256').update(key).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  const upn = (key: string) => `${key}@corpus-test.example`;
  writeFileSync(
    join(dir, 'users.json'),
    JSON.stringify({
      value: users.map((user) => ({ id: userId(user.key), displayName: user.key, userPrincipalName: upn(user.key), userType: 'Member', accountEnabled: true })),
    }),
  );
  const groupIds = [...new Set(users.flatMap((user) => user.groups))];
  writeFileSync(join(dir, 'groups.json'), JSON.stringify({ value: groupIds.map((id) => ({ id, displayName: `group ${id.slice(0, 8)}` })) }));
  const members: Record<string, unknown[]> = {};
  for (const id of groupIds) {
    members[id] = users
      .filter((user) => user.groups.includes(id))
      .map((user) => ({ '@odata.type': '#microsoft.graph.user', id: userId(user.key), userPrincipalName: upn(user.key) }));
  }
  writeFileSync(join(dir, 'groupMembers.json'), JSON.stringify(members));
}

function resultOf(report: AssessmentReport, checkId: string): CheckResult {
  const result = report.results.find((candidate) => candidate.checkId === checkId);
  assert.ok(result, `check ${checkId} ran`);
  return result;
}

/** Display names of the objects of one type that a check's findings name, sorted. */
function namedBy(report: AssessmentReport, checkId: string, type: string): string[] {
  const names = resultOf(report, checkId).findings.flatMap((finding) =>
    finding.objects.filter((object) => object.type === type).map((object) => (object.displayName ?? object.id).replace(/ \([^()]*\)$/, '')),
  );
  return [...new Set(names)].sort();
}

function coverageOf(report: AssessmentReport): CoverageSummary {
  const section = report.sections['coverage'] as ReportSection | undefined;
  assert.ok(section, 'the report has a coverage section');
  return section.data as CoverageSummary;
}

/** Example users of the gaps of one kind, by local part of the UPN, sorted. */
function usersWithGap(coverage: CoverageSummary, kind: string): string[] {
  const users = coverage.rows.filter((row) => row.kind === kind).map((row) => row.exampleUser.split('@')[0]!);
  return [...new Set(users)].sort();
}

describe('corpus policy sets', { skip: corpusSkip }, () => {
  test('j0eyv baseline blocks device code except one group', async () => {
    const dir = join(work, 'j0eyv');
    const policies = join(dir, 'conditionalAccessPolicies');
    mkdirSync(policies, { recursive: true });
    const source = corpusPath('j0eyv-ca-baseline', 'ConditionalAccess');
    for (const name of readdirSync(source)) copyFileSync(join(source, name), join(policies, basename(name)));
    // The baseline's named locations (allowed countries, compliant network) as a folder too.
    const locations = join(dir, 'namedLocations');
    mkdirSync(locations);
    const locationSource = corpusPath('j0eyv-ca-baseline', 'NamedLocations');
    for (const name of readdirSync(locationSource)) copyFileSync(join(locationSource, name), join(locations, basename(name)));
    // CA004 blocks deviceCodeFlow and authenticationTransfer for all users except groups 2802b872
    // (excluded from every policy: the break-glass group) and f389fc8e (CA004's own exclusion group).
    writeDirectory(dir, [
      { key: 'breakglass', groups: ['2802b872-ccfb-4b29-a9a9-459808dfb11b'] },
      { key: 'flowexception', groups: ['f389fc8e-3965-4ae0-aa53-87511ab05f2b'] },
      { key: 'plain', groups: [] },
    ]);

    const report = await assessSnapshot({ snapshotDir: dir, now: NOW });
    assert.equal(report.snapshot.resources.conditionalAccessPolicies?.status, 'collected');
    assert.equal(report.snapshot.resources.namedLocations?.status, 'collected');
    const coverage = coverageOf(report);
    assert.equal(coverage.policiesAnalysed > 0, true);

    // Only the CA004 exclusion group's member can use device code flow or authentication transfer.
    assert.deepEqual(usersWithGap(coverage, 'deviceCodeFlow'), ['flowexception']);
    assert.deepEqual(usersWithGap(coverage, 'authenticationTransfer'), ['flowexception']);
    // CA002 blocks exchangeActiveSync and other for everyone outside 2802b872 and 8861a932.
    assert.deepEqual(usersWithGap(coverage, 'legacyAuthentication'), []);
    // CA000 requires MFA for all users outside its excluded groups, which neither user is in.
    assert.deepEqual(usersWithGap(coverage, 'mfa'), []);
    // The member of 2802b872 is excluded from every policy: its gaps are listed apart, as a
    // suspected break-glass account, because no engagement file declares it.
    const breakGlassKinds = [...new Set(coverage.breakGlassRows.map((row) => `${row.kind}:${row.exampleUser.split('@')[0]}:${row.breakGlass}`))].sort();
    assert.deepEqual(breakGlassKinds, [
      'authenticationTransfer:breakglass:suspected',
      'compliantDevice:breakglass:suspected',
      'deviceCodeFlow:breakglass:suspected',
      'legacyAuthentication:breakglass:suspected',
      'mfa:breakglass:suspected',
    ]);

    // The device-code check fails for the excluded group's member and names CA004's exclusions.
    const deviceCode = resultOf(report, 'device-code-flow-is-blocked');
    assert.equal(deviceCode.state, 'fail');
    assert.deepEqual(namedBy(report, 'device-code-flow-is-blocked', 'user'), ['flowexception']);
    assert.ok(
      deviceCode.findings.some((finding) => finding.key === 'device-code-flow-is-blocked:1bf06972-bd5c-4d06-98ce-6b5bf5f1959f/exclusions'),
      'CA004 (id 1bf06972-...) is named for its exclusions',
    );
    // Each exported policy is one object in its own UTF-16 file, so the pointer is the whole file.
    const ca004 = deviceCode.findings.flatMap((finding) => finding.objects).find((object) => object.id === '1bf06972-bd5c-4d06-98ce-6b5bf5f1959f');
    assert.equal(ca004?.path, 'conditionalAccessPolicies/CA004-Global-IdentityProtection-AnyApp-AnyPlatform-AuthenticationFlows.json#');

    // Five policies of the baseline are report-only: CA105 and the four agent policies CA502 to CA505.
    assert.deepEqual(namedBy(report, 'conditional-access-policies-are-enforced', 'conditionalAccessPolicy'), [
      'CA105-Admins-IdentityProtection-AnyApp-AnyPlatform-PhishingResistantMFA',
      'CA502-Agents-AttackSurfaceReduction-AllAgentIdentities-AllAgentResources-BLOCK',
      'CA503-Agents-BaseProtection-AllAgentUsers-RequireCompliantDevice',
      'CA504-Agents-IdentityProtection-AllAgentUsers-AllResources-BlockRiskyAgents',
      'CA505-Agents-AttackSurfaceReduction-AllAgentUsers-AllResources-RequireCompliantNetWork',
    ]);

    const deviceCodeRow = coverage.rows.find((row) => row.kind === 'deviceCodeFlow' && row.exampleUser.startsWith('flowexception'));
    assert.ok(deviceCodeRow, 'a device-code gap for the excluded group member');
    assert.ok(
      deviceCodeRow.whyNotCovered.some((reason) => reason.startsWith('CA004-Global-IdentityProtection-AnyApp-AnyPlatform-AuthenticationFlows (enabled)')),
      `CA004 named as the policy that did not cover it: ${deviceCodeRow.whyNotCovered.join(' / ')}`,
    );
  });

  test('caOptics example blocks no device code flow', async () => {
    const dir = join(work, 'caoptics');
    mkdirSync(dir, { recursive: true });
    // A bare JSON array, as the caOptics demo data stores it.
    copyFileSync(corpusPath('caoptics', 'example1-2.json'), join(dir, 'conditionalAccessPolicies.json'));
    // "Baseline" requires MFA for all users except user 01ae6d6a and group a881d286; "Sales"
    // requires MFA for group d8cf7f8a. Neither policy has an authentication-flow condition.
    writeDirectory(dir, [
      { key: 'excludedonly', groups: ['a881d286-2b5c-417b-8d7e-c48b516aef83'] },
      { key: 'excludedsales', groups: ['a881d286-2b5c-417b-8d7e-c48b516aef83', 'd8cf7f8a-4ca9-472c-93ce-495841688445'] },
      { key: 'plain', groups: [] },
    ]);

    const report = await assessSnapshot({ snapshotDir: dir, now: NOW });
    const coverage = coverageOf(report);
    // Excluded from Baseline and not in Sales: no MFA at all. In Sales too: Sales requires MFA.
    assert.deepEqual(usersWithGap(coverage, 'mfa'), ['excludedonly']);
    // Nothing blocks device code flow, so every user class has the gap.
    assert.deepEqual(usersWithGap(coverage, 'deviceCodeFlow'), ['excludedonly', 'excludedsales', 'plain']);

    assert.equal(resultOf(report, 'mfa-required-for-all-users').state, 'fail');
    assert.deepEqual(namedBy(report, 'mfa-required-for-all-users', 'user'), ['excludedonly']);
    // A bare JSON array: pointers index the array itself. Baseline is the first policy.
    const baseline = resultOf(report, 'mfa-required-for-all-users').findings.flatMap((finding) => finding.objects).find((object) => object.displayName === 'Baseline');
    assert.equal(baseline?.path, 'conditionalAccessPolicies.json#/0');
    assert.deepEqual(namedBy(report, 'device-code-flow-is-blocked', 'user'), ['excludedonly', 'excludedsales', 'plain']);
    assert.equal(resultOf(report, 'conditional-access-policies-are-enforced').state, 'pass');
  });

  test('graph docs example policies are both disabled', async () => {
    const dir = join(work, 'graph-docs');
    mkdirSync(dir, { recursive: true });
    copyFileSync(corpusPath('graph-docs', 'v1.0_conditionalaccess-policies-list.json'), join(dir, 'conditionalAccessPolicies.json'));
    writeDirectory(dir, [{ key: 'plain', groups: [] }]);

    const report = await assessSnapshot({ snapshotDir: dir, now: NOW });
    const coverage = coverageOf(report);
    // SimplePolicy1 (block) and SimplePolicy2 (MFA) are disabled and target no user, so nothing applies.
    assert.deepEqual(usersWithGap(coverage, 'mfa'), ['plain']);
    assert.deepEqual(usersWithGap(coverage, 'deviceCodeFlow'), ['plain']);
    assert.deepEqual(usersWithGap(coverage, 'legacyAuthentication'), ['plain']);

    assert.equal(resultOf(report, 'conditional-access-policies-are-enforced').state, 'warn');
    assert.deepEqual(namedBy(report, 'conditional-access-policies-are-enforced', 'conditionalAccessPolicy'), ['SimplePolicy1', 'SimplePolicy2']);
    // The snapshot has no security defaults export, so that check is skipped, not failed.
    assert.equal(resultOf(report, 'security-defaults-and-conditional-access-do-not-conflict').skip?.reason, 'resource-not-collected');
  });
});
