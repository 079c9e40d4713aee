import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { conditionalAccessExclusionsAreReviewed } from '../../src/checks/conditional-access/conditional-access-exclusions-are-reviewed.js';
import { conditionalAccessPoliciesAreEnforced } from '../../src/checks/conditional-access/conditional-access-policies-are-enforced.js';
import { runChecks } from '../../src/checks/run.js';
import type { CheckResult } from '../../src/checks/types.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { corpusPath, corpusSkip } from '../helpers/shared.js';

// caOptics' policies2.json is a bare array of three Graph v1.0 policies; namedLocations.json names
// the location they use. Expected values were read from the two files.
describe('checks on the caOptics policies2 set', { skip: corpusSkip }, () => {
  let dir = '';
  let results: CheckResult[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tokengap-caoptics-'));
    copyFileSync(corpusPath('caoptics', 'policies2.json'), join(dir, 'conditionalAccessPolicies.json'));
    copyFileSync(corpusPath('caoptics', 'namedLocations.json'), join(dir, 'namedLocations.json'));
    const snapshot = await loadSnapshot(dir);
    results = runChecks({ snapshot, engagement: null, now: new Date('2026-06-01T00:00:00Z') }, [conditionalAccessPoliciesAreEnforced, conditionalAccessExclusionsAreReviewed]);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds every policy enabled', () => {
    assert.equal(results[0]!.state, 'pass');
  });

  it('names the excluded location and the guest keyword', () => {
    const result = results[1]!;
    assert.equal(result.state, 'manual');
    const byPolicy = Object.fromEntries(result.findings.map((finding) => [finding.data.policy, finding.data.exclusions]));
    assert.deepEqual(byPolicy, {
      baseline: ['location finland'],
      'WindowsPhone All': ['user all guests and external users'],
    });
  });
});
