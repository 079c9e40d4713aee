import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { repoRoot } from '../helpers/shared.js';
import { graphSignIn, ndjson, tempDir, writeInput } from './fixtures.js';

const bin = join(repoRoot, 'bin', 'tokengap.js');
const dir = tempDir();

function runCli(...args: string[]) {
  return spawnSync(process.execPath, [bin, 'signins', ...args], { encoding: 'utf8' });
}

const log = writeInput(
  dir,
  'log.ndjson',
  ndjson([
    graphSignIn({ id: 'a', createdDateTime: '2026-05-01T09:00:00Z' }),
    graphSignIn({ id: 'dc', createdDateTime: '2026-05-02T09:00:00Z', authenticationProtocol: 'deviceCode', appDisplayName: 'Microsoft Azure CLI', appId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46' }),
    graphSignIn({ id: 'bob', createdDateTime: '2026-05-03T09:00:00Z', userPrincipalName: 'bob@contoso.example', userId: 'bob-id', userAgent: 'axios/1.7.9' }),
  ]),
);

describe('tokengap signins', () => {
  it('prints alerts and summary as JSON', () => {
    const result = runCli(log, '--json', '--no-ip-database');
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout) as { alerts: { detection: string; user: string }[]; summary: { eventCount: number; deviceCode: { users: { user: string; apps: { appDisplayName: string }[] }[] } } };
    assert.equal(output.summary.eventCount, 3);
    assert.deepEqual(output.summary.deviceCode.users.map((user) => [user.user, user.apps[0]!.appDisplayName]), [['ada@contoso.example', 'Microsoft Azure CLI']]);
    assert.deepEqual(output.alerts.map((alert) => [alert.detection, alert.user]).sort(), [
      ['device-code-first-use', 'ada@contoso.example'],
      ['device-code-sign-in', 'ada@contoso.example'],
      ['suspicious-user-agent', 'bob@contoso.example'],
    ]);
  });

  it('filters by time and user', () => {
    const result = runCli(log, '--json', '--no-ip-database', '--since', '2026-05-02', '--until', '2026-05-02', '--user', 'ADA@contoso.example');
    assert.equal(result.status, 0, result.stderr);
    const output = JSON.parse(result.stdout) as { summary: { eventCount: number }; timelines: { user: string; entries: { id: string; alerts: string[] }[] }[] };
    assert.equal(output.summary.eventCount, 1);
    assert.deepEqual(output.timelines.map((timeline) => [timeline.user, timeline.entries.map((entry) => [entry.id, entry.alerts])]), [['ada@contoso.example', [['dc', ['device-code-first-use', 'device-code-sign-in']]]]]);
  });

  it('writes owner-only output files', () => {
    const out = join(dir, 'out');
    const result = runCli(log, '--no-ip-database', '--out', out, '--fail-on', 'high');
    assert.equal(result.status, 1, 'a high alert with --fail-on high exits 1');
    for (const name of ['alerts.json', 'alerts.csv', 'summary.json', 'timelines.json', 'report.txt']) {
      assert.equal(statSync(join(out, name)).mode & 0o777, 0o600, name);
    }
    assert.equal(statSync(out).mode & 0o777, 0o700);
    assert.match(readFileSync(join(out, 'alerts.csv'), 'utf8'), /^severity,detection,user,/);
  });

  it('reads a snapshot folder', () => {
    const snapshot = join(dir, 'snapshot');
    mkdirSync(join(snapshot, 'signIns'), { recursive: true });
    writeInput(join(snapshot, 'signIns'), 'page-1.json', JSON.stringify({ value: [graphSignIn()] }));
    const result = runCli('--snapshot', snapshot, '--json', '--no-ip-database');
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as { summary: { eventCount: number } }).summary.eventCount, 1);
  });

  const errors: { name: string; args: () => string[]; message: RegExp }[] = [
    { name: 'no files', args: () => [], message: /no sign-in log files given/ },
    { name: 'missing file', args: () => [join(dir, 'nope.json')], message: /does not exist/ },
    { name: 'bad --since', args: () => [log, '--since', 'last week'], message: /--since "last week" is not an ISO 8601 date/ },
    { name: 'malformed record', args: () => [writeInput(dir, 'bad.ndjson', ndjson([graphSignIn()]) + '{"id":\n')], message: /bad\.ndjson:2 \(record 1\): record 1 is not valid JSON/ },
  ];
  for (const testCase of errors) {
    it(`exits 2 on ${testCase.name}`, () => {
      const result = runCli(...testCase.args());
      assert.equal(result.status, 2);
      assert.match(result.stderr, testCase.message);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('prints KQL for every detection', () => {
    const result = runCli('--kql');
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.match(/^\/\/ tokengap detection: /gm)?.length, 14);
  });
});
