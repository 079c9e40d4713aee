import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadEngagement } from '../../src/engagement/load.js';
import { buildDeliverables } from '../../src/deliverables/model.js';
import type { ClientMessage } from '../../src/deliverables/message.js';
import { COMPROMISE_METADATA, compromiseResult } from '../../src/report/compromise.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { attentionCounts } from '../../src/report/summary.js';
import type { Alert } from '../../src/signins/detections/types.js';
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
  // Regression: "we will ask each of them" was written for one person.
  assert.match(text, /with Dee Evans\. This is not proof of a break-in; we will ask them before taking any action\./);
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

const kevin = { type: 'user', id: 'u-kevin', displayName: 'Kevin Osei' };

/** Builds a report whose sign-in logs show Kevin's session used from two countries. */
function compromisedReport() {
  const report = makeReport([
    {
      checkId: 'no-device-code-sign-ins',
      area: 'sign-in-review',
      state: 'fail',
      severity: 'high',
      summary: 'Kevin Osei signed in with device code flow',
      findings: [{ objects: [kevin], clientText: 'kevin.osei@contoso.example signed in with a device code; please confirm it was them.' }],
    },
    {
      checkId: 'device-code-flow-blocked',
      area: 'device-code-flow',
      state: 'fail',
      severity: 'high',
      findings: [{ objects: [group('grp-rooms', 'Conference Rooms')], clientText: 'Device code sign-in is allowed for Conference Rooms.' }],
    },
  ]);
  const alert = (detection: Alert['detection'], country: string): Alert => ({
    detection,
    severity: 'high',
    user: 'kevin.osei@contoso.example',
    userId: 'u-kevin',
    time: '2026-09-10T14:02:11Z',
    events: [{ id: `e-${country}`, time: '2026-09-10T14:02:11Z', ip: null, country, asn: null, app: null, appId: null, protocol: null, result: 0 }],
    eventCount: 1,
    reason: `used from ${country}`,
  });
  const result = compromiseResult([alert('session-replay', 'US'), alert('device-code-then-new-location', 'NL'), { ...alert('suspicious-user-agent', 'US'), user: 'other@contoso.example', userId: 'u-other' }])!;
  report.results.push(result);
  report.checks[COMPROMISE_METADATA.id] = COMPROMISE_METADATA;
  return report;
}

test('probable compromise is urgent in the message and the roadmap', async () => {
  // Regression: a session replay was played down as "please confirm it was them".
  const deliverables = buildDeliverables(compromisedReport(), await thin());
  const urgent = deliverables.message.paragraphs.find((paragraph) => paragraph.heading === 'Urgent: probably stolen session');
  assert.deepEqual(urgent?.items, [
    'The sign-in session of kevin.osei@contoso.example was probably stolen: the same sign-in session was used from two places; a sign-in with a one-time code was followed by use from another network (United States and Netherlands). We recommend revoking this user\'s sessions now.',
  ]);
  const text = sentences(deliverables.message).join('\n');
  assert.match(text, /We recommend revoking now; Jo Lindqvist can do this today as soon as you agree\./);
  // The device-code lead is part of the incident, not something to confirm with Kevin.
  assert.doesNotMatch(text, /not proof of a break-in/);
  assert.doesNotMatch(text, /please confirm it was them/);
  assert.match(text, /Kevin Osei signed in with device code flow: part of the stolen session above/);
  // The suspicious user agent of another user is a lead, not a compromise.
  assert.doesNotMatch(text, /other@contoso\.example/);

  const line = deliverables.roadmap.lines.find((candidate) => candidate.workItem.definition.id === 'revoke-compromised-session');
  assert.equal(line?.workItem.definition.title, 'Token/session revocation for one compromised user');
  assert.equal(line?.project, 'incident-response');
  assert.equal(line?.workItem.definition.betterScope, 'capped-emergency-allowance');
  // thin.yaml has a 2-hour emergency allowance: one user's revocation (1 to 2 h) draws on it.
  assert.equal(line?.funding, 'emergency-allowance');
  assert.deepEqual(line?.hours, { min: 1, max: 2 });
  assert.equal(deliverables.roadmap.projects[0]?.project, 'incident-response');
});

test('probable compromise tops the report summary', async () => {
  // Regression: the report showed the alerts only as detection ids.
  const markdown = renderMarkdown(compromisedReport());
  assert.match(markdown, /## Summary\n\n\*\*Probable compromise: revoke now\.\*\* The sign-in session of kevin\.osei@contoso\.example was probably stolen/);
  const html = renderHtml(compromisedReport());
  assert.match(html, /<div class="urgent" role="alert"><p><strong>Probable compromise: revoke now\.<\/strong><\/p><ul><li>The sign-in session of kevin\.osei@contoso\.example was probably stolen/);
});

test('names left out of the evidence are counted', async () => {
  // Regression: "and 1 more" when the check counted 12 accounts and named 5; the roadmap
  // priced the runbook for 5.
  const names = ['Amira Haddad', 'Ben Carter', 'Daniel Brooks', 'Fatima Zahra', 'Kevin Osei'];
  const report = makeReport([
    {
      checkId: 'synced-users-have-an-on-premises-revocation-step',
      area: 'session-revocation',
      state: 'warn',
      findings: [{ objects: names.map((name, i) => ({ type: 'user', id: `u-${i}`, displayName: name })), clientText: '12 of your accounts come from your own servers.' }],
    },
  ]);
  report.results[0]!.findings[0]!.data = { count: 12 };
  const deliverables = buildDeliverables(report, await thin());
  const gaps = deliverables.message.paragraphs.find((paragraph) => paragraph.heading?.startsWith('What needs attention'))!;
  assert.deepEqual(gaps.items, ['12 of your accounts come from your own servers. Accounts and groups: Amira Haddad, Ben Carter, Daniel Brooks, Fatima Zahra and 8 more.']);
  const runbook = deliverables.roadmap.lines.find((line) => line.workItem.definition.id === 'prepare-session-revocation-runbook')!;
  assert.equal(runbook.units, 12);
  // 2 to 3 h base plus 0.25 to 0.5 h for each of the 12 accounts.
  assert.deepEqual(runbook.hours, { min: 5, max: 9 });
});

test('counts in the message agree with the report summary', async () => {
  // Regression: "What needs attention (18)" and "8 of these gaps" against 16 high findings.
  const report = compromisedReport();
  const deliverables = buildDeliverables(report, await thin());
  const gaps = deliverables.message.paragraphs.find((paragraph) => paragraph.heading?.startsWith('What needs attention'))!;
  const { checks, severe } = attentionCounts(report.results);
  assert.equal(gaps.heading, `What needs attention (${gaps.items!.length} gaps)`);
  assert.equal(gaps.text, `Our report finds that ${checks} of the ${report.results.length} checks need attention, ${severe} of them rated high or critical; besides the 2 gaps below, that count includes the stolen session above.`);
  assert.match(renderMarkdown(report), new RegExp(`${report.results.length} checks ran; ${checks} need attention \\(failed, warned or need a person\\), ${severe} of them rated high or critical`));
});

test('accepted finding is not listed as needing attention', async () => {
  // Regression: the accepted legacy-authentication risk also showed under "What needs attention".
  const report = makeReport([
    {
      checkId: 'legacy-authentication-is-blocked',
      area: 'conditional-access',
      state: 'fail',
      severity: 'high',
      findings: [
        { key: 'legacy-authentication-is-blocked:u-scanner', objects: [{ type: 'user', id: 'u-scanner', displayName: 'Scanner' }], clientText: 'Scanner can sign in through old protocols.' },
        { key: 'legacy-authentication-is-blocked:pol-ca04/exclusions', objects: [policy('pol-ca04', 'CA04')], clientText: 'CA04 has exceptions that are not emergency accounts.' },
      ],
    },
  ]);
  const engagement = await thin();
  engagement.acceptedRisks = [{ findingKey: 'legacy-authentication-is-blocked:u-scanner', reason: 'copier', approver: 'Owner', acceptedOn: '2026-09-01', reviewBy: '2027-03-31' }];
  const message = buildDeliverables(report, engagement).message;
  const gaps = message.paragraphs.find((paragraph) => paragraph.heading?.startsWith('What needs attention'))!;
  assert.deepEqual(gaps.items, ['CA04 has exceptions that are not emergency accounts. (This is apart from the risk you accepted, listed below.)']);
  const accepted = message.paragraphs.find((paragraph) => paragraph.heading === 'Risks you accepted')!;
  assert.deepEqual(accepted.items, ['Scanner can sign in through old protocols: accepted by Owner until 2027-03-31.']);
});

test('in good shape uses the client text, not the check title', async () => {
  // Regression: raw check titles such as "... not both and not neither" reached the client.
  const report = makeReport([{ checkId: 'security-defaults-and-conditional-access-do-not-conflict', area: 'conditional-access', state: 'pass', title: 'Either security defaults or Conditional Access protects sign-ins, not both and not neither' }]);
  report.checks['security-defaults-and-conditional-access-do-not-conflict']!.clientText = 'We checked that one clear set of sign-in protections is switched on.';
  const good = buildDeliverables(report, await thin()).message.paragraphs.find((paragraph) => paragraph.heading === 'In good shape');
  assert.deepEqual(good?.items, ['We checked that one clear set of sign-in protections is switched on.']);
});

test('coverage class members are counted', async () => {
  // Regression: "dana and 1 similar accounts" left the second admin out of the count.
  const report = makeReport([
    {
      checkId: 'admin-roles-require-phishing-resistant-mfa',
      area: 'mfa-strength',
      state: 'fail',
      severity: 'high',
      findings: [{ objects: [{ type: 'user', id: 'u-dana', displayName: 'Dana Whitfield' }], clientText: 'The administrator Dana Whitfield and 1 similar account can use relayable methods.' }],
    },
  ]);
  report.results[0]!.findings[0]!.data = { classSize: 2, others: 1 };
  const deliverables = buildDeliverables(report, await thin());
  const line = deliverables.roadmap.lines.find((candidate) => candidate.checkIds.includes('admin-roles-require-phishing-resistant-mfa'))!;
  assert.equal(line.units, 2);
});
