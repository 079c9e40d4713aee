import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadEngagement } from '../../src/engagement/load.js';
import { buildDeliverables } from '../../src/deliverables/model.js';
import type { ClientMessage } from '../../src/deliverables/message.js';
import { repoRoot } from '../helpers/shared.js';
import { DEMO_TENANT_ID, group, makeReport, policy, tenantA, tenantB } from './fixtures.js';
// The example engagement files carry the demo's tenant id, so every fixture report here uses it.

const thin = () => loadEngagement(join(repoRoot, 'examples', 'engagements', 'thin.yaml'));

function sentences(message: ClientMessage): string[] {
  return message.paragraphs.flatMap((paragraph) => [paragraph.text, ...(paragraph.items ?? [])]).filter((text): text is string => text !== undefined);
}

test('message names tenant A admins and policies', async () => {
  const message = buildDeliverables(tenantA(), await thin()).message;
  const text = sentences(message).join('\n');
  for (const name of ['Alex Wilber', 'Bianca Pisani', 'Chen Wu', 'Conference Rooms', 'Block legacy auth', 'Dee Evans']) {
    assert.ok(text.includes(name), `expected the message to name ${name}`);
  }
  assert.match(text, /On 2026-09-15 we reviewed/);
  assert.match(text, /Decide whether to buy Microsoft Entra ID P2, USD 30 per month for 3 users/);
  assert.match(text, /not proof of a break-in/);
  assert.match(text, /Alex Wilber signs in as an admin with push or SMS only\. The same applies to Bianca Pisani and Chen Wu\./);
  assert.match(text, /Approve the project "Admin phishing-resistant MFA rollout" \(3\.25 to 6\.5 h, estimated USD 357\.50 to USD 715\)/);
  assert.match(text, /"Monthly sign-in review service" \(1 to 2 h, covered by the emergency-response allowance\)/);
  assert.doesNotMatch(text, /Legacy Scanners/);
});

test('message names tenant B admins and groups', async () => {
  const message = buildDeliverables(tenantB(), await thin()).message;
  const text = sentences(message).join('\n');
  assert.match(text, /Five people hold Global Administrator\. Accounts and groups: Ana Admin, Ben Admin, Cleo Admin, Dmitri Admin and 1 more\./);
  assert.match(text, /Legacy Scanners/);
  assert.match(text, /On 2026-10-01 we reviewed/);
  assert.doesNotMatch(text, /Alex Wilber|Conference Rooms|Dee Evans/);
  assert.doesNotMatch(text, /break-in/);
});

test('no paragraph repeats across tenants', async () => {
  const engagement = await thin();
  const first = new Set(sentences(buildDeliverables(tenantA(), engagement).message));
  const second = sentences(buildDeliverables(tenantB(), engagement).message);
  const shared = second.filter((sentence) => first.has(sentence));
  assert.deepEqual(shared, []);
});

test('message lists what passed', async () => {
  const message = buildDeliverables(tenantB(), await thin()).message;
  const good = message.paragraphs.find((paragraph) => paragraph.heading === 'In good shape');
  assert.deepEqual(good?.items, ['Admins have a phishing-resistant method registered', 'Device code flow is blocked for all users']);
});

test('client decisions listed once', async () => {
  const report = makeReport([
    {
      checkId: 'user-reporting-channel-named',
      area: 'client-responsibilities',
      state: 'manual',
      title: 'Users have a named channel to report suspicious sign-in prompts',
      findings: [{ key: 'user-reporting-channel-named', objects: [], clientText: 'Name where staff report a suspicious sign-in prompt.' }],
    },
    {
      checkId: 'device-code-flow-blocked',
      area: 'device-code-flow',
      state: 'fail',
      severity: 'high',
      findings: [{ objects: [group('grp-rooms', 'Conference Rooms'), policy('pol-dcf', 'Block device code flow'), policy('pol-geo', 'Block other countries')], clientText: 'The policy "Block device code flow" leaves out the group Conference Rooms.' }],
    },
  ]);
  const message = buildDeliverables(report, await thin()).message;
  const gaps = message.paragraphs.find((paragraph) => paragraph.heading?.startsWith('What needs attention'))!;
  const decisions = message.paragraphs.find((paragraph) => paragraph.heading === 'What we need you to decide')!;
  assert.deepEqual(gaps.items, ['The policy "Block device code flow" leaves out the group Conference Rooms.']);
  assert.ok(decisions.items!.includes('Name where staff report a suspicious sign-in prompt.'));
});

test('clean tenant gets a short message', async () => {
  const report = makeReport(
    [
      { checkId: 'device-code-flow-blocked', area: 'device-code-flow', state: 'pass', severity: 'high', title: 'Device code flow is blocked for all users' },
      { checkId: 'mfa-required-for-all-users', area: 'conditional-access', state: 'pass', severity: 'high', title: 'MFA is required for all users on all resources' },
    ],
    { id: DEMO_TENANT_ID, name: 'Tailspin' },
    '2026-11-02T08:00:00Z',
  );
  const message = buildDeliverables(report, await thin()).message;
  const text = sentences(message);
  assert.ok(text.includes('We found no open gap in the 2 checks we ran.'));
  assert.equal(message.paragraphs.find((paragraph) => paragraph.heading === 'What we need you to decide'), undefined);
  assert.equal(text.at(-1), 'Nothing needs a decision now; we will run the same 2 checks again before the next review.');
});
