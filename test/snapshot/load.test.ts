import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';

import { ROLE } from '../../src/entra/roles.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import type { LoadWarning } from '../../src/snapshot/types.js';
import { writeSnapshot } from '../../src/snapshot/write.js';
import { group, members, policy, roleAssignment, user } from '../helpers/tenant.js';
import { tempDir, writeFolder } from './fixture-folder.js';

const alice = user({ displayName: 'Alice' });
const bob = user({ displayName: 'Bob' });
const admins = group({ displayName: 'Admins', isAssignableToRole: true });
const mfaPolicy = policy({ displayName: 'MFA' });
const blockPolicy = policy({ displayName: 'Block device code', conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow' } }, grantControls: { builtInControls: ['block'] } });

async function load(files: Record<string, unknown>) {
  const dir = await writeFolder(files);
  const warnings: LoadWarning[] = [];
  const snapshot = await loadSnapshot(dir, { onWarning: (warning) => warnings.push(warning) });
  return { dir, snapshot, warnings };
}

const shapeCases: Array<{ name: string; files: Record<string, unknown>; policies: string[]; warning?: RegExp }> = [
  { name: 'Graph page', files: { 'conditionalAccessPolicies.json': { '@odata.context': 'x', value: [mfaPolicy, blockPolicy] } }, policies: ['MFA', 'Block device code'] },
  { name: 'bare array', files: { 'conditionalAccessPolicies.json': [mfaPolicy, blockPolicy] }, policies: ['MFA', 'Block device code'] },
  {
    name: 'array of pages',
    files: { 'conditionalAccessPolicies.json': [{ value: [mfaPolicy], '@odata.nextLink': 'https://graph.microsoft.com/next' }, { value: [blockPolicy] }] },
    policies: ['MFA', 'Block device code'],
  },
  { name: 'collapsed single object', files: { 'conditionalAccessPolicies.json': mfaPolicy }, policies: ['MFA'], warning: /one object rather than a list/ },
  {
    name: 'folder of one policy per file',
    files: { 'conditionalAccessPolicies/a.json': mfaPolicy, 'conditionalAccessPolicies/b.json': { value: [blockPolicy] } },
    policies: ['MFA', 'Block device code'],
  },
  {
    name: 'file and folder together',
    files: { 'conditionalAccessPolicies.json': [mfaPolicy], 'conditionalAccessPolicies/b.json': blockPolicy },
    policies: ['MFA', 'Block device code'],
  },
  {
    name: 'duplicate ids across files',
    files: { 'conditionalAccessPolicies/a.json': mfaPolicy, 'conditionalAccessPolicies/b.json': [mfaPolicy, blockPolicy] },
    policies: ['MFA', 'Block device code'],
    warning: /duplicate conditionalAccessPolicies id .* first read from .*a\.json at \$; this copy is ignored/,
  },
  { name: 'empty page', files: { 'conditionalAccessPolicies.json': { value: [] } }, policies: [] },
];

for (const { name, files, policies, warning } of shapeCases) {
  test(`load shape: ${name}`, async () => {
    const { snapshot, warnings } = await load(files);
    assert.deepEqual(snapshot.resources.conditionalAccessPolicies?.map((p) => p.displayName), policies);
    assert.equal(snapshot.statusOf('conditionalAccessPolicies').status, 'collected');
    if (warning) assert.ok(warnings.some((w) => warning.test(w.message)), `expected a warning matching ${warning}, got ${JSON.stringify(warnings)}`);
    else assert.deepEqual(warnings, []);
  });
}

test('load keeps unknown properties and enum members', async () => {
  const future = { ...mfaPolicy, futureProperty: { nested: 1 }, state: 'enabledSomeNewWay', grantControls: { operator: 'XOR', builtInControls: ['quantumMfa'] } };
  const { snapshot } = await load({ 'conditionalAccessPolicies.json': [future] });
  const loaded = snapshot.resources.conditionalAccessPolicies![0] as unknown as Record<string, unknown>;
  assert.deepEqual(loaded.futureProperty, { nested: 1 });
  assert.equal(loaded.state, 'enabledSomeNewWay');
  assert.deepEqual((loaded.grantControls as { builtInControls: string[] }).builtInControls, ['quantumMfa']);
});

test('load strips OData annotations but keeps @odata.type', async () => {
  const annotated = {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies/$entity',
    '@odata.type': '#microsoft.graph.conditionalAccessPolicy',
    'id@odata.type': '#String',
    ...mfaPolicy,
    'conditions@odata.type': '#microsoft.graph.conditionalAccessConditionSet',
    conditions: { ...mfaPolicy.conditions, 'clientAppTypes@odata.type': '#Collection(String)' },
  };
  const { snapshot } = await load({ 'conditionalAccessPolicies/p.json': annotated });
  const loaded = snapshot.resources.conditionalAccessPolicies![0] as unknown as Record<string, unknown>;
  assert.equal(loaded['@odata.type'], '#microsoft.graph.conditionalAccessPolicy');
  assert.equal(loaded['@odata.context'], undefined);
  assert.equal(loaded['id@odata.type'], undefined);
  assert.equal(loaded['conditions@odata.type'], undefined);
  assert.deepEqual(Object.keys(loaded.conditions as object).filter((key) => key.includes('@odata')), []);
});

test('load without manifest derives statuses and tenant', async () => {
  const { snapshot, dir } = await load({
    'organization.json': { value: [{ id: 'tenant-1', displayName: 'Fabrikam' }] },
    'users.json': { value: [alice] },
    'signIns/interactive.ndjson': '{}\n',
    'signIns/old/noninteractive.json.gz': 'x',
    'signIns/notes.txt': 'x',
  });
  assert.equal(snapshot.manifest.tenantId, 'tenant-1');
  assert.equal(snapshot.manifest.tenantName, 'Fabrikam');
  assert.equal(snapshot.statusOf('users').status, 'collected');
  assert.equal(snapshot.statusOf('groups').status, 'notCollected');
  assert.equal(snapshot.statusOf('signIns').status, 'collected');
  assert.deepEqual(snapshot.signInFiles, [join(dir, 'signIns', 'interactive.ndjson'), join(dir, 'signIns', 'old', 'noninteractive.json.gz')]);
  assert.deepEqual(snapshot.sources.users, [join(dir, 'users.json')]);
  assert.equal(snapshot.dir, dir);
});

test('load with manifest applies statuses', async () => {
  const { snapshot, warnings } = await load({
    'manifest.json': {
      schemaVersion: 1,
      tenantId: 'tenant-2',
      tenantName: 'Contoso',
      collectedAt: '2026-05-01T00:00:00Z',
      toolVersion: '0.1.0',
      resources: {
        users: { status: 'collected', count: 1 },
        riskyUsers: { status: 'unlicensed', license: 'Entra ID P2' },
        directoryAudits: { status: 'forbidden', permission: 'AuditLog.Read.All' },
        signIns: { status: 'failed', error: { httpStatus: 500, code: 'UnknownError' }, requestId: 'req-1' },
      },
      fields: { 'users.signInActivity': { status: 'unlicensed', license: 'Entra ID P1' } },
    },
    'users.json': { value: [alice] },
    'directoryAudits.json': { value: [] },
    'groups.json': { value: [admins] },
  });
  assert.equal(snapshot.manifest.tenantName, 'Contoso');
  assert.equal(snapshot.manifest.collectedAt, '2026-05-01T00:00:00Z');
  assert.equal(snapshot.statusOf('riskyUsers').license, 'Entra ID P2');
  assert.equal(snapshot.statusOf('directoryAudits').status, 'forbidden');
  assert.equal(snapshot.resources.directoryAudits, undefined);
  assert.equal(snapshot.statusOf('signIns').requestId, 'req-1');
  assert.equal(snapshot.statusOf('users', 'signInActivity').status, 'unlicensed');
  assert.equal(snapshot.statusOf('groups').status, 'collected');
  assert.ok(warnings.some((w) => w.file.endsWith('directoryAudits.json') && /marks directoryAudits as forbidden/.test(w.message)));
  assert.ok(warnings.some((w) => w.file.endsWith('groups.json') && /not listed in manifest\.json/.test(w.message)));
});

test('load warns about unknown files with a suggestion', async () => {
  const { warnings } = await load({ 'users.json': [alice], 'conditionalAccessPolicy.json': [mfaPolicy], 'README.txt': 'notes', 'signIns.ndjson': '{}', 'ProviderSettingsExport.json': {} });
  const messages = warnings.map((w) => w.message);
  assert.ok(messages.some((m) => /unknown file conditionalAccessPolicy\.json ignored; did you mean conditionalAccessPolicies\.json\?/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /unknown file README\.txt ignored/.test(m)));
  assert.ok(messages.some((m) => /sign-in logs belong in the folder signIns\//.test(m)));
  assert.ok(messages.some((m) => /ScubaGear export, not a snapshot: save its conditional_access_policies array/.test(m)));
});

test('load accepts resource names in other casing', async () => {
  const { snapshot } = await load({ 'Users.json': [alice] });
  assert.equal(snapshot.resources.users?.length, 1);
});

test('load reads singletons', async () => {
  const { snapshot, warnings } = await load({
    'authorizationPolicy.json': { '@odata.context': 'x', id: 'authorizationPolicy', allowInvitesFrom: 'everyone' },
    'identitySecurityDefaultsEnforcementPolicy.json': { value: [{ id: '00000000-0000-0000-0000-000000000005', isEnabled: false }] },
  });
  assert.equal(snapshot.resources.authorizationPolicy?.allowInvitesFrom, 'everyone');
  assert.equal(snapshot.resources.identitySecurityDefaultsEnforcementPolicy?.isEnabled, false);
  assert.ok(warnings.some((w) => /single object but was written as a list/.test(w.message)));
});

const membershipShapes: Array<{ name: string; files: Record<string, unknown> }> = [
  { name: 'arrays', files: { 'groupMembers.json': { [admins.id!]: members(alice, bob) } } },
  { name: 'pages', files: { 'groupMembers.json': { [admins.id!]: { '@odata.context': 'x', value: members(alice, bob) } } } },
  { name: 'a file per group', files: { [`groupMembers/${admins.id}.json`]: { value: members(alice, bob) } } },
  { name: 'maps merged from two files', files: { 'groupMembers/a.json': { [admins.id!]: members(alice) }, 'groupMembers/b.json': { [admins.id!]: members(bob, alice) } } },
];

for (const { name, files } of membershipShapes) {
  test(`load groupMembers as ${name}`, async () => {
    const { snapshot } = await load({
      ...files,
      'users.json': [alice, bob],
      'groups.json': [admins],
      'roleAssignments.json': [roleAssignment(admins.id!, ROLE.globalAdministrator)],
    });
    assert.deepEqual(snapshot.resources.groupMembers?.[admins.id!]?.map((m) => m.id).sort(), [alice.id, bob.id].sort());
    assert.deepEqual([...snapshot.directory.transitiveUsersOf(admins.id!)].sort(), [alice.id, bob.id].sort());
    assert.ok(snapshot.directory.activeTenantRolesOf(bob.id!).has(ROLE.globalAdministrator));
  });
}

test('load converts a PowerShell PascalCase dump', async () => {
  const dump = {
    Id: 'e430772e-f1c9-4618-9b68-4f125e80a288',
    DisplayName: 'Block device code',
    State: 'enabled',
    CreatedDateTime: '/Date(1647536088205)/',
    Conditions: { Users: { IncludeUsers: ['All'], ExcludeGroups: [] }, AuthenticationFlows: { TransferMethods: 'deviceCodeFlow' }, ClientAppTypes: ['all'] },
    GrantControls: { BuiltInControls: ['block'], Operator: 'OR' },
    AdditionalProperties: { '@odata.type': '#microsoft.graph.conditionalAccessPolicy', newGraphProperty: true },
  };
  const { snapshot, warnings } = await load({ 'conditionalAccessPolicies.json': [dump] });
  const loaded = snapshot.resources.conditionalAccessPolicies![0]!;
  assert.equal(loaded.id, dump.Id);
  assert.equal(loaded.conditions?.authenticationFlows?.transferMethods, 'deviceCodeFlow');
  assert.deepEqual(loaded.grantControls?.builtInControls, ['block']);
  assert.equal(loaded.createdDateTime, '2022-03-17T16:54:48.205Z');
  assert.equal((loaded as Record<string, unknown>).newGraphProperty, true);
  assert.equal((loaded as Record<string, unknown>).AdditionalProperties, undefined);
  assert.ok(warnings.some((w) => /PowerShell object dump/.test(w.message)));
});

test('load judges PIM instances at collection time', async () => {
  const instance = {
    id: 'i1',
    principalId: alice.id,
    roleDefinitionId: ROLE.globalAdministrator,
    directoryScopeId: '/',
    assignmentType: 'Activated',
    startDateTime: '2026-05-01T08:00:00Z',
    endDateTime: '2026-05-01T16:00:00Z',
  };
  const manifest = (collectedAt: string) => ({ resources: { users: { status: 'collected' }, roleAssignmentScheduleInstances: { status: 'collected' } }, collectedAt });
  const during = await load({ 'manifest.json': manifest('2026-05-01T12:00:00Z'), 'users.json': [alice], 'roleAssignmentScheduleInstances.json': [instance] });
  const after = await load({ 'manifest.json': manifest('2026-05-02T12:00:00Z'), 'users.json': [alice], 'roleAssignmentScheduleInstances.json': [instance] });
  assert.ok(during.snapshot.directory.activeTenantRolesOf(alice.id!).has(ROLE.globalAdministrator));
  assert.equal(after.snapshot.directory.activeTenantRolesOf(alice.id!).size, 0);
});

test('writeSnapshot round-trips through loadSnapshot', async () => {
  const dir = join(await tempDir(), 'contoso');
  await writeSnapshot(dir, {
    manifest: {
      schemaVersion: 1,
      tenantId: 'tenant-3',
      tenantName: 'Contoso',
      collectedAt: '2026-05-01T00:00:00Z',
      toolVersion: '0.1.0',
      resources: {
        users: { status: 'collected' },
        groupMembers: { status: 'collected' },
        authorizationPolicy: { status: 'collected' },
        conditionalAccessPolicies: { status: 'collected' },
        riskyUsers: { status: 'unlicensed', license: 'Entra ID P2' },
        signIns: { status: 'collected' },
      },
      fields: {},
    },
    resources: {
      users: [alice, bob],
      groupMembers: { [admins.id!]: members(alice) },
      authorizationPolicy: { id: 'authorizationPolicy', allowInvitesFrom: 'everyone' },
      conditionalAccessPolicies: [],
    },
    signIns: [{ name: 'interactive.ndjson', events: [{ id: 's1' }, { id: 's2' }] }],
  });

  const folderMode = (await stat(dir)).mode & 0o777;
  const fileMode = (await stat(join(dir, 'users.json'))).mode & 0o777;
  assert.equal(folderMode, 0o700);
  assert.equal(fileMode, 0o600);
  assert.equal((await stat(join(dir, 'signIns'))).mode & 0o777, 0o700);

  const snapshot = await loadSnapshot(dir);
  assert.deepEqual(snapshot.warnings, []);
  assert.deepEqual(snapshot.resources.users, [alice, bob]);
  assert.deepEqual(snapshot.resources.conditionalAccessPolicies, []);
  assert.equal(snapshot.manifest.resources.users?.count, 2);
  assert.equal(snapshot.statusOf('riskyUsers').status, 'unlicensed');
  assert.equal(snapshot.resources.authorizationPolicy?.allowInvitesFrom, 'everyone');
  assert.deepEqual(snapshot.signInFiles, [join(dir, 'signIns', 'interactive.ndjson')]);
});

test('writeSnapshot rejects a non-empty folder unless told to overwrite', async () => {
  const dir = await writeFolder({ 'users.json': [] });
  const input = {
    manifest: { schemaVersion: 1 as const, tenantId: null, tenantName: null, collectedAt: null, toolVersion: null, resources: { users: { status: 'collected' as const } }, fields: {} },
    resources: { users: [alice] },
  };
  await assert.rejects(writeSnapshot(dir, input), /already exists and is not empty/);
  await writeSnapshot(dir, { ...input, overwrite: true });
  assert.deepEqual((await loadSnapshot(dir)).resources.users, [alice]);
});

test('writeSnapshot rejects data that the manifest does not mark collected', async () => {
  const dir = join(await tempDir(), 'out');
  const manifest = { schemaVersion: 1 as const, tenantId: null, tenantName: null, collectedAt: null, toolVersion: null, resources: {}, fields: {} };
  await assert.rejects(writeSnapshot(dir, { manifest, resources: { users: [alice] } }), /users has data but its manifest status is missing/);
  await assert.rejects(stat(dir), /ENOENT/);
});

test('writeSnapshot leaves nothing behind on failure', async () => {
  const parent = await tempDir();
  const dir = join(parent, 'contoso');
  function* failingEvents() {
    yield { id: 's1' };
    throw new Error('sign-in stream broke');
  }
  await assert.rejects(
    writeSnapshot(dir, {
      manifest: { schemaVersion: 1, tenantId: null, tenantName: null, collectedAt: null, toolVersion: null, resources: { users: { status: 'collected' }, signIns: { status: 'collected' } }, fields: {} },
      resources: { users: [alice] },
      signIns: [{ name: 'interactive.ndjson', events: failingEvents() }],
    }),
    /sign-in stream broke/,
  );
  assert.deepEqual(await readdir(parent), []);
});
