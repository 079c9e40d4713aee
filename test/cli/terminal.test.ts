import assert from 'node:assert/strict';
import { test } from 'node:test';

import { toTerminalField, toTerminalText } from '../../src/cli/terminal.js';

test('terminal text escapes ESC sequences', () => {
  // A policy name that would turn the terminal red and retitle its window.
  const hostile = 'CA02 \u001b[31mRED\u001b[0m \u001b]0;pwned\u0007';
  assert.equal(toTerminalText(hostile), 'CA02 \\x1b[31mRED\\x1b[0m \\x1b]0;pwned\\x07');
});

test('terminal text escapes C1 controls and DEL', () => {
  assert.equal(toTerminalText('a\u009bb\u007fc'), 'a\\x9bb\\x7fc');
});

test('terminal text keeps newlines, tabs and Unicode', () => {
  assert.equal(toTerminalText('Zoë\tMüller\n日本'), 'Zoë\tMüller\n日本');
});

test('terminal field escapes newlines too', () => {
  assert.equal(toTerminalField('python-requests/2.31\r\nX-Evil: 1'), 'python-requests/2.31\\x0d\\nX-Evil: 1');
});
