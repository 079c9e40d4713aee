import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type * as Graph from '@microsoft/microsoft-graph-types';
import { after, describe, test } from 'node:test';

import { formatResult } from '../../src/cli/whatif.js';
import { runWhatif, type WhatifOptions } from '../../src/conditional-access/whatif.js';
import { UserError } from '../../src/errors.js';
import { repoRoot } from '../helpers/shared.js';
import { makeSnapshot } from '../helpers/tenant.js';
import { alice, bob, BASELINE_POLICIES, tenant } from './baseline.js';

const snapshot = makeSnapshot(tenant());
const base: WhatifOptions = { user: alice.userPrincipalName!, app: 'exchange', clientApp: 'browser', platform: 'windows' };

describe('runWhatif', () => {
  test('finds the user by UPN and requires MFA and a managed device', () => {
    const result = runWhatif(snapshot, base);
    assert.equal(result.signIn.user.id, alice.id);
    assert.equal(result.outcome.access, 'requirements');
    assert.deepEqual(result.outcome.requirements.map((tree) => tree.displayName), ['Require MFA for all users', 'Require compliant or hybrid-joined device for Microsoft 365 and admin portals']);
  });

  test('device code flow is blocked', () => {
    const result = runWhatif(snapshot, { ...base, clientApp: 'mobileAppsAndDesktopClients', flow: 'deviceCodeFlow' });
    assert.equal(result.outcome.access, 'blocked');
  });

  test('admin gets the phishing-resistant strength', () => {
    const result = runWhatif(snapshot, { ...base, user: bob.id! });
    const controls = result.outcome.requirements.flatMap((tree) => tree.controls.map((control) => control.control));
    assert.ok(controls.includes('authenticationStrength:00000000-0000-0000-0000-000000000004'));
  });

  test('compliant device options make a registered device', () => {
    const result = runWhatif(snapshot, { ...base, deviceCompliant: true, deviceTrustType: 'AzureAD', deviceFilterAttr: ['model=Surface'] });
    assert.deepEqual(result.signIn.device, { isCompliant: true, trustType: 'AzureAD', attributes: { model: 'Surface' } });
  });

  test('explicit country wins over the IP country', () => {
    const result = runWhatif(snapshot, { ...base, ip: '203.0.113.7', country: 'de', ipCountry: 'NL' });
    assert.equal(result.signIn.country, 'DE');
    assert.equal(result.signIn.countrySource, 'option');
  });

  test('IP country is used without --country', () => {
    const result = runWhatif(snapshot, { ...base, ip: '203.0.113.7', ipCountry: 'NL' });
    assert.equal(result.signIn.country, 'NL');
    assert.equal(result.signIn.countrySource, 'ipDatabase');
  });

  test('IP without a known country is unknown', () => {
    const result = runWhatif(snapshot, { ...base, ip: '203.0.113.7', ipCountry: null });
    assert.equal(result.signIn.country, null);
    assert.equal(result.signIn.countrySource, 'unknown');
  });

  test('text output describes the sign-in in words', () => {
    const text = formatResult(runWhatif(snapshot, { ...base, flow: 'deviceCodeFlow', ip: '203.0.113.7', ipCountry: 'NL' }));
    const firstLine = text.split('\n')[0]!;
    // Regression: the target was printed as raw JSON and the flow and country were left out.
    assert.doesNotMatch(firstLine, /\{"kind"/);
    assert.match(firstLine, /app Office 365 Exchange Online \(00000002-0000-0ff1-ce00-000000000000\)/);
    assert.match(firstLine, /flow deviceCodeFlow/);
    assert.match(firstLine, /country NL \(from the IP address\)/);
    assert.match(firstLine, /unregistered device/);
  });

  test('text output escapes control characters in names', () => {
    const hostile = makeSnapshot(tenant(BASELINE_POLICIES.map((policy, index) => (index === 0 ? { ...policy, displayName: 'CA \u001b[31mRED\u001b]0;pwned\u0007' } : policy))));
    const text = formatResult(runWhatif(hostile, base));
    assert.doesNotMatch(text, /\u001b/);
    assert.match(text, /CA \\x1b\[31mRED\\x1b\]0;pwned\\x07/);
  });

  test('text output names each policy and the outcome', () => {
    const text = formatResult(runWhatif(snapshot, { ...base, user: alice.id!, clientApp: 'other' }));
    assert.match(text, /Block legacy authentication: APPLIES/);
    assert.match(text, /Block device code flow: does not apply: the policy applies only to some authentication flows/);
    assert.match(text, /Outcome: blocked\n  blocked by: Block legacy authentication/);
  });

  test('malformed device filter is reported, not passed', () => {
    const broken = { ...BASELINE_POLICIES[0]!, id: 'broken-filter', displayName: 'Broken filter', conditions: { ...BASELINE_POLICIES[0]!.conditions, devices: { deviceFilter: { mode: 'exclude', rule: 'device.model -eq "Surface' } } } } as Graph.ConditionalAccessPolicy;
    const result = runWhatif(makeSnapshot(tenant([broken])), base);
    assert.deepEqual(result.policies[0]!.reasons, ['invalidCondition']);
    assert.match(result.uncertain[0]!.detail, /cannot evaluate: invalid device filter rule at character 18: a quoted value is not closed/);
  });

  test('no device options mean an unregistered device', () => {
    assert.equal(runWhatif(snapshot, base).signIn.device, null);
  });

  const invalid: [string, Partial<WhatifOptions>, RegExp][] = [
    ['unknown user', { user: 'nobody@contoso.com' }, /user "nobody@contoso.com" is not in the snapshot/],
    ['unknown app name', { app: 'outlookish' }, /neither an application id nor a known app name/],
    ['app and user action together', { userAction: 'registerdevice' }, /exactly one of --app/],
    ['unknown user action', { app: undefined, userAction: 'registerpet' }, /unknown user action/],
    ['bad IP address', { ip: '300.1.1.1' }, /not an IPv4 or IPv6 address/],
    ['bad country', { country: 'Netherlands' }, /ISO 3166 two-letter country code/],
    // Regression: XX passed the old two-letter pattern although no country has that code.
    ['unassigned country code', { country: 'XX' }, /ISO 3166 two-letter country code/],
    ['unknown-region code', { country: 'ZZ' }, /ISO 3166 two-letter country code/],
    ['unknown device attribute', { deviceFilterAttr: ['colour=red'] }, /does not name a device filter attribute/],
  ];
  for (const [name, options, message] of invalid) {
    test(`rejects ${name}`, () => {
      assert.throws(() => runWhatif(snapshot, { ...base, ...options }), (error: unknown) => error instanceof UserError && message.test(error.message));
    });
  }
});

describe('tokengap whatif', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokengap-whatif-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const fragment = tenant(BASELINE_POLICIES);
  for (const name of ['users', 'groups', 'roleAssignments', 'conditionalAccessPolicies', 'namedLocations'] as const) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ value: fragment[name] }));
  }
  writeFileSync(join(dir, 'groupMembers.json'), JSON.stringify(fragment.groupMembers));

  // A child process, so the CLI's stdout does not mix with the test runner's own output.
  const mainModule = pathToFileURL(join(repoRoot, 'src', 'cli', 'main.ts')).href;
  function run(...args: string[]): { code: number; stdout: string; stderr: string } {
    const script = `const { main } = await import(${JSON.stringify(mainModule)}); process.exitCode = await main(['node', 'tokengap', ...process.argv.slice(1)]);`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, 'whatif', dir, ...args], { encoding: 'utf8', cwd: repoRoot });
    return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  }

  test('--json prints the documented shape', () => {
    const { code, stdout } = run('--user', alice.userPrincipalName!, '--app', 'exchange', '--client-app', 'mobileAppsAndDesktopClients', '--flow', 'deviceCodeFlow', '--json');
    assert.equal(code, 0);
    const result = JSON.parse(stdout);
    assert.deepEqual(Object.keys(result).sort(), ['outcome', 'policies', 'reportOnly', 'signIn', 'uncertain']);
    assert.deepEqual(Object.keys(result.policies[0]).sort(), ['applies', 'displayName', 'id', 'reasons', 'state']);
    assert.equal(result.outcome.access, 'blocked');
    assert.deepEqual(Object.keys(result.outcome).sort(), ['access', 'blockedBy', 'requirements', 'sessionControls']);
  });

  test('unknown user exits 2 with a fix', () => {
    const { code, stderr } = run('--user', 'nobody@contoso.com', '--app', 'exchange');
    assert.equal(code, 2);
    assert.match(stderr, /not in the snapshot/);
    assert.match(stderr, /fix:/);
  });
});
