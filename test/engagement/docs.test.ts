import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { loadEngagement } from '../../src/engagement/load.js';
import { engagementV2Schema } from '../../src/engagement/schema-v2.js';
import { SCOPE_WORK_ITEMS } from '../../src/engagement/work-items.js';
import { repoRoot } from '../helpers/shared.js';

const doc = readFileSync(join(repoRoot, 'docs', 'engagement-file.md'), 'utf8');

test('docs name every top-level key', () => {
  for (const key of Object.keys(engagementV2Schema.shape)) assert.ok(doc.includes(`\`${key}`), `docs/engagement-file.md does not describe ${key}`);
});

test('docs name every scope work item', () => {
  for (const id of SCOPE_WORK_ITEMS) assert.ok(doc.includes(`\`${id}\``), `docs/engagement-file.md does not list ${id}`);
});

const examples = ['engagement.yaml', 'engagement-v2.yaml', 'engagements/generous.yaml', 'engagements/thin.yaml'];
for (const example of examples) {
  test(`example ${example} loads`, async () => {
    const engagement = await loadEngagement(join(repoRoot, 'examples', example));
    assert.ok(engagement.client.name.length > 0);
  });
}

test('example engagement files carry the tenant id', async () => {
  // Regression: thin.yaml and generous.yaml had no tenantId and were applied to any tenant.
  for (const example of examples) {
    const engagement = await loadEngagement(join(repoRoot, 'examples', example));
    assert.match(engagement.client.tenantId ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, example);
  }
});

test('docs describe examples/engagement.yaml as the version it is', async () => {
  // Regression: the docs called it "version 1" although it has `version: 2`, rates and acceptedRisks.
  const engagement = await loadEngagement(join(repoRoot, 'examples', 'engagement.yaml'));
  assert.equal(engagement.version, 2);
  const examplesReadme = readFileSync(join(repoRoot, 'examples', 'README.md'), 'utf8');
  for (const [name, text] of [['docs/engagement-file.md', doc], ['examples/README.md', examplesReadme]] as const) {
    const line = text.split('\n').find((candidate) => candidate.includes('engagement.yaml') && !candidate.includes('engagement-v2.yaml')) ?? '';
    assert.doesNotMatch(line, /version 1\b/, `${name}: ${line}`);
  }
});

test('demo engagement userCount matches the demo story', async () => {
  // Regression: userCount was 31 for a firm the story calls 25 accounts.
  const engagement = await loadEngagement(join(repoRoot, 'examples', 'engagement.yaml'));
  const users = JSON.parse(readFileSync(join(repoRoot, 'examples', 'demo-tenant', 'users.json'), 'utf8')) as { value: unknown[] };
  assert.equal(engagement.client.userCount, users.value.length);
  assert.match(readFileSync(join(repoRoot, 'examples', 'README.md'), 'utf8'), new RegExp(`a ${users.value.length}-account`));
});
