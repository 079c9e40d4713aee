import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { countOf, fillTemplate, fillTemplateStrict, nameList, templateSlots } from '../../src/checks/messages.js';

describe('fillTemplate', () => {
  const cases: { name: string; template: string; data: Record<string, string | number | boolean | string[]>; text: string; missing: string[]; notCounts?: string[] }[] = [
    { name: 'fills a string slot', template: '{user} holds {role}.', data: { user: 'Alice', role: 'Global Administrator' }, text: 'Alice holds Global Administrator.', missing: [] },
    { name: 'joins an array with commas', template: 'Excluded: {groups}.', data: { groups: ['Pilot', 'Break glass'] }, text: 'Excluded: Pilot, Break glass.', missing: [] },
    { name: 'writes an empty array as none', template: 'Excluded: {groups}.', data: { groups: [] }, text: 'Excluded: none.', missing: [] },
    { name: 'writes numbers and booleans', template: '{count} admins, enabled {enabled}', data: { count: 0, enabled: false }, text: '0 admins, enabled false', missing: [] },
    { name: 'fills a slot used twice', template: '{name} and {name}', data: { name: 'x' }, text: 'x and x', missing: [] },
    { name: 'keeps a slot without data visible', template: '{count} of {total}', data: { count: 1 }, text: '1 of {total}', missing: ['total'] },
    { name: 'leaves braces that are not slots', template: 'JSON {"a": 1} and {1x}', data: {}, text: 'JSON {"a": 1} and {1x}', missing: [] },
    { name: 'ignores inherited names', template: '{toString}', data: {}, text: '{toString}', missing: ['toString'] },
    { name: 'picks the singular form for a count of 1', template: '{count} {count|problem|problems} found', data: { count: 1 }, text: '1 problem found', missing: [] },
    { name: 'picks the plural form for a count of 0', template: '{count} {count|problem|problems} found', data: { count: 0 }, text: '0 problems found', missing: [] },
    { name: 'picks the plural form for a count of 2', template: '{count} {count|user is|users are}', data: { count: 2 }, text: '2 users are', missing: [] },
    { name: 'counts the items of an array', template: '{names|Account|Accounts} {names}', data: { names: ['Ann'] }, text: 'Account Ann', missing: [] },
    { name: 'counts an empty array as plural', template: '{names|Account|Accounts}: {names}', data: { names: [] }, text: 'Accounts: none', missing: [] },
    { name: 'allows an empty form', template: '{count} polic{count|y|ies} and {count} group{count||s}', data: { count: 1 }, text: '1 policy and 1 group', missing: [] },
    { name: 'keeps a plural slot without data visible', template: '{count|one|many}', data: {}, text: '{count|one|many}', missing: ['count'] },
    { name: 'keeps a plural slot over text visible', template: '{name|one|many}', data: { name: 'x' }, text: '{name|one|many}', missing: [], notCounts: ['name'] },
    { name: 'leaves a slot with one form alone', template: '{count|one}', data: { count: 1 }, text: '{count|one}', missing: [] },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const filled = fillTemplate(testCase.template, testCase.data);
      assert.equal(filled.text, testCase.text);
      assert.deepEqual(filled.missing, testCase.missing);
      assert.deepEqual(filled.notCounts, testCase.notCounts ?? []);
    });
  }
});

describe('fillTemplateStrict', () => {
  it('throws naming the unfilled slot', () => {
    assert.throws(() => fillTemplateStrict('{count} of {total}', { count: 1 }, 'some-check message "x"'), /some-check message "x": no data for slot \{total\}/);
  });

  it('throws naming a plural slot that holds text', () => {
    assert.throws(() => fillTemplateStrict('{who|is|are}', { who: 'Ann' }, 'here'), /here: plural slot \{who\|\.\.\.\} need a number or an array/);
  });

  it('returns the text when every slot is filled', () => {
    assert.equal(fillTemplateStrict('{a}-{b}', { a: 1, b: 'two' }, 'here'), '1-two');
  });
});

describe('templateSlots', () => {
  it('lists each slot once in order', () => {
    assert.deepEqual(templateSlots('{b} {a} {b} {"no"}'), ['b', 'a']);
  });

  it('lists the slot of a plural form', () => {
    assert.deepEqual(templateSlots('{n|one|many} {m}'), ['n', 'm']);
  });
});

describe('nameList', () => {
  const cases: { name: string; names: string[]; limit?: number; total?: number; text: string }[] = [
    { name: 'reads none for no names', names: [], text: 'none' },
    { name: 'writes one name alone', names: ['Ann'], text: 'Ann' },
    { name: 'joins two names with and', names: ['Ann', 'Ben'], text: 'Ann and Ben' },
    { name: 'joins three names with commas and and', names: ['Ann', 'Ben', 'Cy'], text: 'Ann, Ben and Cy' },
    { name: 'names every account up to the limit', names: ['A', 'B', 'C'], limit: 3, text: 'A, B and C' },
    { name: 'counts the names over the limit', names: ['A', 'B', 'C', 'D', 'E'], limit: 2, text: 'A, B and 3 more' },
    { name: 'counts people outside a sample', names: ['A', 'B'], total: 12, text: 'A, B and 10 more' },
    { name: 'counts a sample beyond the limit', names: ['A', 'B', 'C'], limit: 2, total: 5, text: 'A, B and 3 more' },
    { name: 'counts a set with no sample', names: [], total: 4, text: '4 more' },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.equal(nameList(testCase.names, testCase.limit, testCase.total), testCase.text);
    });
  }
});

describe('countOf', () => {
  it('writes the singular noun for 1 and the plural otherwise', () => {
    assert.deepEqual([0, 1, 2].map((count) => countOf(count, 'user', 'users')), ['0 users', '1 user', '2 users']);
  });
});
