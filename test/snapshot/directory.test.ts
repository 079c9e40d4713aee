import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ROLE } from '../../src/entra/roles.js';
import { buildDirectoryFacts } from '../../src/snapshot/directory.js';
import type { SnapshotResources } from '../../src/snapshot/types.js';
import { group, members, roleAssignment, user } from '../helpers/tenant.js';

const alice = user({ displayName: 'Alice' });
const bob = user({ displayName: 'Bob', userPrincipalName: 'Bob@Contoso.com' });
const carol = user({ displayName: 'Carol' });
const dave = user({ displayName: 'Dave' });
const outer = group({ displayName: 'Outer' });
const inner = group({ displayName: 'Inner' });
const loopA = group({ displayName: 'Loop A' });
const loopB = group({ displayName: 'Loop B' });
const admins = group({ displayName: 'Tier 0 admins', isAssignableToRole: true });

const base: Partial<SnapshotResources> = {
  users: [alice, bob, carol, dave],
  groups: [outer, inner, loopA, loopB, admins],
  groupMembers: {
    [outer.id!]: [...members(alice, inner)],
    [inner.id!]: members(bob),
    [loopA.id!]: members(carol, loopB),
    [loopB.id!]: members(dave, loopA),
    [admins.id!]: members(carol),
  },
};

const ids = (set: ReadonlySet<string>): string[] => [...set].sort();

test('transitive users follow nested groups', () => {
  const facts = buildDirectoryFacts(base);
  assert.deepEqual(ids(facts.transitiveUsersOf(outer.id!)), [alice.id!, bob.id!].sort());
  assert.deepEqual(ids(facts.transitiveUsersOf(inner.id!)), [bob.id!]);
  assert.deepEqual(ids(facts.transitiveUsersOf('no-such-group')), []);
});

test('transitive groups follow nested groups upward', () => {
  const facts = buildDirectoryFacts(base);
  assert.deepEqual(ids(facts.transitiveGroupsOf(bob.id!)), [inner.id!, outer.id!].sort());
  assert.deepEqual(ids(facts.transitiveGroupsOf(inner.id!)), [outer.id!]);
  assert.deepEqual(ids(facts.transitiveGroupsOf(alice.id!)), [outer.id!]);
});

test('membership cycles terminate', () => {
  const facts = buildDirectoryFacts(base);
  assert.deepEqual(ids(facts.transitiveUsersOf(loopA.id!)), [carol.id!, dave.id!].sort());
  assert.deepEqual(ids(facts.transitiveUsersOf(loopB.id!)), [carol.id!, dave.id!].sort());
  assert.deepEqual(ids(facts.transitiveGroupsOf(loopA.id!)), [loopB.id!]);
  assert.deepEqual(ids(facts.transitiveGroupsOf(carol.id!)), [admins.id!, loopA.id!, loopB.id!].sort());
});

test('members without @odata.type are typed by id', () => {
  const facts = buildDirectoryFacts({
    users: [alice],
    groups: [outer, inner],
    groupMembers: { [outer.id!]: [{ id: inner.id! }], [inner.id!]: [{ id: alice.id! }] },
  });
  assert.deepEqual(ids(facts.transitiveUsersOf(outer.id!)), [alice.id!]);
});

test('lookups ignore id and UPN casing', () => {
  const facts = buildDirectoryFacts(base);
  assert.equal(facts.findUser('bob@contoso.COM'), bob);
  assert.equal(facts.findUser(alice.id!.toUpperCase()), alice);
  assert.equal(facts.userById(alice.id!.toUpperCase()), alice);
  assert.equal(facts.groupById(outer.id!.toUpperCase()), outer);
  assert.equal(facts.findUser('nobody@contoso.com'), undefined);
  assert.deepEqual(ids(facts.transitiveUsersOf(inner.id!.toUpperCase())), [bob.id!]);
});

const now = new Date('2026-06-01T12:00:00Z');
const hour = 3600_000;
const iso = (offsetHours: number) => new Date(now.getTime() + offsetHours * hour).toISOString();

const roleCases: Array<{ name: string; resources: Partial<SnapshotResources>; holders: string[]; aliceRoles: string[] }> = [
  {
    name: 'permanent tenant-wide assignment counts',
    resources: { roleAssignments: [roleAssignment(alice.id!, ROLE.globalAdministrator)] },
    holders: [alice.id!],
    aliceRoles: [ROLE.globalAdministrator],
  },
  {
    name: 'administrative-unit scope does not count',
    resources: { roleAssignments: [roleAssignment(alice.id!, ROLE.globalAdministrator, { directoryScopeId: '/administrativeUnits/123' })] },
    holders: [],
    aliceRoles: [],
  },
  {
    name: 'PIM eligibility alone does not count',
    resources: {
      roleEligibilitySchedules: [{ id: 'e1', principalId: alice.id!, roleDefinitionId: ROLE.globalAdministrator, directoryScopeId: '/', memberType: 'Direct', status: 'Provisioned' }],
    },
    holders: [],
    aliceRoles: [],
  },
  {
    name: 'activated PIM instance within its window counts',
    resources: {
      roleAssignmentScheduleInstances: [
        { id: 'i1', principalId: alice.id!, roleDefinitionId: ROLE.globalAdministrator, directoryScopeId: '/', assignmentType: 'Activated', startDateTime: iso(-1), endDateTime: iso(7) },
      ],
    },
    holders: [alice.id!],
    aliceRoles: [ROLE.globalAdministrator],
  },
  {
    name: 'expired activation does not count',
    resources: {
      roleAssignmentScheduleInstances: [
        { id: 'i1', principalId: alice.id!, roleDefinitionId: ROLE.globalAdministrator, directoryScopeId: '/', assignmentType: 'Activated', startDateTime: iso(-9), endDateTime: iso(-1) },
      ],
    },
    holders: [],
    aliceRoles: [],
  },
  {
    name: 'future assignment does not count yet',
    resources: {
      roleAssignmentScheduleInstances: [
        { id: 'i1', principalId: alice.id!, roleDefinitionId: ROLE.securityAdministrator, directoryScopeId: '/', assignmentType: 'Assigned', startDateTime: iso(2), endDateTime: null },
      ],
    },
    holders: [],
    aliceRoles: [],
  },
  {
    name: 'role definition id maps to its template id',
    resources: {
      roleDefinitions: [{ id: 'custom-definition-id', templateId: 'custom-template-id', displayName: 'Custom' }],
      roleAssignments: [roleAssignment(alice.id!, 'CUSTOM-DEFINITION-ID')],
    },
    holders: [],
    aliceRoles: ['custom-template-id'],
  },
];

for (const { name, resources, holders, aliceRoles } of roleCases) {
  test(`roles: ${name}`, () => {
    const facts = buildDirectoryFacts({ ...base, ...resources }, { asOf: now });
    assert.deepEqual(ids(facts.activeHoldersOf(ROLE.globalAdministrator)), holders.sort());
    assert.deepEqual(ids(facts.activeTenantRolesOf(alice.id!)), aliceRoles.sort());
  });
}

test('roles: assignment to a role-assignable group reaches its users', () => {
  const facts = buildDirectoryFacts(
    { ...base, roleAssignments: [roleAssignment(admins.id!, ROLE.privilegedRoleAdministrator)] },
    { asOf: now },
  );
  assert.deepEqual(ids(facts.activeHoldersOf(ROLE.privilegedRoleAdministrator)), [admins.id!, carol.id!].sort());
  assert.deepEqual(ids(facts.activeTenantRolesOf(carol.id!)), [ROLE.privilegedRoleAdministrator]);
  assert.deepEqual(ids(facts.activeTenantRolesOf(dave.id!)), []);
});

test('roles: upper-case template id in query matches', () => {
  const facts = buildDirectoryFacts({ ...base, roleAssignments: [roleAssignment(bob.id!, ROLE.globalAdministrator)] });
  assert.deepEqual(ids(facts.activeHoldersOf(ROLE.globalAdministrator.toUpperCase())), [bob.id!]);
});

test('large directory builds and answers', () => {
  // Correctness on a tenant-sized input; speed is measured in bench/, not here.
  const userCount = 20_000;
  const groupCount = 400;
  const users = Array.from({ length: userCount }, (_, i) => ({ id: `u${i}`, userPrincipalName: `u${i}@contoso.com` }));
  const groups = Array.from({ length: groupCount }, (_, i) => ({ id: `g${i}` }));
  const groupMembers: SnapshotResources['groupMembers'] = {};
  for (let g = 0; g < groupCount; g++) {
    const list = [];
    for (let u = g; u < userCount; u += groupCount) list.push({ '@odata.type': '#microsoft.graph.user', id: `u${u}` });
    if (g > 0) list.push({ '@odata.type': '#microsoft.graph.group', id: `g${g - 1}` });
    groupMembers[`g${g}`] = list;
  }
  const facts = buildDirectoryFacts({ users, groups, groupMembers });
  // Group g(k) nests g(k-1) ... g0, so it reaches users of all k+1 groups.
  assert.equal(facts.transitiveUsersOf(`g${groupCount - 1}`).size, userCount);
  assert.equal(facts.transitiveUsersOf('g0').size, userCount / groupCount);
  assert.equal(facts.transitiveGroupsOf('u0').size, groupCount);
  assert.equal(facts.findUser('U19999@CONTOSO.COM')?.id, 'u19999');
});
