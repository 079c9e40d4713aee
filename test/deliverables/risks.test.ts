import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseEngagement } from '../../src/engagement/load.js';
import { buildDeliverables } from '../../src/deliverables/model.js';
import { tenantA } from './fixtures.js';

/** Engagement with one accepted risk; tenant A is assessed on 2026-09-15. */
function withRisk(risk: string) {
  return parseEngagement(`version: 2\nclient:\n  name: Contoso\nrates:\n  technician: 100\n  engineer: 100\nacceptedRisks:\n${risk}`, 'risk.yaml');
}

const deviceCodeRisk = (extra: string, reviewBy = '2026-12-31') =>
  `  - findingKey: device-code-flow-blocked:grp-rooms\n    reason: Room devices\n    approver: Lena Ortiz\n    acceptedOn: 2026-04-01\n    reviewBy: ${reviewBy}\n${extra}`;

interface RiskCase {
  name: string;
  risk: string;
  status: string;
  /** Work items expected on the roadmap, in order. */
  workItems: string[];
  suppressed: string[];
  note?: RegExp;
}

const allItems = [
  'register-admin-phishing-resistant-methods',
  'block-device-code-flow',
  'block-legacy-authentication',
  'review-device-code-sign-ins',
  'prepare-session-revocation-runbook',
];

const cases: RiskCase[] = [
  {
    name: 'current acceptance suppresses its finding',
    risk: deviceCodeRisk('    evidence:\n      objectCount: 2\n'),
    status: 'accepted',
    workItems: allItems.filter((item) => item !== 'block-device-code-flow'),
    suppressed: ['device-code-flow-blocked:grp-rooms'],
  },
  {
    name: 'overdue acceptance annotates',
    risk: deviceCodeRisk('', '2026-09-01'),
    status: 'review-overdue',
    workItems: allItems,
    suppressed: [],
    note: /review date 2026-09-01 has passed/,
  },
  {
    name: 'grown evidence annotates',
    risk: deviceCodeRisk('    evidence:\n      objectCount: 1\n'),
    status: 'evidence-grew',
    workItems: allItems,
    suppressed: [],
    note: /for 1 object; it now names 2/, // plural, not "object(s)"
  },
  {
    name: 'new object id annotates',
    risk: deviceCodeRisk('    evidence:\n      objectCount: 2\n      objectIds: [grp-rooms, pol-old]\n'),
    status: 'evidence-grew',
    workItems: allItems,
    suppressed: [],
    note: /now names 2/,
  },
  {
    name: 'unknown key changes nothing',
    risk: deviceCodeRisk('').replace('grp-rooms', 'grp-gone'),
    status: 'not-found',
    workItems: allItems,
    suppressed: [],
  },
];

for (const riskCase of cases) {
  test(riskCase.name, () => {
    const deliverables = buildDeliverables(tenantA(), withRisk(riskCase.risk));
    assert.equal(deliverables.risks.length, 1);
    assert.equal(deliverables.risks[0]!.status, riskCase.status);
    assert.deepEqual(deliverables.roadmap.lines.map((line) => line.workItem.definition.id), riskCase.workItems);
    assert.deepEqual(deliverables.roadmap.suppressedKeys, riskCase.suppressed);
    const deviceCodeLine = deliverables.roadmap.lines.find((line) => line.workItem.definition.id === 'block-device-code-flow');
    if (riskCase.note) assert.match(deviceCodeLine?.notes.join(' ') ?? '', riskCase.note);
    else if (deviceCodeLine) assert.deepEqual(deviceCodeLine.notes, []);
  });
}

test('new object ids are listed', () => {
  const deliverables = buildDeliverables(tenantA(), withRisk(deviceCodeRisk('    evidence:\n      objectCount: 2\n      objectIds: [grp-rooms, pol-old]\n')));
  assert.deepEqual(deliverables.risks[0]!.newObjects.map((object) => object.id), ['pol-dcf']);
});

test('accepting one admin leaves the others', () => {
  const risk = '  - findingKey: admins-have-phishing-resistant-methods:u-bianca\n    reason: Leaves in October\n    approver: Lena Ortiz\n    acceptedOn: 2026-09-01\n    reviewBy: 2026-10-31\n';
  const deliverables = buildDeliverables(tenantA(), withRisk(risk));
  const line = deliverables.roadmap.lines.find((candidate) => candidate.workItem.definition.id === 'register-admin-phishing-resistant-methods')!;
  assert.deepEqual(line.objects.map((object) => object.id), ['u-alex', 'u-chen']);
  // 2 admins: 1+0.75*2 = 2.5 to 2+1.5*2 = 5 h
  assert.deepEqual(line.hours, { min: 2.5, max: 5 });
  assert.deepEqual(line.findingKeys, ['admins-have-phishing-resistant-methods:u-alex', 'admins-have-phishing-resistant-methods:u-chen']);
});

test('suppressed finding leaves the client message gaps', () => {
  const deliverables = buildDeliverables(tenantA(), withRisk(deviceCodeRisk('    evidence:\n      objectCount: 2\n')));
  const gaps = deliverables.message.paragraphs.find((paragraph) => paragraph.heading?.startsWith('What needs attention'))!;
  assert.ok(!gaps.items!.some((item) => item.includes('Conference Rooms')));
  const accepted = deliverables.message.paragraphs.find((paragraph) => paragraph.heading === 'Risks you accepted')!;
  assert.match(accepted.items![0]!, /Conference Rooms.*accepted by Lena Ortiz until 2026-12-31/);
});

test('QBR asks for a decision on an overdue risk', () => {
  const deliverables = buildDeliverables(tenantA(), withRisk(deviceCodeRisk('', '2026-09-01')));
  const row = deliverables.qbr.find((candidate) => candidate.area === 'device-code-flow')!;
  assert.match(row.decision, /Review the accepted risk device-code-flow-blocked:grp-rooms \(review date 2026-09-01 has passed\)/);
});

test('tenant-wide key suppresses a finding-less result', () => {
  const risk = '  - findingKey: revocation-runbook-tested\n    reason: Runbook test booked for January\n    approver: Lena Ortiz\n    acceptedOn: 2026-09-01\n    reviewBy: 2027-01-31\n';
  const deliverables = buildDeliverables(tenantA(), withRisk(risk));
  assert.equal(deliverables.risks[0]!.status, 'accepted');
  assert.deepEqual(
    deliverables.roadmap.lines.map((line) => line.workItem.definition.id),
    allItems.filter((item) => item !== 'prepare-session-revocation-runbook'),
  );
});
