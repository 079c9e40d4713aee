import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { DOCS_PATH, renderCheckDocs } from '../../scripts/gen-check-docs.js';
import { loadFrameworkMappings } from '../../src/checks/framework-mappings.js';
import { CHECKS } from '../../src/checks/registry.js';

describe('docs/checks.md', () => {
  const generated = renderCheckDocs(CHECKS, loadFrameworkMappings());

  it('matches the check metadata', () => {
    const committed = readFileSync(DOCS_PATH, 'utf8');
    assert.ok(committed === generated, 'docs/checks.md is out of date; run: node --import tsx scripts/gen-check-docs.ts');
  });

  it('has a section per check', () => {
    for (const check of CHECKS) {
      const start = generated.indexOf(`<a id="${check.id}"></a>`);
      assert.ok(start >= 0, `no section for ${check.id}`);
      const next = generated.indexOf('<a id="', start + 1);
      const section = generated.slice(start, next === -1 ? undefined : next);
      assert.match(section, /#### Known limitations/, `${check.id}: known limitations heading`);
      assert.match(section, /#### Remediation/, `${check.id}: remediation heading`);
    }
  });
});
