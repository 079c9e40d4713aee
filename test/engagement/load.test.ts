import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { InputError } from '../../src/errors.js';
import { loadEngagement } from '../../src/engagement/load.js';
import { repoRoot } from '../helpers/shared.js';
import { tempFolder } from '../helpers/temp.js';

const dir = tempFolder('tokengap-engagement-');

function writeFile(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const validV1 = `client:
  name: Contoso Dental
  tenantId: 11111111-2222-3333-4444-555555555555
breakGlassAccounts:
  - bg-admin@contoso.example
owners:
  sessionRevocation:
    - name: Priya Shah
      email: priya@msp.example
  runbook:
    owner:
      name: Priya Shah
    lastTested: 2026-03-31
  userReportingChannel: security@contoso.example
`;

test('version 1 file without version loads as version 1', async () => {
  const engagement = await loadEngagement(writeFile('v1.yaml', validV1));
  assert.equal(engagement.version, 1);
  assert.equal(engagement.client.name, 'Contoso Dental');
  assert.deepEqual(engagement.breakGlassAccounts, ['bg-admin@contoso.example']);
  assert.equal(engagement.owners.runbook?.lastTested, '2026-03-31');
});

test('minimal file gets defaults', async () => {
  const engagement = await loadEngagement(writeFile('min.yaml', 'client:\n  name: Fabrikam\n'));
  assert.deepEqual(engagement.breakGlassAccounts, []);
  assert.deepEqual(engagement.owners.sessionRevocation, []);
});

test('JSON file loads', async () => {
  const engagement = await loadEngagement(writeFile('v1.json', JSON.stringify({ client: { name: 'Fabrikam' }, breakGlassAccounts: ['a'] }, null, 2)));
  assert.equal(engagement.client.name, 'Fabrikam');
  assert.equal(engagement.version, 1);
});

test('UTF-16 files with byte-order mark load', async () => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(validV1, 'utf16le')]);
  assert.equal((await loadEngagement(writeFile('le.yaml', le))).client.name, 'Contoso Dental');
  const beBody = Buffer.from(validV1, 'utf16le').swap16();
  const be = Buffer.concat([Buffer.from([0xfe, 0xff]), beBody]);
  assert.equal((await loadEngagement(writeFile('be.yaml', be))).client.name, 'Contoso Dental');
  const utf8Bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(validV1)]);
  assert.equal((await loadEngagement(writeFile('bom.yaml', utf8Bom))).client.name, 'Contoso Dental');
});

interface BadCase {
  name: string;
  file: string;
  content: string | Buffer;
  /** Expected pieces of the error: line, key path, and text the message and fix contain. */
  line?: number;
  jsonPath?: string;
  message: RegExp;
  fix: RegExp;
}

const badCases: BadCase[] = [
  {
    name: 'bad YAML indentation',
    file: 'bad-yaml.yaml',
    content: 'client:\n  name: A\n   tenantId: x\n',
    // The parser reports the value that the over-indented line continues.
    line: 2,
    message: /invalid YAML/,
    fix: /indentation/,
  },
  {
    name: 'duplicate key',
    file: 'duplicate.yaml',
    content: 'client:\n  name: A\nclient:\n  name: B\n',
    line: 3,
    message: /invalid YAML \(Map keys must be unique/,
    fix: /YAML syntax/,
  },
  {
    name: 'wrong type in JSON',
    file: 'wrong-type.json',
    content: '{\n  "client": {\n    "name": 42\n  }\n}\n',
    line: 3,
    jsonPath: 'client.name',
    message: /found number 42; expected a text/,
    fix: /set `client\.name` to a text/,
  },
  {
    name: 'truncated JSON',
    file: 'truncated.json',
    content: '{\n  "client": {\n    "name": "A"\n',
    message: /invalid JSON/,
    fix: /JSON syntax/,
  },
  {
    name: 'wrong type for client name',
    file: 'wrong-type.yaml',
    content: 'client:\n  name: 42\n',
    line: 2,
    jsonPath: 'client.name',
    message: /found number 42; expected a text/,
    fix: /set `client\.name` to a text/,
  },
  {
    name: 'string where a list belongs',
    file: 'not-list.yaml',
    content: 'client:\n  name: A\nbreakGlassAccounts: bg@contoso.example\n',
    line: 3,
    jsonPath: 'breakGlassAccounts',
    message: /found the text "bg@contoso\.example"; expected a list/,
    fix: /to a list/,
  },
  {
    name: 'unknown top-level key with British spelling',
    file: 'licence.yaml',
    content: 'version: 2\nclient:\n  name: A\nlicencePrices:\n  entraIdP1: 6\n',
    line: 4,
    jsonPath: 'licencePrices',
    message: /did you mean `licensePrices`/,
    fix: /rename `licencePrices` to `licensePrices`/,
  },
  {
    name: 'misspelled nested key',
    file: 'nested.yaml',
    content: 'client:\n  name: A\nowners:\n  runbook:\n    owner:\n      name: B\n    lastTest: 2026-01-01\n',
    line: 7,
    jsonPath: 'owners.runbook.lastTest',
    message: /did you mean `lastTested`/,
    fix: /rename/,
  },
  {
    name: 'unknown key far from any',
    file: 'unknown.yaml',
    content: 'client:\n  name: A\nflavour: vanilla\n',
    line: 3,
    message: /unknown top-level key `flavour`/,
    fix: /remove `flavour`/,
  },
  {
    name: 'impossible date',
    file: 'bad-date.yaml',
    content: 'client:\n  name: A\nowners:\n  runbook:\n    owner:\n      name: B\n    lastTested: 2026-02-30\n',
    line: 7,
    jsonPath: 'owners.runbook.lastTested',
    message: /found the text "2026-02-30"; expected a calendar date/,
    fix: /YYYY-MM-DD/,
  },
  {
    name: 'date in another format',
    file: 'us-date.yaml',
    content: 'client:\n  name: A\nowners:\n  runbook:\n    owner:\n      name: B\n    lastTested: 03/31/2026\n',
    line: 7,
    jsonPath: 'owners.runbook.lastTested',
    message: /03\/31\/2026/,
    fix: /YYYY-MM-DD/,
  },
  {
    name: 'missing client name',
    file: 'no-client.yaml',
    content: 'breakGlassAccounts: []\n',
    jsonPath: 'client',
    message: /client: missing; expected a mapping/,
    fix: /add `client`/,
  },
  {
    name: 'empty file',
    file: 'empty.yaml',
    content: '',
    message: /empty/,
    fix: /examples\/engagement-v2\.yaml/,
  },
  {
    name: 'comments only',
    file: 'comments.yaml',
    content: '# nothing here yet\n',
    message: /no keys/,
    fix: /examples/,
  },
  {
    name: 'list at top level',
    file: 'list.yaml',
    content: '- client\n',
    message: /a list/,
    fix: /examples/,
  },
  {
    name: 'unsupported version',
    file: 'v9.yaml',
    content: 'version: 9\nclient:\n  name: A\n',
    line: 1,
    jsonPath: 'version',
    message: /unsupported version 9/,
    fix: /upgrade tokengap/,
  },
  {
    name: 'invalid UTF-8 bytes',
    file: 'latin1.yaml',
    content: Buffer.from([0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74, 0x3a, 0x0a, 0x20, 0x20, 0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]),
    message: /not valid UTF-8/,
    fix: /save the file as UTF-8/,
  },
  {
    // Regression: an alias bomb was an internal error (exit 3) instead of an input error.
    name: 'YAML alias bomb',
    file: 'bomb.yaml',
    content:
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n' +
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nclient:\n  name: A\n',
    message: /the YAML cannot be expanded \(Excessive alias count/,
    fix: /instead of using YAML anchors and aliases/,
  },
];

for (const badCase of badCases) {
  test(`rejects ${badCase.name}`, async () => {
    const path = writeFile(badCase.file, badCase.content);
    await assert.rejects(loadEngagement(path), (error: unknown) => {
      assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
      assert.equal(error.location.file, path);
      if (badCase.line !== undefined) assert.equal(error.location.line, badCase.line);
      if (badCase.jsonPath !== undefined) assert.equal(error.location.jsonPath, badCase.jsonPath);
      assert.match(error.message, badCase.message);
      assert.match(error.fix ?? '', badCase.fix);
      return true;
    });
  });
}

test('missing file names the path', async () => {
  const path = join(dir, 'absent.yaml');
  await assert.rejects(loadEngagement(path), (error: unknown) => {
    assert.ok(error instanceof InputError);
    assert.match(error.message, /file not found/);
    return true;
  });
});

test('version 2 example loads with its keys', async () => {
  const engagement = await loadEngagement(join(repoRoot, 'examples', 'engagement-v2.yaml'));
  assert.equal(engagement.version, 2);
  assert.equal(engagement.client.userCount, 48);
  assert.equal(engagement.rates.engineer, 150);
  assert.equal(engagement.monthlySupport.includes['policy-redesign'], 'no');
  assert.deepEqual(engagement.emergencyAllowance, { hours: 4, period: 'month' });
  assert.equal(engagement.licensePrices.entraIdP1, 6);
  assert.deepEqual(engagement.effortDefaults['register-admin-phishing-resistant-methods']?.perObjectHours, { min: 0.5, max: 1 });
  assert.equal(engagement.acceptedRisks.length, 1);
  assert.equal(engagement.acceptedRisks[0]?.evidence?.objectCount, 1);
});

test('version 1 file gets version 2 defaults', async () => {
  const engagement = await loadEngagement(writeFile('v1-defaults.yaml', validV1));
  assert.equal(engagement.currency, 'USD');
  assert.deepEqual(engagement.monthlySupport.includes, {});
  assert.deepEqual(engagement.rates, {});
  assert.deepEqual(engagement.acceptedRisks, []);
});

test('booleans count as yes and no', async () => {
  const path = writeFile('booleans.json', JSON.stringify({ version: 2, client: { name: 'A' }, monthlySupport: { includes: { 'policy-redesign': true, 'client-reporting': false } } }));
  const engagement = await loadEngagement(path);
  assert.deepEqual(engagement.monthlySupport.includes, { 'policy-redesign': 'yes', 'client-reporting': 'no' });
});

const badVersion2Cases: BadCase[] = [
  {
    name: 'version 2 key in a version 1 file',
    file: 'v2-key-in-v1.yaml',
    content: 'client:\n  name: A\nrates:\n  engineer: 150\n',
    line: 3,
    jsonPath: 'rates',
    message: /belongs to version 2/,
    fix: /add `version: 2`/,
  },
  {
    name: 'rate given as text',
    file: 'rate-text.yaml',
    content: 'version: 2\nclient:\n  name: A\nrates:\n  technician: "95"\n',
    line: 5,
    jsonPath: 'rates.technician',
    message: /found the text "95"; expected a number/,
    fix: /set `rates\.technician` to a number/,
  },
  {
    name: 'unknown role',
    file: 'role.yaml',
    content: 'version: 2\nclient:\n  name: A\nrates:\n  technicain: 95\n',
    line: 5,
    jsonPath: 'rates.technicain',
    message: /did you mean `technician`/,
    fix: /rename/,
  },
  {
    name: 'British spelling of a work item',
    file: 'enrolment.yaml',
    content: 'version: 2\nclient:\n  name: A\nmonthlySupport:\n  includes:\n    mfa-enrolment-help: yes\n',
    line: 6,
    jsonPath: 'monthlySupport.includes.mfa-enrolment-help',
    message: /did you mean `mfa-enrollment-help`/,
    fix: /rename `mfa-enrolment-help` to `mfa-enrollment-help`/,
  },
  {
    name: 'inclusion outside yes maybe no',
    file: 'perhaps.yaml',
    content: 'version: 2\nclient:\n  name: A\nmonthlySupport:\n  includes:\n    policy-redesign: perhaps\n',
    line: 6,
    jsonPath: 'monthlySupport.includes.policy-redesign',
    message: /expected one of "yes", "maybe", "no"/,
    fix: /listed values/,
  },
  {
    name: 'negative allowance',
    file: 'allowance.yaml',
    content: 'version: 2\nclient:\n  name: A\nemergencyAllowance:\n  hours: -4\n',
    line: 5,
    jsonPath: 'emergencyAllowance.hours',
    message: /too small/,
    fix: /larger value/,
  },
  {
    name: 'effort range upside down',
    file: 'range.yaml',
    content: 'version: 2\nclient:\n  name: A\neffortDefaults:\n  block-device-code-flow:\n    baseHours: { min: 4, max: 2 }\n',
    line: 6,
    jsonPath: 'effortDefaults.block-device-code-flow.baseHours.max',
    message: /max is at least its min/,
    fix: /baseHours\.max/,
  },
  {
    name: 'review date before acceptance',
    file: 'review.yaml',
    content: 'version: 2\nclient:\n  name: A\nacceptedRisks:\n  - findingKey: x\n    reason: r\n    approver: Jane\n    acceptedOn: 2026-05-01\n    reviewBy: 2026-01-01\n',
    line: 9,
    jsonPath: 'acceptedRisks[0].reviewBy',
    message: /on or after `acceptedOn`/,
    fix: /acceptedRisks\[0\]\.reviewBy/,
  },
  {
    name: 'accepted risk without approver',
    file: 'approver.yaml',
    content: 'version: 2\nclient:\n  name: A\nacceptedRisks:\n  - findingKey: x\n    reason: r\n    acceptedOn: 2026-05-01\n    reviewBy: 2026-06-01\n',
    line: 5,
    jsonPath: 'acceptedRisks[0].approver',
    message: /missing; expected a text/,
    fix: /add `acceptedRisks\[0\]\.approver`/,
  },
  {
    name: 'lowercase currency',
    file: 'currency.yaml',
    content: 'version: 2\nclient:\n  name: A\ncurrency: usd\n',
    line: 4,
    jsonPath: 'currency',
    message: /three-letter currency code/,
    fix: /set `currency`/,
  },
];

for (const badCase of badVersion2Cases) {
  test(`rejects ${badCase.name}`, async () => {
    const path = writeFile(badCase.file, badCase.content);
    await assert.rejects(loadEngagement(path), (error: unknown) => {
      assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
      if (badCase.line !== undefined) assert.equal(error.location.line, badCase.line);
      if (badCase.jsonPath !== undefined) assert.equal(error.location.jsonPath, badCase.jsonPath);
      assert.match(error.message, badCase.message);
      assert.match(error.fix ?? '', badCase.fix);
      return true;
    });
  });
}
