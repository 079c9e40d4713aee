import type * as Graph from '@microsoft/microsoft-graph-types';

import { adminRolesRequirePhishingResistantMfa as check } from '../../../src/checks/mfa-strength/admin-roles-require-phishing-resistant-mfa.js';
import { PHISHING_RESISTANT_ADMIN_ROLES, ROLE } from '../../../src/entra/roles.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { policy } from '../../helpers/tenant.js';
import { alice, BASELINE_POLICIES, bob, breakGlass, carol, DECLARED, EXCLUDE_BREAK_GLASS, phishingResistantAdmins, staff, tenant, tenantWithoutBreakGlass, upn, withPolicy } from '../../conditional-access/baseline.js';

const ID = check.id;
const PHISHING_RESISTANT = { id: '00000000-0000-0000-0000-000000000004' };
const adminPolicy = (options: { roles?: string[]; strength?: object; state?: string; conditions?: Record<string, unknown>; excludeRoles?: string[] } = {}): Graph.ConditionalAccessPolicy =>
  policy({
    displayName: 'Require phishing-resistant MFA for admins',
    state: (options.state ?? 'enabled') as Graph.ConditionalAccessPolicyState,
    conditions: { users: { includeUsers: [], includeRoles: options.roles ?? [...PHISHING_RESISTANT_ADMIN_ROLES], excludeRoles: options.excludeRoles ?? [], ...EXCLUDE_BREAK_GLASS }, ...(options.conditions ?? {}) } as never,
    grantControls: { operator: 'OR', builtInControls: [], authenticationStrength: (options.strength ?? PHISHING_RESISTANT) as never },
  });
const gapFor = (user: Graph.User, data: Record<string, unknown> = {}) => ({ messageId: 'gap' as const, key: `${ID}:${user.id}`, data: { user: upn(user), ...data } });
const customStrength = (combinations: string[]) => ({ id: 'c0c0c0c0-0000-4000-8000-000000000001', displayName: 'Custom', policyType: 'custom', allowedCombinations: combinations });

runCheckCases(check, [
  {
    name: 'required for all 15 roles except the declared break-glass account',
    tenant: tenant(),
    engagement: DECLARED,
    expect: { state: 'pass', summary: 'covered-except-break-glass' },
  },
  {
    name: 'required for all admins in a tenant without exclusions',
    tenant: tenantWithoutBreakGlass(),
    engagement: { client: { name: 'Contoso' } },
    expect: { state: 'pass', summary: 'covered' },
  },
  {
    name: 'custom strength with only phishing-resistant methods counts',
    tenant: tenant(withPolicy(phishingResistantAdmins, adminPolicy({ strength: customStrength(['fido2', 'windowsHelloForBusiness']) }))),
    engagement: DECLARED,
    expect: { state: 'pass', summary: 'covered-except-break-glass' },
  },
  {
    name: 'undeclared break-glass admin is a suspected gap',
    tenant: tenant(),
    expect: { state: 'warn', findings: [{ messageId: 'suspected-break-glass-gap', key: `${ID}:${breakGlass.id}` }] },
  },
  {
    name: 'one role of fifteen leaves other admins open',
    tenant: tenant(withPolicy(phishingResistantAdmins, adminPolicy({ roles: [ROLE.globalAdministrator] }))),
    engagement: DECLARED,
    expect: { state: 'fail', summary: 'gaps-found', findings: [gapFor(carol, { whyNotCovered: ['Require phishing-resistant MFA for admins (enabled): the user is not included or is excluded'] })] },
  },
  {
    name: 'MFA strength is not phishing-resistant',
    tenant: tenant(withPolicy(phishingResistantAdmins, adminPolicy({ strength: { id: '00000000-0000-0000-0000-000000000002' } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(bob, { whyNotCovered: ['no policy would close this gap'] }), gapFor(carol)] },
  },
  {
    name: 'custom strength that allows SMS is not phishing-resistant',
    tenant: tenant(withPolicy(phishingResistantAdmins, adminPolicy({ strength: customStrength(['fido2', 'password,sms']) }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(bob), gapFor(carol)] },
  },
  {
    name: 'report-only admin policy does not count',
    tenant: tenant(withPolicy(phishingResistantAdmins, adminPolicy({ state: 'enabledForReportingButNotEnforced' }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(bob), gapFor(carol), { messageId: 'report-only-policy', data: { policy: 'Require phishing-resistant MFA for admins' } }] },
  },
  {
    name: 'admin portals only is not all resources',
    tenant: tenant(withPolicy(phishingResistantAdmins, adminPolicy({ conditions: { applications: { includeApplications: ['MicrosoftAdminPortals'] } } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(bob), gapFor(carol)] },
  },
  {
    name: 'excluded role is named',
    tenant: tenant(withPolicy(phishingResistantAdmins, adminPolicy({ excludeRoles: [ROLE.exchangeAdministrator] }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(carol), { messageId: 'policy-exclusions', data: { exclusions: ['role Exchange Administrator'] } }] },
  },
  {
    name: 'second admin policy with an unreadable filter is reported',
    tenant: tenant([...withPolicy(phishingResistantAdmins, phishingResistantAdmins), { ...adminPolicy({ conditions: { devices: { deviceFilter: { mode: 'include', rule: '(device.trustType -eq "AzureAD"' } } } }), id: 'second-admin-policy', displayName: 'Admins on joined devices' }]),
    engagement: DECLARED,
    expect: { state: 'warn', findings: [{ messageId: 'uncertain', data: { details: ['Admins on joined devices: invalid device filter rule at character 32: a parenthesis is not closed in rule "(device.trustType -eq \\"AzureAD\\""'] } }] },
  },
  {
    name: 'role assignments not collected',
    tenant: { users: [alice], conditionalAccessPolicies: [phishingResistantAdmins] },
    statuses: { roleAssignments: { status: 'forbidden', permission: 'RoleManagement.Read.Directory' } },
    expect: { state: 'skipped', skipReason: 'permission-missing' },
  },
  {
    // Regression: with group members forbidden, excluded groups looked empty and the check passed.
    name: 'group members not collected is manual',
    tenant: tenant(BASELINE_POLICIES.map((baseline) => ({ ...baseline, conditions: { ...baseline.conditions, users: { ...baseline.conditions!.users, excludeGroups: [staff.id!] } } }))),
    statuses: { groupMembers: { status: 'forbidden', permission: 'GroupMember.Read.All' } },
    engagement: DECLARED,
    expect: { state: 'manual', summary: 'incomplete', findings: [{ messageId: 'incomplete', key: `${ID}:incomplete-data` }] },
  },
]);
