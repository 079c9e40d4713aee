import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { assessSnapshot } from '../../src/assess.js';
import { loadEngagement } from '../../src/engagement/load.js';
import { buildDeliverables } from '../../src/deliverables/model.js';
import { renderWorkItemsCsv } from '../../src/deliverables/render-csv.js';
import { repoRoot } from '../helpers/shared.js';

const demoDir = join(repoRoot, 'examples', 'demo-tenant');
const now = new Date('2026-11-20T09:00:00Z');

const assessed = new Map<string, ReturnType<typeof assessDemo>>();

async function assessDemo(contract: 'generous' | 'thin') {
  const engagementPath = join(repoRoot, 'examples', 'engagements', `${contract}.yaml`);
  const report = await assessSnapshot({ snapshotDir: demoDir, engagementPath, now });
  return { report, deliverables: buildDeliverables(report, await loadEngagement(engagementPath)) };
}

/** Assesses the demo tenant once per contract; the tests only read the result. */
function demo(contract: 'generous' | 'thin') {
  if (!assessed.has(contract)) assessed.set(contract, assessDemo(contract));
  return assessed.get(contract)!;
}

test('demo quote differs between contracts', async () => {
  const thin = (await demo('thin')).deliverables;
  const generous = (await demo('generous')).deliverables;
  assert.ok(thin.roadmap.lines.length > 0, 'the demo tenant has findings to remediate');
  assert.notDeepEqual(thin.scope.map((row) => row.inclusion), generous.scope.map((row) => row.inclusion));
  assert.ok(thin.roadmap.totals.billable.max > generous.roadmap.totals.billable.max, 'the thin contract leaves the client more to pay');
  assert.ok(generous.roadmap.totals.includedHours.max > thin.roadmap.totals.includedHours.max);
});

test('demo guest admin line priced by hand', async () => {
  const line = (await demo('thin')).deliverables.roadmap.lines.find((candidate) => candidate.workItem.definition.id === 'remove-guest-admins');
  assert.ok(line, 'the demo tenant has a guest holding an admin role');
  assert.equal(line.units, 1);
  // One guest: 0.5+0.25 = 0.75 to 1+0.5 = 1.5 h at the thin engineer rate 175: 131.25 to 262.5.
  assert.deepEqual(line.hours, { min: 0.75, max: 1.5 });
  assert.deepEqual(line.billable, { min: 131.25, max: 262.5 });
});

test('demo totals equal the sum of lines', async () => {
  for (const contract of ['generous', 'thin'] as const) {
    const { roadmap } = (await demo(contract)).deliverables;
    const sum = (pick: (line: (typeof roadmap.lines)[number]) => number) => Math.round(roadmap.lines.reduce((total, line) => total + pick(line), 0) * 100) / 100;
    assert.equal(roadmap.totals.billable.min, sum((line) => line.billable?.min ?? 0), contract);
    assert.equal(roadmap.totals.billable.max, sum((line) => line.billable?.max ?? 0), contract);
    assert.equal(roadmap.totals.hours.max, sum((line) => line.hours.max), contract);
  }
});

test('demo message names the failing admins', async () => {
  const { report, deliverables } = await demo('thin');
  const text = deliverables.message.paragraphs.flatMap((paragraph) => [paragraph.text ?? '', ...(paragraph.items ?? [])]).join('\n');
  const guest = report.results.find((result) => result.checkId.includes('guest') && result.state === 'fail')?.findings[0]?.objects.find((object) => object.type === 'user');
  assert.ok(guest?.displayName, 'the demo reports a guest admin by name');
  assert.ok(text.includes(guest.displayName) || text.includes(guest.displayName.replace(/ \(.*$/, '')), `expected ${guest.displayName} in the message`);
});

test('demo CSV has one row per line', async () => {
  const { deliverables } = await demo('generous');
  const rows = renderWorkItemsCsv(deliverables).trimEnd().split('\r\n');
  assert.equal(rows.length, deliverables.roadmap.lines.length + 1);
});
