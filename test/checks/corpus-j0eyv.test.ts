import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { conditionalAccessExclusionsAreReviewed } from '../../src/checks/conditional-access/conditional-access-exclusions-are-reviewed.js';
import { conditionalAccessPoliciesAreEnforced } from '../../src/checks/conditional-access/conditional-access-policies-are-enforced.js';
import { tokenProtectionPolicyIsEnabled } from '../../src/checks/device-compliance/token-protection-policy-is-enabled.js';
import { runChecks } from '../../src/checks/run.js';
import type { CheckResult } from '../../src/checks/types.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { corpusPath, corpusSkip } from '../helpers/shared.js';

// The j0eyv Conditional Access baseline: 34 policies exported one per UTF-16 file, as a
// technician would drop them into a snapshot folder. Expected values were read from the files.
describe('checks on the j0eyv baseline', { skip: corpusSkip }, () => {
  let dir = '';
  let results: CheckResult[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokengap-j0eyv-'));
    cpSync(corpusPath('j0eyv-ca-baseline', 'ConditionalAccess'), join(dir, 'conditionalAccessPolicies'), { recursive: true });
    cpSync(corpusPath('j0eyv-ca-baseline', 'NamedLocations'), join(dir, 'namedLocations'), { recursive: true });
    const snapshot = await loadSnapshot(dir);
    results = runChecks({ snapshot, engagement: null, now: new Date('2026-06-01T00:00:00Z') }, [
      conditionalAccessPoliciesAreEnforced,
      conditionalAccessExclusionsAreReviewed,
      tokenProtectionPolicyIsEnabled,
    ]);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lists the five report-only policies', () => {
    const result = results[0]!;
    assert.equal(result.state, 'warn');
    assert.deepEqual(
      result.findings.map((finding) => finding.data.policy).sort(),
      [
        'CA105-Admins-IdentityProtection-AnyApp-AnyPlatform-PhishingResistantMFA',
        'CA502-Agents-AttackSurfaceReduction-AllAgentIdentities-AllAgentResources-BLOCK',
        'CA503-Agents-BaseProtection-AllAgentUsers-RequireCompliantDevice',
        'CA504-Agents-IdentityProtection-AllAgentUsers-AllResources-BlockRiskyAgents',
        'CA505-Agents-AttackSurfaceReduction-AllAgentUsers-AllResources-RequireCompliantNetWork',
      ],
    );
    assert.ok(result.findings.every((finding) => finding.messageId === 'report-only-policy'));
  });

  it('says what the report-only admin policy would enforce', () => {
    const finding = results[0]!.findings.find((candidate) => String(candidate.data.policy).startsWith('CA105'));
    assert.match(String(finding?.data.enforces), /^require authentication strength "Phishing-resistant MFA"/);
  });

  it('names the excluded groups and locations', () => {
    const result = results[1]!;
    assert.equal(result.state, 'manual');
    const byPolicy = new Map(result.findings.map((finding) => [String(finding.data.policy), finding.data.exclusions as string[]]));
    assert.equal(byPolicy.size, 30);
    assert.deepEqual(byPolicy.get('CA002-Global-IdentityProtection-AnyApp-AnyPlatform-Block-LegacyAuthentication'), [
      'group 2802b872-ccfb-4b29-a9a9-459808dfb11b (groups not collected)',
      'group 8861a932-f1d1-4d1d-a5e6-cdce20fada27 (groups not collected)',
    ]);
    assert.ok(byPolicy.get('CA001-Global-AttackSurfaceReduction-AnyApp-AnyPlatform-BLOCK-CountryWhitelist')?.includes('location ALLOWED COUNTRIES'));
    assert.ok(byPolicy.get('CA207-Internals-AttackSurfaceReduction-SelectedApps-AnyPlatform-BLOCK')?.includes('resource Office 365'));
  });

  it('finds no token protection policy', () => {
    assert.equal(results[2]!.state, 'fail');
    assert.equal(results[2]!.findings[0]?.messageId, 'no-policy');
  });
});
