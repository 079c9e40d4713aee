import type * as Graph from '@microsoft/microsoft-graph-types';

import { privilegedRolesUsePimEligibility as check } from '../../../src/checks/privileged-access/privileged-roles-use-pim-eligibility.js';
import { ROLE } from '../../../src/entra/roles.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { group, idFor, roleAssignment, user } from '../../helpers/tenant.js';
import { SKUS } from '../skus.js';

const ana = user({ displayName: 'Ana' });
const ben = user({ displayName: 'Ben' });
const breakGlass = user({ displayName: 'Emergency One' });
const helpdesk = group({ displayName: 'Helpdesk admins', isAssignableToRole: true });
const servicePrincipal: Graph.ServicePrincipal = { id: idFor('sp:automation'), appId: idFor('app:automation'), displayName: 'Automation' };

function instance(principalId: string, roleId: string, overrides: Partial<Graph.UnifiedRoleAssignmentScheduleInstance> = {}): Graph.UnifiedRoleAssignmentScheduleInstance {
  return {
    id: idFor(`instance:${principalId}:${roleId}`),
    principalId,
    roleDefinitionId: roleId,
    directoryScopeId: '/',
    assignmentType: 'Assigned',
    memberType: 'Direct',
    startDateTime: '2025-01-01T00:00:00Z',
    endDateTime: null,
    ...overrides,
  };
}

const { entraIdP1: P1, entraIdP2: P2, entraIdGovernance: GOVERNANCE } = SKUS;

runCheckCases(check, [
  {
    name: 'activated role is not permanent',
    tenant: {
      users: [ana, ben],
      subscribedSkus: [P2],
      roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator), roleAssignment(ben.id!, ROLE.securityAdministrator)],
      roleAssignmentScheduleInstances: [
        instance(ana.id!, ROLE.globalAdministrator, { assignmentType: 'Activated', endDateTime: '2026-06-01T04:00:00Z' }),
        instance(ben.id!, ROLE.securityAdministrator),
      ],
    },
    expect: {
      state: 'fail',
      summary: 'permanent-summary',
      findings: [{ messageId: 'permanent-assignment', key: `privileged-roles-use-pim-eligibility:${ben.id}`, data: { principal: 'Ben (ben@contoso.onmicrosoft.com)', roles: ['Security Administrator'] } }],
    },
  },
  {
    name: 'time-bound active assignment passes',
    tenant: {
      users: [ana],
      subscribedSkus: [P2],
      roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator)],
      roleAssignmentScheduleInstances: [instance(ana.id!, ROLE.globalAdministrator, { endDateTime: '2026-12-31T00:00:00Z' })],
    },
    expect: { state: 'pass', summary: 'none-permanent' },
  },
  {
    name: 'without instances assignments count as permanent',
    tenant: { users: [ana], subscribedSkus: [P2], roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator), roleAssignment(ana.id!, ROLE.userAdministrator)] },
    expect: {
      state: 'fail',
      findings: [{ messageId: 'permanent-assignment', data: { roles: ['Global Administrator', 'User Administrator'] } }],
    },
  },
  {
    name: 'tenant without PIM license warns',
    tenant: { users: [ana], subscribedSkus: [P1], roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator)] },
    expect: { state: 'warn', summary: 'no-pim-license-summary', findings: [{ messageId: 'permanent-without-pim', severity: 'medium', data: { principal: 'Ana (ana@contoso.onmicrosoft.com)' } }] },
  },
  {
    name: 'Governance license makes PIM available',
    tenant: { users: [ana], subscribedSkus: [P1, GOVERNANCE], roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator)] },
    expect: { state: 'fail', findings: [{ messageId: 'permanent-assignment' }] },
  },
  {
    name: 'declared break-glass account is exempt',
    tenant: { users: [breakGlass], subscribedSkus: [P2], roleAssignments: [roleAssignment(breakGlass.id!, ROLE.globalAdministrator)] },
    engagement: { client: { name: 'Contoso' }, breakGlassAccounts: [breakGlass.userPrincipalName!] },
    expect: { state: 'pass' },
  },
  {
    name: 'unlabelled role is not checked',
    tenant: { users: [ana], subscribedSkus: [P2], roleAssignments: [roleAssignment(ana.id!, ROLE.exchangeAdministrator)] },
    expect: { state: 'pass' },
  },
  {
    name: 'group assignment names the group',
    tenant: {
      users: [ana],
      groups: [helpdesk],
      groupMembers: {},
      subscribedSkus: [P2],
      roleAssignments: [roleAssignment(helpdesk.id!, ROLE.helpdeskAdministrator)],
    },
    expect: { state: 'fail', findings: [{ messageId: 'permanent-assignment', key: `privileged-roles-use-pim-eligibility:${helpdesk.id}`, data: { principal: 'group Helpdesk admins', roles: ['Helpdesk Administrator'] } }] },
  },
  {
    name: 'service principal is not reported',
    tenant: { users: [ana], servicePrincipals: [servicePrincipal], subscribedSkus: [P2], roleAssignments: [roleAssignment(servicePrincipal.id!, ROLE.applicationAdministrator)] },
    expect: { state: 'pass' },
  },
  {
    name: 'roleAssignments failed',
    tenant: { users: [ana] },
    statuses: { roleAssignments: { status: 'failed', requestId: 'abc-123', error: { httpStatus: 503 } } },
    expect: { state: 'skipped', skipReason: 'collection-failed' },
  },
  {
    // Regression: with subscribedSkus forbidden the tenant was assumed to have PIM and the check failed.
    name: 'licenses unknown warns',
    tenant: { users: [ana], roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator)] },
    statuses: { subscribedSkus: { status: 'forbidden', permission: 'LicenseAssignment.Read.All' } },
    expect: {
      state: 'warn',
      summary: 'license-unknown-summary',
      findings: [{ messageId: 'permanent-assignment', data: { principal: 'Ana (ana@contoso.onmicrosoft.com)' } }],
    },
  },
]);
