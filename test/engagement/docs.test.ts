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
