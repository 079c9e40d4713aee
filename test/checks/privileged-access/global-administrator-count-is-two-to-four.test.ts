import { globalAdministratorCountIsTwoToFour as check } from '../../../src/checks/privileged-access/global-administrator-count-is-two-to-four.js';
import { ROLE } from '../../../src/entra/roles.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { group, idFor, members, roleAssignment, user } from '../../helpers/tenant.js';

const [ana, ben, cai, dee, eve] = ['Ana', 'Ben', 'Cai', 'Dee', 'Eve'].map((name) => user({ displayName: name }));
const admins = group({ displayName: 'Tenant admins', isAssignableToRole: true });
const ga = (principalId: string) => roleAssignment(principalId, ROLE.globalAdministrator);
const eligibleGa = (principalId: string) => ({ id: idFor(`eligible:${principalId}`), principalId, roleDefinitionId: ROLE.globalAdministrator, directoryScopeId: '/', memberType: 'Direct' });

runCheckCases(check, [
  {
    name: 'two active admins pass',
    tenant: { users: [ana!, ben!, cai!], roleAssignments: [ga(ana!.id!), ga(ben!.id!)] },
    expect: { state: 'pass', summary: 'within-range' },
  },
  {
    name: 'member of a GA group counts',
    tenant: {
      users: [ana!, ben!],
      groups: [admins],
      groupMembers: { [admins.id!]: members(ben!) },
      roleAssignments: [ga(ana!.id!), ga(admins.id!)],
    },
    expect: { state: 'pass', summary: 'within-range' },
  },
  {
    name: 'five including eligible fail',
    tenant: {
      users: [ana!, ben!, cai!, dee!, eve!],
      roleAssignments: [ga(ana!.id!), ga(ben!.id!), ga(cai!.id!)],
      roleEligibilitySchedules: [eligibleGa(dee!.id!), eligibleGa(eve!.id!)],
    },
    expect: {
      state: 'fail',
      findings: [{ messageId: 'too-many', key: 'global-administrator-count-is-two-to-four', data: { count: 5, names: ['Ana (ana@contoso.onmicrosoft.com)', 'Ben (ben@contoso.onmicrosoft.com)', 'Cai (cai@contoso.onmicrosoft.com)', 'Dee (dee@contoso.onmicrosoft.com)', 'Eve (eve@contoso.onmicrosoft.com)'] } }],
    },
  },
  {
    name: 'eligible through a group counts',
    tenant: {
      users: [ana!, ben!, cai!, dee!, eve!],
      groups: [admins],
      groupMembers: { [admins.id!]: members(cai!, dee!, eve!) },
      roleAssignments: [ga(ana!.id!), ga(ben!.id!)],
      roleEligibilitySchedules: [eligibleGa(admins.id!)],
    },
    expect: { state: 'fail', findings: [{ messageId: 'too-many', data: { count: 5 } }] },
  },
  {
    name: 'one admin warns',
    tenant: { users: [ana!, ben!], roleAssignments: [ga(ana!.id!)] },
    expect: { state: 'warn', findings: [{ messageId: 'too-few', severity: 'medium', data: { count: 1, names: ['Ana (ana@contoso.onmicrosoft.com)'] } }] },
  },
  {
    name: 'disabled second admin does not count',
    tenant: { users: [ana!, { ...ben!, accountEnabled: false }], roleAssignments: [ga(ana!.id!), ga(ben!.id!)] },
    expect: { state: 'warn', findings: [{ messageId: 'too-few', data: { count: 1 } }] },
  },
  {
    name: 'unit-scoped assignment is not tenant-wide',
    tenant: { users: [ana!, ben!], roleAssignments: [ga(ana!.id!), roleAssignment(ben!.id!, ROLE.globalAdministrator, { directoryScopeId: '/administrativeUnits/au1' })] },
    expect: { state: 'warn', findings: [{ messageId: 'too-few', data: { count: 1 } }] },
  },
  {
    name: 'no role assignments collected',
    tenant: { users: [ana!] },
    statuses: { roleAssignments: { status: 'forbidden', permission: 'RoleManagement.Read.Directory' } },
    expect: { state: 'skipped', skipReason: 'permission-missing' },
  },
]);
