import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadEngagement } from '../../src/engagement/load.js';
import { buildDeliverables } from '../../src/deliverables/model.js';
import { compromiseResult } from '../../src/report/compromise.js';
import { repoRoot } from '../helpers/shared.js';
import { tenantA } from './fixtures.js';

test('QBR rows for tenant A under the thin contract', async () => {
  const qbr = buildDeliverables(tenantA(), await loadEngagement(join(repoRoot, 'examples', 'engagements', 'thin.yaml'))).qbr;
  const row = (area: string) => qbr.find((candidate) => candidate.area === area)!;

  assert.equal(qbr.length, 9);

  const deviceCode = row('device-code-flow');
  assert.match(deviceCode.currentState, /^0 of 1 check passes\. Device code flow is blocked for all users: /);
  assert.equal(deviceCode.risk, 'High: a device-code phishing message hands an attacker a working token.');
  assert.equal(deviceCode.decision, 'Approve: Block device code flow and authentication transfer.');
  // 1.75 to 3.5 h at 175 = 306.25 to 612.5, plus Entra ID P1, which the tenant already has.
  assert.equal(deviceCode.budget, 'USD 306.25 to USD 612.50 one-off');

  const conditionalAccess = row('conditional-access');
  assert.match(conditionalAccess.currentState, /^1 of 2 checks pass\./);
  assert.equal(conditionalAccess.risk, 'Medium: a stolen password or token works without MFA from anywhere.');

  const privileged = row('privileged-access');
  assert.equal(privileged.currentState, '0 of 1 check passes. Not checked: Admin roles are eligible through PIM (license missing).');
  assert.equal(privileged.risk, 'Low: no open gap in this area.');

  const licensing = row('licensing');
  assert.equal(licensing.currentState, 'Not assessed.');
  assert.equal(licensing.decision, 'Decide whether to buy Microsoft Entra ID P2.');
  // 3 admins at 10 per month
  assert.equal(licensing.budget, 'Microsoft Entra ID P2: USD 30 per month');

  const signIns = row('sign-in-review');
  // The 2-hour quarterly allowance covers the 1 to 2 h of investigation.
  assert.equal(signIns.budget, 'Covered by the contract');
});

test('QBR names a detected compromise instead of the risk of missing one', async () => {
  // Regression: the QBR stated "a token replayed from another country goes unnoticed" for a
  // replay the review had detected.
  const report = tenantA();
  report.results.push(
    compromiseResult([
      {
        detection: 'session-replay',
        severity: 'high',
        user: 'dee.evans@contoso.example',
        userId: 'u-dee',
        time: '2026-09-10T10:00:00Z',
        events: [],
        eventCount: 2,
        reason: 'session used from US and NL',
      },
    ])!,
  );
  const signIns = buildDeliverables(report, await loadEngagement(join(repoRoot, 'examples', 'engagements', 'thin.yaml'))).qbr.find((row) => row.area === 'sign-in-review')!;
  assert.equal(signIns.risk, 'High: a session was probably stolen (dee.evans@contoso.example) and stays usable until it is revoked.');
});
