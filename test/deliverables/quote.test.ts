import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadEngagement } from '../../src/engagement/load.js';
import { buildDeliverables } from '../../src/deliverables/model.js';
import { repoRoot } from '../helpers/shared.js';
import { tenantA } from './fixtures.js';

const generous = () => loadEngagement(join(repoRoot, 'examples', 'engagements', 'generous.yaml'));
const thin = () => loadEngagement(join(repoRoot, 'examples', 'engagements', 'thin.yaml'));

/*
 * Hand arithmetic for tenant A with tokengap's default estimates (base + per object x objects):
 *   register-admin-phishing-resistant-methods  3 admins: 1+0.75*3 = 3.25 to 2+1.5*3 = 6.5 h, technician
 *   block-device-code-flow                     1 group (policies are not counted): 1.5+0.25 = 1.75 to 3+0.5 = 3.5 h
 *   block-legacy-authentication                only a policy, so no objects: 1.5 to 3 h
 *   review-device-code-sign-ins                1 user: 0.5+0.5 = 1 to 1+1 = 2 h
 *   prepare-session-revocation-runbook         tenant-wide: 2 to 3 h
 */

test('thin contract quotes every line', async () => {
  const deliverables = buildDeliverables(tenantA(), await thin());
  const lines = deliverables.roadmap.lines.map((line) => [line.workItem.definition.id, line.hours, line.funding, line.billable]);
  assert.deepEqual(lines, [
    // technician 110/h: 3.25*110 = 357.5, 6.5*110 = 715
    ['register-admin-phishing-resistant-methods', { min: 3.25, max: 6.5 }, 'quote', { min: 357.5, max: 715 }],
    // engineer 175/h: 1.75*175 = 306.25, 3.5*175 = 612.5
    ['block-device-code-flow', { min: 1.75, max: 3.5 }, 'quote', { min: 306.25, max: 612.5 }],
    // 1.5*175 = 262.5, 3*175 = 525
    ['block-legacy-authentication', { min: 1.5, max: 3 }, 'quote', { min: 262.5, max: 525 }],
    // the 2-hour allowance covers 1 to 2 h, so nothing is billed
    ['review-device-code-sign-ins', { min: 1, max: 2 }, 'emergency-allowance', { min: 0, max: 0 }],
    // 2*175 = 350, 3*175 = 525
    ['prepare-session-revocation-runbook', { min: 2, max: 3 }, 'quote', { min: 350, max: 525 }],
  ]);
  // 357.5+306.25+262.5+0+350 = 1276.25; 715+612.5+525+0+525 = 2377.5
  assert.deepEqual(deliverables.roadmap.totals.billable, { min: 1276.25, max: 2377.5 });
  // 3.25+1.75+1.5+1+2 = 9.5; 6.5+3.5+3+2+3 = 18
  assert.deepEqual(deliverables.roadmap.totals.hours, { min: 9.5, max: 18 });
  assert.deepEqual(deliverables.roadmap.totals.includedHours, { min: 0, max: 0 });
  assert.deepEqual(deliverables.roadmap.totals.toConfirm, { min: 0, max: 0 });
  assert.deepEqual(deliverables.roadmap.totals.allowanceHours, { min: 1, max: 2 });
});

test('thin contract groups lines into projects', async () => {
  const deliverables = buildDeliverables(tenantA(), await thin());
  const projects = deliverables.roadmap.projects.map((project) => [project.project, project.hours, project.billable]);
  assert.deepEqual(projects, [
    ['identity-readiness-assessment', { min: 2, max: 3 }, { min: 350, max: 525 }],
    ['admin-phishing-resistant-mfa-rollout', { min: 3.25, max: 6.5 }, { min: 357.5, max: 715 }],
    // 1.75+1.5 = 3.25 h; 306.25+262.5 = 568.75; 3.5+3 = 6.5 h; 612.5+525 = 1137.5
    ['conditional-access-redesign', { min: 3.25, max: 6.5 }, { min: 568.75, max: 1137.5 }],
    ['monthly-sign-in-review-service', { min: 1, max: 2 }, { min: 0, max: 0 }],
  ]);
});

test('generous contract covers most lines', async () => {
  const deliverables = buildDeliverables(tenantA(), await generous());
  const lines = deliverables.roadmap.lines.map((line) => [line.workItem.definition.id, line.hours, line.funding, line.billable, line.workItem.estimateSource]);
  assert.deepEqual(lines, [
    // admin rollout is included: nothing billed
    ['register-admin-phishing-resistant-methods', { min: 3.25, max: 6.5 }, 'monthly-support', { min: 0, max: 0 }, 'tokengap'],
    // the MSP's own base of 1 to 2 h: 1+0.25 = 1.25 to 2+0.5 = 2.5 h; policy redesign is "maybe": 1.25*140 = 175, 2.5*140 = 350
    ['block-device-code-flow', { min: 1.25, max: 2.5 }, 'confirm-coverage', { min: 175, max: 350 }, 'engagement'],
    // 1.5*140 = 210, 3*140 = 420
    ['block-legacy-authentication', { min: 1.5, max: 3 }, 'confirm-coverage', { min: 210, max: 420 }, 'tokengap'],
    ['review-device-code-sign-ins', { min: 1, max: 2 }, 'monthly-support', { min: 0, max: 0 }, 'tokengap'],
    ['prepare-session-revocation-runbook', { min: 2, max: 3 }, 'monthly-support', { min: 0, max: 0 }, 'tokengap'],
  ]);
  // 175+210 = 385; 350+420 = 770, all of it to confirm against the contract
  assert.deepEqual(deliverables.roadmap.totals.billable, { min: 385, max: 770 });
  assert.deepEqual(deliverables.roadmap.totals.toConfirm, { min: 385, max: 770 });
  // 3.25+1+2 = 6.25; 6.5+2+3 = 11.5
  assert.deepEqual(deliverables.roadmap.totals.includedHours, { min: 6.25, max: 11.5 });
  // 3.25+1.25+1.5+1+2 = 9; 6.5+2.5+3+2+3 = 17
  assert.deepEqual(deliverables.roadmap.totals.hours, { min: 9, max: 17 });
});

test('license upgrade priced for admins', async () => {
  // P2 is missing (the PIM check was skipped for it). Thin: 3 admins named in the findings at 10/month = 30, 360 a year.
  const thinLicenses = buildDeliverables(tenantA(), await thin()).licenses;
  assert.deepEqual(
    thinLicenses.map((line) => [line.license, line.users, line.pricePerUser, line.monthly, line.annual]),
    [['entraIdP2', 3, 10, 30, 360]],
  );
  assert.match(thinLicenses[0]!.features, /Privileged Identity Management/);
  // Generous: client.adminCount 4 at 9/month = 36, 432 a year.
  const generousLicenses = buildDeliverables(tenantA(), await generous()).licenses;
  assert.deepEqual(
    generousLicenses.map((line) => [line.license, line.users, line.pricePerUser, line.monthly, line.annual]),
    [['entraIdP2', 4, 9, 36, 432]],
  );
});

test('scope tables differ between contracts', async () => {
  const thinScope = buildDeliverables(tenantA(), await thin()).scope;
  const generousScope = buildDeliverables(tenantA(), await generous()).scope;
  const row = (rows: typeof thinScope, id: string) => rows.find((candidate) => candidate.workItem.definition.id === id)!;

  assert.deepEqual(thinScope.map((scopeRow) => scopeRow.inclusion), ['yes', 'no', 'no', 'no', 'no', 'maybe', 'no', 'no']);
  assert.deepEqual(generousScope.map((scopeRow) => scopeRow.inclusion), ['yes', 'yes', 'yes', 'yes', 'maybe', 'yes', 'maybe', 'yes']);
  assert.deepEqual(
    thinScope.map((scopeRow) => scopeRow.betterScope),
    ['included-support', 'fixed-fee-assessment', 'hardening-project', 'capped-emergency-allowance', 'incident-response', 'included-support', 'hardening-project', 'roadmap-item'],
  );

  // Admin rollout for 3 admins: 4+1*3 = 7 to 8+1.5*3 = 12.5 h.
  assert.deepEqual(row(thinScope, 'admin-phishing-resistant-mfa-rollout').hours, { min: 7, max: 12.5 });
  assert.match(row(thinScope, 'admin-phishing-resistant-mfa-rollout').advice, /Quoted separately as a hardening project/);
  assert.match(row(generousScope, 'admin-phishing-resistant-mfa-rollout').advice, /Covered by monthly support, although it belongs in a hardening project/);
  assert.match(row(thinScope, 'session-revocation-one-user').advice, /2-hour emergency allowance per quarter.*USD 175\/h/);
  assert.match(row(generousScope, 'policy-redesign').advice, /unclear/);
});

test('effort grows with the objects named', async () => {
  const engagement = await thin();
  const oneAdmin = tenantA();
  const mfa = oneAdmin.results.find((result) => result.checkId === 'admins-have-phishing-resistant-methods')!;
  mfa.findings = mfa.findings.slice(0, 1);
  const line = buildDeliverables(oneAdmin, engagement).roadmap.lines.find((candidate) => candidate.workItem.definition.id === 'register-admin-phishing-resistant-methods')!;
  // 1 admin: 1+0.75 = 1.75 to 2+1.5 = 3.5 h, against 3.25 to 6.5 h for three.
  assert.deepEqual(line.hours, { min: 1.75, max: 3.5 });
});

test('engagement of another tenant rejected', async () => {
  const engagement = { ...(await thin()), client: { name: 'Other', tenantId: 'tenant-z' } };
  assert.throws(() => buildDeliverables(tenantA(), engagement), /engagement file is for tenant tenant-z/);
});
