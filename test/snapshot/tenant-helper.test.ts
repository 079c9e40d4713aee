import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ROLE } from '../../src/entra/roles.js';
import { group, members, makeSnapshot, policy, roleAssignment, user } from '../helpers/tenant.js';

test('makeSnapshot marks given resources collected', () => {
  const alice = user({ displayName: 'Alice' });
  const snapshot = makeSnapshot({ users: [alice] });
  assert.deepEqual(snapshot.statusOf('users'), { status: 'collected' });
  assert.deepEqual(snapshot.statusOf('groups'), { status: 'notCollected' });
  assert.deepEqual(snapshot.statusOf('signIns'), { status: 'notCollected' });
  assert.equal(snapshot.resources.users?.[0], alice);
  assert.equal(snapshot.resources.groups, undefined);
});

test('makeSnapshot status wins over data', () => {
  const snapshot = makeSnapshot(
    { users: [user()], conditionalAccessPolicies: [policy()] },
    { statuses: { conditionalAccessPolicies: { status: 'forbidden', permission: 'Policy.Read.All' } } },
  );
  assert.equal(snapshot.statusOf('conditionalAccessPolicies').status, 'forbidden');
  assert.equal(snapshot.resources.conditionalAccessPolicies, undefined);
});

test('makeSnapshot collected status without data is empty', () => {
  const snapshot = makeSnapshot({}, { statuses: { roleAssignments: { status: 'collected' }, groupMembers: { status: 'collected' } } });
  assert.deepEqual(snapshot.resources.roleAssignments, []);
  assert.deepEqual(snapshot.resources.groupMembers, {});
  assert.throws(() => makeSnapshot({}, { statuses: { authorizationPolicy: { status: 'collected' } } }), /authorizationPolicy/);
});

test('makeSnapshot field statuses', () => {
  const snapshot = makeSnapshot({ users: [user()] }, { fields: { 'users.signInActivity': { status: 'unlicensed', license: 'Entra ID P1' } } });
  assert.equal(snapshot.statusOf('users', 'signInActivity').status, 'unlicensed');
  assert.equal(snapshot.statusOf('users', 'accountEnabled').status, 'collected');
});

test('makeSnapshot sign-in files', () => {
  assert.equal(makeSnapshot({}, { signInFiles: ['a.ndjson'] }).statusOf('signIns').status, 'collected');
  assert.deepEqual(makeSnapshot({}, { signInFiles: ['a.ndjson'] }).signInFiles, ['a.ndjson']);
});

test('makeSnapshot directory facts', () => {
  const alice = user({ displayName: 'Alice' });
  const admins = group({ displayName: 'Admins', isAssignableToRole: true });
  const snapshot = makeSnapshot({
    users: [alice],
    groups: [admins],
    groupMembers: { [admins.id!]: members(alice) },
    roleAssignments: [roleAssignment(admins.id!, ROLE.globalAdministrator)],
  });
  assert.ok(snapshot.directory.activeTenantRolesOf(alice.id!).has(ROLE.globalAdministrator));
  assert.equal(snapshot.directory.findUser(alice.userPrincipalName!), alice);
});

test('builders derive stable ids', () => {
  assert.equal(user({ displayName: 'Alice' }).id, user({ displayName: 'Alice' }).id);
  assert.notEqual(user({ displayName: 'Alice' }).id, user({ displayName: 'Bob' }).id);
  assert.match(group().id!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(user({ displayName: 'Alice Smith' }).userPrincipalName, 'alice.smith@contoso.onmicrosoft.com');
});

test('policy merges overrides deeply', () => {
  const excluded = group({ displayName: 'Excluded' });
  const built = policy({ state: 'enabledForReportingButNotEnforced', conditions: { users: { excludeGroups: [excluded.id!] } } });
  assert.equal(built.state, 'enabledForReportingButNotEnforced');
  assert.deepEqual(built.conditions?.users?.includeUsers, ['All']);
  assert.deepEqual(built.conditions?.users?.excludeGroups, [excluded.id]);
  assert.deepEqual(built.conditions?.applications?.includeApplications, ['All']);
  assert.deepEqual(built.grantControls?.builtInControls, ['mfa']);
  assert.equal(policy({ grantControls: null }).grantControls, null);
});
