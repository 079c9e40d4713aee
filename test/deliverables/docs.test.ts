import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { PROJECT_TITLES, REMEDIATION_DEFINITIONS, SCOPE_ITEM_DEFINITIONS, type HoursRange } from '../../src/deliverables/catalog.js';
import { CSV_COLUMNS } from '../../src/deliverables/render-csv.js';
import { repoRoot } from '../helpers/shared.js';

const doc = readFileSync(join(repoRoot, 'docs', 'deliverables.md'), 'utf8');
const range = (hours: HoursRange) => (hours.min === 0 && hours.max === 0 ? '0' : `${hours.min}–${hours.max}`);

test('docs list every remediation estimate', () => {
  for (const item of Object.values(REMEDIATION_DEFINITIONS)) {
    const row = `| \`${item.id}\` | \`${item.scopeItem}\` | ${PROJECT_TITLES[item.project]} | ${item.role} | ${range(item.baseHours)} | ${range(item.perObjectHours)} | ${item.unit ?? 'principals'} | ${item.license ?? ''} | ${item.betterScope} |`;
    assert.ok(doc.includes(row), `docs/deliverables.md lacks or disagrees on: ${row}`);
  }
});

test('docs list every service estimate', () => {
  for (const item of Object.values(SCOPE_ITEM_DEFINITIONS)) {
    const row = `| \`${item.id}\` | ${item.role} | ${range(item.baseHours)} | ${range(item.perObjectHours)} | ${item.betterScope} | ${item.scopeReason} |`;
    assert.ok(doc.includes(row), `docs/deliverables.md lacks or disagrees on: ${row}`);
  }
});

test('docs describe every CSV column', () => {
  for (const column of CSV_COLUMNS) assert.ok(doc.includes(`\`${column}\``), `docs/deliverables.md does not describe ${column}`);
});
