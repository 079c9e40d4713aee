import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fillTemplate, fillTemplateStrict, templateSlots } from '../../src/checks/messages.js';

describe('fillTemplate', () => {
  const cases: { name: string; template: string; data: Record<string, string | number | boolean | string[]>; text: string; missing: string[] }[] = [
    { name: 'fills a string slot', template: '{user} holds {role}.', data: { user: 'Alice', role: 'Global Administrator' }, text: 'Alice holds Global Administrator.', missing: [] },
    { name: 'joins an array with commas', template: 'Excluded: {groups}.', data: { groups: ['Pilot', 'Break glass'] }, text: 'Excluded: Pilot, Break glass.', missing: [] },
    { name: 'writes an empty array as none', template: 'Excluded: {groups}.', data: { groups: [] }, text: 'Excluded: none.', missing: [] },
    { name: 'writes numbers and booleans', template: '{count} admins, enabled {enabled}', data: { count: 0, enabled: false }, text: '0 admins, enabled false', missing: [] },
    { name: 'fills a slot used twice', template: '{name} and {name}', data: { name: 'x' }, text: 'x and x', missing: [] },
    { name: 'keeps a slot without data visible', template: '{count} of {total}', data: { count: 1 }, text: '1 of {total}', missing: ['total'] },
    { name: 'leaves braces that are not slots', template: 'JSON {"a": 1} and {1x}', data: {}, text: 'JSON {"a": 1} and {1x}', missing: [] },
    { name: 'ignores inherited names', template: '{toString}', data: {}, text: '{toString}', missing: ['toString'] },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const filled = fillTemplate(testCase.template, testCase.data);
      assert.equal(filled.text, testCase.text);
      assert.deepEqual(filled.missing, testCase.missing);
    });
  }
});

describe('fillTemplateStrict', () => {
  it('throws naming the unfilled slot', () => {
    assert.throws(() => fillTemplateStrict('{count} of {total}', { count: 1 }, 'some-check message "x"'), /some-check message "x": no data for slot \{total\}/);
  });

  it('returns the text when every slot is filled', () => {
    assert.equal(fillTemplateStrict('{a}-{b}', { a: 1, b: 'two' }, 'here'), '1-two');
  });
});

describe('templateSlots', () => {
  it('lists each slot once in order', () => {
    assert.deepEqual(templateSlots('{b} {a} {b} {"no"}'), ['b', 'a']);
  });
});
