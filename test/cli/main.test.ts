import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';

import { repoRoot } from '../helpers/shared.js';

const bin = join(repoRoot, 'bin', 'tokengap.js');

function runCli(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

test('help exits 0 and lists commands', () => {
  const result = runCli('--help');
  assert.equal(result.status, 0);
  assert.match(result.stdout, /assess/);
});

test('unknown command exits 2', () => {
  const result = runCli('no-such-command');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown command/);
});

test('parser errors use the tokengap format', () => {
  const result = runCli('assess', '--no-such-option');
  assert.equal(result.status, 2);
  assert.match(result.stderr, /^tokengap: unknown option '--no-such-option'/);
  assert.match(result.stderr, /fix: run `tokengap --help`/);
});

test('error messages escape control characters', () => {
  // A snapshot path is user input and reaches the message verbatim.
  const result = runCli('assess', '/nonexistent/\u001b[31mred');
  assert.equal(result.status, 2);
  assert.doesNotMatch(result.stderr, /\u001b/);
  assert.match(result.stderr, /\\x1b\[31mred/);
});
