import assert from 'node:assert/strict';
import { test } from 'node:test';

import { htmlWithCode, markdownWithCode } from '../../src/report/escape.js';
import { humanTime, plural } from '../../src/report/text.js';

// Regression: "1 problems found", "1 finding(s)", an ISO timestamp in the header and
// literal backticks in the remediation steps.

test('plural counts a noun', () => {
  assert.equal(plural(0, 'user'), '0 users');
  assert.equal(plural(1, 'user'), '1 user');
  assert.equal(plural(2, 'user'), '2 users');
  assert.equal(plural(1, 'policy', 'policies'), '1 policy');
  assert.equal(plural(3, 'policy', 'policies'), '3 policies');
});

test('times read as day, month, year and UTC time', () => {
  assert.equal(humanTime('2026-12-04T21:50:14.396Z'), '4 December 2026, 21:50 UTC');
  assert.equal(humanTime('2026-01-09T03:05:00+02:00'), '9 January 2026, 01:05 UTC');
  assert.equal(humanTime(null), 'unknown');
  assert.equal(humanTime('not a time'), 'not a time');
});

const codeCases: { input: string; html: string; markdown: string }[] = [
  { input: 'Run `Get-MgUser -All` first.', html: 'Run <code>Get-MgUser -All</code> first.', markdown: 'Run `Get-MgUser -All` first.' },
  // Tenant-controlled text inside a code span stays escaped.
  { input: 'Open `<script>` and *this*', html: 'Open <code>&lt;script&gt;</code> and *this*', markdown: 'Open `<script>` and \\*this\\*' },
  // An unpaired backtick is text, not the start of a code span.
  { input: 'It`s odd', html: 'It`s odd', markdown: 'It\\`s odd' },
];

for (const { input, html, markdown } of codeCases) {
  test(`code spans: ${input}`, () => {
    assert.equal(htmlWithCode(input), html);
    assert.equal(markdownWithCode(input), markdown);
  });
}
