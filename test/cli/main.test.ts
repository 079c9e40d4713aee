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

test('unknown log level falls back to warn', () => {
  const result = spawnSync(process.execPath, [bin, 'permissions'], { encoding: 'utf8', env: { ...process.env, TOKENGAP_LOG_LEVEL: 'loud' } });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /TOKENGAP_LOG_LEVEL=loud is not a log level \(trace, debug, info, warn, error, fatal, silent\); using warn/);
});

test('log loads pino on the first log call', () => {
  const logModule = JSON.stringify(new URL('../../src/log.ts', import.meta.url).href);
  const script = `import { log } from ${logModule};
    process.stdout.write(JSON.stringify([log.isLevelEnabled('debug'), log.isLevelEnabled('warn'), log.level]));
    log.debug({ count: 1 }, 'hello');`;
  const run = (level: string) => spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TOKENGAP_LOG_LEVEL: level } });
  const debug = run('debug');
  assert.equal(debug.status, 0, debug.stderr);
  assert.deepEqual(JSON.parse(debug.stdout), [true, true, 'debug']);
  assert.match(debug.stderr, /"level":20,.*"count":1,"msg":"hello"/);
  const quiet = run('warn');
  assert.deepEqual(JSON.parse(quiet.stdout), [false, true, 'warn']);
  assert.equal(quiet.stderr, '');
});
