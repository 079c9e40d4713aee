import { breakGlassAccountsAreDeclaredAndExcluded as check } from '../../../src/checks/privileged-access/break-glass-accounts-are-declared-and-excluded.js';
import { ROLE } from '../../../src/entra/roles.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { group, members, policy, roleAssignment, user } from '../../helpers/tenant.js';

const bg1 = user({ displayName: 'Emergency Access 01' });
const bg2 = user({ displayName: 'Tenant Rescue 02' });
const opsAdmin = user({ displayName: 'Ops Admin' });
const staff = user({ displayName: 'Sam Staff' });
const bgGroup = group({ displayName: 'Break glass' });
const emptyBgGroup = group({ displayName: 'Break glass (old)' });

const requireMfa = policy({ displayName: 'Require MFA for all users', conditions: { users: { excludeGroups: [bgGroup.id!] } } });
const blockLegacy = policy({
  displayName: 'Block legacy authentication',
  conditions: { users: { excludeUsers: [bg1.id!] }, clientAppTypes: ['exchangeActiveSync', 'other'] },
  grantControls: { builtInControls: ['block'] },
});
const blockLegacyForBoth = policy({
  displayName: 'Block legacy authentication',
  conditions: { users: { excludeGroups: [bgGroup.id!] }, clientAppTypes: ['exchangeActiveSync', 'other'] },
  grantControls: { builtInControls: ['block'] },
});

const directory = {
  groups: [bgGroup, emptyBgGroup],
  groupMembers: { [bgGroup.id!]: members(bg1, bg2), [emptyBgGroup.id!]: [] },
  roleAssignments: [roleAssignment(bg1.id!, ROLE.globalAdministrator), roleAssignment(bg2.id!, ROLE.globalAdministrator)],
};
const declared = { client: { name: 'Contoso' }, breakGlassAccounts: [bg1.userPrincipalName!, bg2.id!] };

runCheckCases(check, [
  {
    name: 'declared accounts excluded everywhere',
    tenant: { users: [bg1, bg2, staff], ...directory, conditionalAccessPolicies: [requireMfa, blockLegacyForBoth] },
    engagement: declared,
    expect: { state: 'pass', summary: 'accounts-ready' },
  },
  {
    name: 'second account missing one exclusion',
    tenant: { users: [bg1, bg2], ...directory, conditionalAccessPolicies: [requireMfa, blockLegacy] },
    engagement: declared,
    expect: {
      state: 'fail',
      summary: 'accounts-need-attention',
      findings: [{ messageId: 'not-excluded', key: `break-glass-accounts-are-declared-and-excluded:${bg2.id}`, data: { count: 1, policies: ['Block legacy authentication'] } }],
    },
  },
  {
    name: 'group named break glass without them',
    tenant: {
      users: [bg1, bg2],
      ...directory,
      conditionalAccessPolicies: [policy({ displayName: 'Require MFA for all users', conditions: { users: { excludeGroups: [emptyBgGroup.id!] } } })],
    },
    engagement: declared,
    expect: {
      state: 'fail',
      findings: [
        { messageId: 'not-excluded', key: `break-glass-accounts-are-declared-and-excluded:${bg1.id}` },
        { messageId: 'not-excluded', key: `break-glass-accounts-are-declared-and-excluded:${bg2.id}` },
      ],
    },
  },
  {
    name: 'report-only and session-only policies cannot lock out',
    tenant: {
      users: [bg1, bg2],
      ...directory,
      conditionalAccessPolicies: [
        policy({ displayName: 'Report-only block', state: 'enabledForReportingButNotEnforced', grantControls: { builtInControls: ['block'] } }),
        policy({ displayName: 'Sign-in frequency', grantControls: null, sessionControls: { signInFrequency: { isEnabled: true, type: 'hours', value: 8 } } }),
      ],
    },
    engagement: declared,
    expect: { state: 'pass' },
  },
  {
    name: 'excluded through the GA role',
    tenant: { users: [bg1, bg2], ...directory, conditionalAccessPolicies: [policy({ conditions: { users: { excludeRoles: [ROLE.globalAdministrator] } } })] },
    engagement: declared,
    expect: { state: 'pass' },
  },
  {
    name: 'declared account not in tenant',
    tenant: { users: [bg1, bg2], ...directory, conditionalAccessPolicies: [] },
    engagement: { client: { name: 'Contoso' }, breakGlassAccounts: [bg1.id!, 'ghost@contoso.com'] },
    expect: {
      state: 'fail',
      findings: [
        { messageId: 'declared-not-found', key: 'break-glass-accounts-are-declared-and-excluded:ghost@contoso.com', data: { declared: 'ghost@contoso.com' } },
        { messageId: 'too-few-accounts', key: 'break-glass-accounts-are-declared-and-excluded', severity: 'low', data: { count: 1 } },
      ],
    },
  },
  {
    name: 'one declared account warns',
    tenant: { users: [bg1, bg2], ...directory, conditionalAccessPolicies: [requireMfa] },
    engagement: { client: { name: 'Contoso' }, breakGlassAccounts: [bg1.id!] },
    expect: { state: 'warn', findings: [{ messageId: 'too-few-accounts' }] },
  },
  {
    name: 'synced and disabled accounts fail',
    tenant: { users: [{ ...bg1, onPremisesSyncEnabled: true }, { ...bg2, accountEnabled: false }], ...directory, conditionalAccessPolicies: [] },
    engagement: declared,
    expect: {
      state: 'fail',
      findings: [
        { messageId: 'synced-account', key: `break-glass-accounts-are-declared-and-excluded:${bg1.id}/synced` },
        { messageId: 'account-disabled', key: `break-glass-accounts-are-declared-and-excluded:${bg2.id}/disabled` },
      ],
    },
  },
  {
    name: 'account without Global Administrator warns',
    tenant: { users: [bg1, bg2], ...directory, roleAssignments: [roleAssignment(bg1.id!, ROLE.globalAdministrator)], conditionalAccessPolicies: [] },
    engagement: declared,
    expect: { state: 'warn', findings: [{ messageId: 'not-global-admin', severity: 'low', data: { account: 'Tenant Rescue 02 (tenant.rescue.02@contoso.onmicrosoft.com)' } }] },
  },
  {
    name: 'name heuristic without declaration',
    tenant: { users: [bg1, staff], ...directory, conditionalAccessPolicies: [requireMfa, blockLegacy] },
    expect: {
      state: 'warn',
      findings: [{ messageId: 'heuristic-candidate', key: `break-glass-accounts-are-declared-and-excluded:${bg1.id}/candidate`, data: { signs: ['its name suggests emergency access', 'cloud-only Global Administrator excluded from 2 of 2 enabled Conditional Access policies'] } }],
    },
  },
  {
    name: 'exclusion heuristic finds an odd name',
    tenant: {
      users: [opsAdmin, staff],
      roleAssignments: [roleAssignment(opsAdmin.id!, ROLE.globalAdministrator)],
      conditionalAccessPolicies: [
        policy({ displayName: 'Require MFA for all users', conditions: { users: { excludeUsers: [opsAdmin.id!] } } }),
        policy({ displayName: 'Block legacy authentication', conditions: { users: { excludeUsers: [opsAdmin.id!] } }, grantControls: { builtInControls: ['block'] } }),
        policy({ displayName: 'Require compliant device' }),
      ],
    },
    expect: {
      state: 'warn',
      findings: [
        { messageId: 'heuristic-candidate', data: { account: 'Ops Admin (ops.admin@contoso.onmicrosoft.com)', signs: ['cloud-only Global Administrator excluded from 2 of 3 enabled Conditional Access policies'] } },
        { messageId: 'not-excluded', data: { policies: ['Require compliant device'] } },
      ],
    },
  },
  {
    name: 'synced admin excluded is no candidate',
    tenant: {
      users: [{ ...opsAdmin, onPremisesSyncEnabled: true }],
      roleAssignments: [roleAssignment(opsAdmin.id!, ROLE.globalAdministrator)],
      conditionalAccessPolicies: [
        policy({ displayName: 'A', conditions: { users: { excludeUsers: [opsAdmin.id!] } } }),
        policy({ displayName: 'B', conditions: { users: { excludeUsers: [opsAdmin.id!] } } }),
      ],
    },
    expect: { state: 'warn', findings: [{ messageId: 'none-identified', key: 'break-glass-accounts-are-declared-and-excluded' }] },
  },
  {
    name: 'users not collected',
    tenant: {},
    statuses: { users: { status: 'forbidden', permission: 'User.Read.All' } },
    expect: { state: 'skipped', skipReason: 'permission-missing' },
  },
]);
