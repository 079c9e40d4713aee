import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { InputError } from '../../src/errors.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { policy, user } from '../helpers/tenant.js';
import { writeFolder } from './fixture-folder.js';

const alice = user({ displayName: 'Alice' });
const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

interface MalformedCase {
  name: string;
  files: Record<string, unknown>;
  /** File named in the error, relative to the snapshot folder ('' for the folder itself). */
  file: string;
  jsonPath?: string;
  line?: number;
  problem: RegExp;
  expected: RegExp;
  fix?: RegExp;
  /** Load this path inside the folder instead of the folder. */
  loadPath?: string;
}

const cases: MalformedCase[] = [
  {
    name: 'truncated JSON',
    files: { 'users.json': '{\n  "value": [\n    { "id": "a", "displayName": "Al' },
    file: 'users.json',
    line: 3,
    problem: /invalid JSON at line 3, column 36/,
    expected: /closing double quote/,
    fix: /truncated/,
  },
  {
    name: 'truncated UTF-16 policy',
    files: { 'conditionalAccessPolicies/CA001.json': utf16le('{\r\n  "id": "x",\r\n  "state": "enabled",\r\n') },
    file: 'conditionalAccessPolicies/CA001.json',
    line: 4,
    problem: /invalid JSON at line 4, column 1/,
    expected: /property name/,
    fix: /truncated/,
  },
  {
    name: 'string where an array belongs',
    files: { 'conditionalAccessPolicies.json': { value: [policy(), { ...policy({ displayName: 'Two' }), conditions: { users: { includeUsers: 'All' } } }] } },
    file: 'conditionalAccessPolicies.json',
    jsonPath: '$.value[1].conditions.users.includeUsers',
    problem: /"includeUsers" is a string \("All"\)/,
    expected: /an array of strings, e\.g\. \["All"\]/,
    fix: /\["All"\]/,
  },
  {
    name: 'wrong type of boolean',
    files: { 'users.json': [alice, { ...alice, id: 'b', accountEnabled: 'Boolean' }] },
    file: 'users.json',
    jsonPath: '$[1].accountEnabled',
    problem: /"accountEnabled" is a string \("Boolean"\)/,
    expected: /a boolean/,
    fix: /true or false without quotes/,
  },
  {
    name: 'number inside a string array',
    files: { 'conditionalAccessPolicies/p.json': { ...policy(), conditions: { users: { includeGroups: ['g', 7] } } } },
    file: 'conditionalAccessPolicies/p.json',
    jsonPath: '$.conditions.users.includeGroups[1]',
    problem: /"includeGroups\[1\]" is a number \(7\)/,
    expected: /a string/,
  },
  {
    name: 'missing id',
    files: { 'groups.json': { value: [{ displayName: 'No id' }] } },
    file: 'groups.json',
    jsonPath: '$.value[0].id',
    problem: /"id" is missing/,
    expected: /a string/,
    fix: /add "id"/,
  },
  {
    name: 'state that is not a string',
    files: { 'conditionalAccessPolicies.json': [{ ...policy(), state: null }] },
    file: 'conditionalAccessPolicies.json',
    jsonPath: '$[0].state',
    problem: /"state" is null/,
    expected: /a string/,
  },
  {
    name: 'value that is not a list',
    files: { 'users.json': { value: { id: 'a' } } },
    file: 'users.json',
    jsonPath: '$.value',
    problem: /"value" is an object/,
    expected: /an array of objects/,
  },
  {
    name: 'a JSON string as the whole file',
    files: { 'users.json': '"users"' },
    file: 'users.json',
    jsonPath: '$',
    problem: /contains a string/,
    expected: /Graph page/,
  },
  { name: 'empty file', files: { 'users.json': '' }, file: 'users.json', problem: /the file is empty/, expected: /a JSON document/ },
  { name: 'whitespace-only file', files: { 'users.json': '\r\n  \r\n' }, file: 'users.json', problem: /the file is empty/, expected: /a JSON document/ },
  {
    name: 'invalid UTF-16',
    files: { 'users.json': Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x0a, 0x00, 0x00, 0xdc, 0x7d, 0x00]) },
    file: 'users.json',
    line: 2,
    problem: /not valid UTF-16LE/,
    expected: /UTF-8 or UTF-16/,
    fix: /UTF-8/,
  },
  {
    name: 'binary garbage',
    files: { 'users.json': Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb, 0x48, 0xcd, 0xc9, 0xc9, 0x07]) },
    file: 'users.json',
    problem: /not valid UTF-8|binary/,
    expected: /UTF-8 or UTF-16|text export/,
  },
  {
    name: 'manifest with an unknown status',
    files: { 'manifest.json': { schemaVersion: 1, resources: { users: { status: 'skipped' } } }, 'users.json': [alice] },
    file: 'manifest.json',
    jsonPath: '$.resources.users.status',
    problem: /"status" is a string \("skipped"\)/,
    expected: /one of "collected", "forbidden", "unlicensed", "failed", "notCollected"/,
  },
  {
    name: 'manifest of another version',
    files: { 'manifest.json': { schemaVersion: 2, resources: {} } },
    file: 'manifest.json',
    jsonPath: '$.schemaVersion',
    problem: /schemaVersion is 2/,
    expected: /^1$/,
    fix: /update tokengap/,
  },
  {
    name: 'manifest marks a missing file collected',
    files: { 'manifest.json': { resources: { users: { status: 'collected' }, groups: { status: 'collected' } } }, 'users.json': [alice] },
    file: 'manifest.json',
    jsonPath: '$.resources.groups',
    problem: /groups is marked collected but groups\.json or groups\/ is missing/,
    expected: /groups\.json or groups\//,
  },
  {
    name: 'manifest marks missing sign-ins collected',
    files: { 'manifest.json': { resources: { signIns: { status: 'collected' } } } },
    file: 'manifest.json',
    jsonPath: '$.resources.signIns',
    problem: /signIns\/ is missing/,
    expected: /signIns\//,
  },
  {
    name: 'manifest that is an array',
    files: { 'manifest.json': [] },
    file: 'manifest.json',
    jsonPath: '$',
    problem: /not an object/,
    expected: /"resources"/,
  },
  {
    name: 'resource file that is a folder',
    files: { 'users.json/': null },
    file: 'users.json',
    problem: /folder, not a file/,
    expected: /a JSON file/,
  },
  {
    name: 'snapshot path that is a file',
    files: { 'users.json': [alice] },
    loadPath: 'users.json',
    file: 'users.json',
    problem: /a file, not a snapshot folder/,
    expected: /a folder with manifest\.json/,
    fix: /folder that contains/,
  },
  {
    name: 'snapshot path that does not exist',
    files: {},
    loadPath: 'missing',
    file: 'missing',
    problem: /does not exist/,
    expected: /a folder/,
  },
  {
    name: 'groupMembers as a bare list',
    files: { 'groupMembers.json': { value: [{ id: 'u1' }] } },
    file: 'groupMembers.json',
    jsonPath: '$',
    problem: /member list without its group id/,
    expected: /mapping each group id/,
  },
  {
    name: 'groupMembers member without id',
    files: { 'groupMembers.json': { g1: { value: [{ '@odata.type': '#microsoft.graph.user' }] } } },
    file: 'groupMembers.json',
    jsonPath: '$["g1"].value[0].id',
    problem: /"id" is missing/,
    expected: /a string/,
  },
  {
    name: 'organization of two tenants',
    files: { 'organization/a.json': { id: 'tenant-a' }, 'organization/b.json': { id: 'tenant-b' } },
    file: 'organization/a.json',
    jsonPath: '$',
    problem: /names 2 tenants \(tenant-a, tenant-b\)/,
    expected: /one tenant/,
    fix: /one snapshot folder per tenant/,
  },
  {
    name: 'manifest of another tenant',
    files: { 'manifest.json': { tenantId: 'tenant-a', resources: { organization: { status: 'collected' } } }, 'organization.json': { value: [{ id: 'tenant-b' }] } },
    file: 'manifest.json',
    jsonPath: '$.tenantId',
    problem: /tenantId tenant-a differs from the organization id tenant-b/,
    expected: /the id of the tenant/,
  },
  {
    name: 'empty singleton folder',
    files: { 'authorizationPolicy/': null },
    file: 'authorizationPolicy',
    problem: /folder contains no file for authorizationPolicy/,
    expected: /one \.json file/,
  },
  {
    name: 'singleton written as a list of two',
    files: { 'authorizationPolicy.json': { value: [{ id: 'a' }, { id: 'b' }] } },
    file: 'authorizationPolicy.json',
    jsonPath: '$',
    problem: /list of 2 objects/,
    expected: /one authorizationPolicy object/,
  },
  {
    // Regression: an empty folder was assessed as a clean tenant with every check not run.
    name: 'empty folder',
    files: { 'notes/': null },
    file: '',
    problem: /^no resource files found in /,
    expected: /manifest\.json or resource files/,
    fix: /pass the folder that holds manifest\.json or the resource files/,
  },
  {
    // Regression: the parent of a snapshot folder, with the snapshot one level down.
    name: 'parent of a snapshot folder',
    files: { 'clientA/manifest.json': { tenantId: 't', resources: {} }, 'clientA/users.json': [alice], 'readme.txt': 'x' },
    file: '',
    problem: /^no resource files found in /,
    expected: /manifest\.json or resource files/,
    fix: /the snapshot seems to be in .*clientA: pass that folder/,
  },
  {
    // Regression: 10,000 nested arrays overflowed the stack (internal error, exit 3).
    name: 'JSON nested 10,000 levels deep',
    files: { 'groups.json': `{"value":${'['.repeat(10_000)}${']'.repeat(10_000)}}` },
    file: 'groups.json',
    jsonPath: `$.value${'[0]'.repeat(38)}...`,  // the path is cut at 120 characters
    problem: /nested more than 256 levels deep/,
    expected: /a Graph export/,
    fix: /export the file again/,
  },
  {
    // Regression: "yesterday" was accepted and printed as the collection time.
    name: 'collectedAt that is not a date-time',
    files: { 'manifest.json': { tenantId: 't', collectedAt: 'yesterday', resources: {} } },
    file: 'manifest.json',
    jsonPath: '$.collectedAt',
    problem: /collectedAt is "yesterday"/,
    expected: /ISO 8601 date-time/,
    fix: /set collectedAt to the time the data was exported/,
  },
];

for (const testCase of cases) {
  test(`malformed: ${testCase.name}`, async () => {
    const dir = await writeFolder(testCase.files);
    const target = testCase.loadPath ? join(dir, testCase.loadPath) : dir;
    let caught: unknown;
    try {
      await loadSnapshot(target);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof InputError, `expected InputError, got ${String(caught)}`);
    assert.equal(caught.location.file, join(dir, testCase.file));
    assert.equal(caught.location.jsonPath, testCase.jsonPath);
    if (testCase.line !== undefined) assert.equal(caught.location.line, testCase.line);
    assert.match(caught.problem, testCase.problem);
    assert.match(caught.expected, testCase.expected);
    assert.ok(caught.fix, 'every input error carries a fix');
    if (testCase.fix) assert.match(caught.fix, testCase.fix);
    assert.equal(caught.exitCode, 2);
  });
}
