import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';

import { CHECKS } from '../../src/checks/registry.js';
import { CONTROL_AREAS, LICENSES, SCOPE_CLASSES, SEVERITIES } from '../../src/checks/types.js';
import { RESOURCE_NAMES } from '../../src/snapshot/resources.js';
import { repoRoot } from '../helpers/shared.js';

const KEBAB_CASE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

describe('check registry', () => {
  it('has unique ids', () => {
    const ids = CHECKS.map((check) => check.id);
    const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
    assert.deepEqual(duplicates, []);
  });

  for (const check of CHECKS) {
    describe(check.id, () => {
      it('has valid metadata', () => {
        assert.match(check.id, KEBAB_CASE, 'id is kebab-case');
        assert.ok(CONTROL_AREAS.includes(check.area), `area ${check.area}`);
        assert.ok(SEVERITIES.includes(check.severity), `severity ${check.severity}`);
        assert.ok(SCOPE_CLASSES.includes(check.scopeClass), `scope class ${check.scopeClass}`);
        if (check.license !== undefined) assert.ok(LICENSES.includes(check.license), `license ${check.license}`);
        assert.doesNotMatch(check.title, /^Ensure\b/, 'the title states the good state, not an instruction');
        assert.ok(check.rationale.length > 0, 'rationale');
        assert.ok(check.clientText.length > 0, 'client text');
        assert.ok(check.remediation.portal.length > 0, 'portal steps');
        assert.ok(check.references.length > 0, 'at least one reference');
        for (const reference of check.references) assert.match(reference, /^https:\/\//, 'references are links');
        for (const need of check.requires) assert.ok((RESOURCE_NAMES as readonly string[]).includes(need.resource), `resource ${need.resource}`);
      });

      it('has a well-formed message catalogue', () => {
        const ids = Object.keys(check.messages);
        assert.ok(ids.length > 0, 'at least one message');
        for (const messageId of ids) {
          assert.match(messageId, KEBAB_CASE, `message id ${messageId} is kebab-case`);
          const template = check.messages[messageId]!;
          // A `{` that does not open a slot (`{name}` or `{count|one|other}`) usually is a typo such as `{user name}`.
          for (const text of [template.text, template.client ?? '']) {
            const slots = (text.match(/\{[A-Za-z][A-Za-z0-9_]*(?:\|[^|{}]*\|[^|{}]*)?\}/g) ?? []).length;
            assert.equal((text.match(/\{/g) ?? []).length, slots, `${messageId}: every brace opens a slot`);
          }
        }
      });

      it('has a table-driven test', () => {
        // runCheckCases checks that the table renders every message id with all slots filled;
        // this finds the table: a test file named after the check id, or one naming the id.
        const files = testFiles(join(repoRoot, 'test'));
        const covering = files.filter(
          (file) => basename(file) === `${check.id}.test.ts` || (readFileSync(file, 'utf8').includes('runCheckCases(') && readFileSync(file, 'utf8').includes(`'${check.id}`)),
        );
        assert.ok(covering.length > 0, `no test file runs runCheckCases for ${check.id}; add test/checks/<area>/${check.id}.test.ts`);
      });
    });
  }
});
