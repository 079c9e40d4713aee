import type * as Graph from '@microsoft/microsoft-graph-types';

import { compliantDeviceRequiredForM365AndAdminPortals as check } from '../../../src/checks/device-compliance/compliant-device-required-for-m365-and-admin-portals.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { policy } from '../../helpers/tenant.js';
import { alice, BASELINE_POLICIES, bob, breakGlass, carol, compliantDeviceForM365, DECLARED, EXCLUDE_BREAK_GLASS, guest, staff, tenant, tenantWithoutBreakGlass, upn, withPolicy } from '../../conditional-access/baseline.js';

const ID = check.id;
const devicePolicy = (options: { apps?: string[]; grant?: string[]; operator?: string; state?: string; conditions?: Record<string, unknown>; users?: Record<string, unknown> } = {}): Graph.ConditionalAccessPolicy =>
  policy({
    displayName: 'Require managed device for Microsoft 365',
    state: (options.state ?? 'enabled') as Graph.ConditionalAccessPolicyState,
    conditions: { users: options.users ?? EXCLUDE_BREAK_GLASS, applications: { includeApplications: options.apps ?? ['Office365', 'MicrosoftAdminPortals'] }, ...(options.conditions ?? {}) } as never,
    grantControls: { operator: (options.operator ?? 'OR') as never, builtInControls: (options.grant ?? ['compliantDevice', 'domainJoinedDevice']) as never },
  });
const gapFor = (user: Graph.User, data: Record<string, unknown> = {}) => ({ messageId: 'gap' as const, key: `${ID}:${user.id}`, data: { user: upn(user), ...data } });
const everyone = (data: Record<string, unknown> = {}) => [gapFor(alice, data), gapFor(bob, data), gapFor(carol, data), gapFor(guest, data)];
const ALL_APPS = ['Office 365 Exchange Online', 'Office 365 SharePoint Online', 'Microsoft Teams Services', 'Azure Portal'];

runCheckCases(check, [
  {
    name: 'required for all but the declared break-glass account',
    tenant: tenant(),
    engagement: DECLARED,
    expect: { state: 'pass', summary: 'covered-except-break-glass' },
  },
  {
    name: 'required for all in a tenant without exclusions',
    tenant: tenantWithoutBreakGlass(),
    engagement: { client: { name: 'Contoso' } },
    expect: { state: 'pass', summary: 'covered' },
  },
  {
    name: 'all resources with compliant device counts',
    tenant: tenant(withPolicy(compliantDeviceForM365, devicePolicy({ apps: ['All'], grant: ['compliantDevice'] }))),
    engagement: DECLARED,
    expect: { state: 'pass', summary: 'covered-except-break-glass' },
  },
  {
    name: 'undeclared break-glass account is a suspected gap',
    tenant: tenant(),
    expect: { state: 'warn', findings: [{ messageId: 'suspected-break-glass-gap', key: `${ID}:${breakGlass.id}` }] },
  },
  {
    name: 'Office365 only leaves the admin portals open',
    tenant: tenant(withPolicy(compliantDeviceForM365, devicePolicy({ apps: ['Office365'] }))),
    engagement: DECLARED,
    expect: { state: 'fail', summary: 'gaps-found', findings: everyone({ apps: ['Azure Portal'] }) },
  },
  {
    name: 'compliant device or MFA is not a device requirement',
    tenant: tenant(withPolicy(compliantDeviceForM365, devicePolicy({ grant: ['compliantDevice', 'mfa'] }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone({ apps: ALL_APPS, whyNotCovered: ['no policy would close this gap'] }) },
  },
  {
    name: 'approved client app is not a device requirement',
    tenant: tenant(withPolicy(compliantDeviceForM365, devicePolicy({ grant: ['approvedApplication'] }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone() },
  },
  {
    name: 'platform-scoped requirement leaves other platforms',
    tenant: tenant(withPolicy(compliantDeviceForM365, devicePolicy({ conditions: { platforms: { includePlatforms: ['windows'], excludePlatforms: [] } } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone({ platforms: ['macOS', 'iOS', 'android', 'linux', 'windowsPhone', 'unknown'] }) },
  },
  {
    name: 'report-only requirement does not count',
    tenant: tenant(withPolicy(compliantDeviceForM365, devicePolicy({ state: 'enabledForReportingButNotEnforced' }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [...everyone(), { messageId: 'report-only-policy', data: { policy: 'Require managed device for Microsoft 365' } }] },
  },
  {
    name: 'excluded group is named',
    tenant: tenant(withPolicy(compliantDeviceForM365, devicePolicy({ users: { excludeUsers: [breakGlass.id!], excludeGroups: [staff.id!] } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(alice), gapFor(carol), { messageId: 'policy-exclusions', data: { exclusions: ['group Staff'] } }] },
  },
  {
    name: 'second requirement with an application filter is reported',
    tenant: tenant([
      ...withPolicy(compliantDeviceForM365, compliantDeviceForM365),
      { ...devicePolicy({ conditions: { applications: { includeApplications: ['All'], applicationFilter: { mode: 'include', rule: 'CustomSecurityAttribute.Sensitivity_Level -eq "High"' } } } }), id: 'filtered', displayName: 'Sensitive apps need managed devices' },
    ]),
    engagement: DECLARED,
    expect: { state: 'warn', findings: [{ messageId: 'uncertain', data: { details: ['Sensitive apps need managed devices: an application filter on custom security attributes'] } }] },
  },
  {
    name: 'policies not collected',
    tenant: { users: [alice] },
    expect: { state: 'skipped', skipReason: 'resource-not-collected' },
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
