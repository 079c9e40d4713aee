import type * as Graph from '@microsoft/microsoft-graph-types';

import { conditionalAccessExclusionsAreReviewed as check } from '../../../src/checks/conditional-access/conditional-access-exclusions-are-reviewed.js';
import { ROLE } from '../../../src/entra/roles.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { group, idFor, members, policy, user } from '../../helpers/tenant.js';

const bg1 = user({ displayName: 'Emergency One' });
const bg2 = user({ displayName: 'Emergency Two' });
const ana = user({ displayName: 'Ana' });
const bgGroup = group({ displayName: 'Break glass' });
const legacyApps = group({ displayName: 'Legacy mail users' });
const office: Graph.NamedLocation = { id: idFor('location:office'), displayName: 'Head office' } as Graph.NamedLocation;
const declared = { client: { name: 'Contoso' }, breakGlassAccounts: [bg1.id!, bg2.userPrincipalName!] };
const directory = { users: [bg1, bg2, ana], groups: [bgGroup, legacyApps], groupMembers: { [bgGroup.id!]: members(bg1, bg2), [legacyApps.id!]: members(ana) } };

runCheckCases(check, [
  {
    name: 'only break-glass exclusions pass',
    tenant: { ...directory, conditionalAccessPolicies: [policy({ conditions: { users: { excludeUsers: [bg1.id!], excludeGroups: [bgGroup.id!] } } })] },
    engagement: declared,
    expect: { state: 'pass', summary: 'no-exclusions' },
  },
  {
    name: 'every kind of exclusion is named',
    tenant: {
      ...directory,
      namedLocations: [office],
      conditionalAccessPolicies: [
        policy({
          displayName: 'Require MFA',
          conditions: {
            users: { excludeUsers: [ana.id!, bg1.id!], excludeGroups: [legacyApps.id!], excludeRoles: [ROLE.directorySynchronizationAccounts], excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'serviceProvider' } },
            applications: { excludeApplications: ['00000002-0000-0ff1-ce00-000000000000'] },
            locations: { includeLocations: ['All'], excludeLocations: [office.id!, 'AllTrusted'] },
            platforms: { includePlatforms: ['all'], excludePlatforms: ['linux'] },
          },
        }),
      ],
    },
    engagement: declared,
    expect: {
      state: 'manual',
      summary: 'exclusions-summary',
      findings: [
        {
          messageId: 'policy-exclusions',
          data: {
            policy: 'Require MFA',
            state: 'enabled',
            exclusions: [
              'user Ana (ana@contoso.onmicrosoft.com)',
              'group Legacy mail users (1 user)',
              'role Directory Synchronization Accounts',
              'guest and external user types serviceProvider',
              'resource Office 365 Exchange Online',
              'location Head office',
              'location all trusted locations',
              'platform linux',
            ],
            clientExclusions:
              'the account Ana (ana@contoso.onmicrosoft.com), the group Legacy mail users (1 user), everyone holding the admin role Directory Synchronization Accounts, some kinds of guests and outside accounts, the app Office 365 Exchange Online, sign-ins from Head office, sign-ins from all trusted locations and Linux devices',
          },
        },
      ],
    },
  },
  {
    name: 'break-glass group with a stowaway',
    tenant: { ...directory, groupMembers: { [bgGroup.id!]: members(bg1, bg2, ana) }, conditionalAccessPolicies: [policy({ conditions: { users: { excludeGroups: [bgGroup.id!] } } })] },
    engagement: declared,
    expect: { state: 'manual', findings: [{ messageId: 'policy-exclusions', data: { exclusions: ['group Break glass (3 users)'] } }] },
  },
  {
    name: 'undeclared break-glass group is listed',
    tenant: { ...directory, conditionalAccessPolicies: [policy({ state: 'enabledForReportingButNotEnforced', conditions: { users: { excludeGroups: [bgGroup.id!] } } })] },
    expect: { state: 'manual', findings: [{ messageId: 'policy-exclusions', data: { state: 'report-only', exclusions: ['group Break glass (2 users)'] } }] },
  },
  {
    name: 'unknown object is flagged',
    tenant: { ...directory, conditionalAccessPolicies: [policy({ conditions: { users: { excludeUsers: ['11111111-2222-4333-8444-555555555555'] } } })] },
    expect: { state: 'manual', findings: [{ messageId: 'policy-exclusions', data: { exclusions: ['user 11111111-2222-4333-8444-555555555555 (not found in the snapshot)'] } }] },
  },
  {
    name: 'uncollected users are said so',
    tenant: {
      conditionalAccessPolicies: [
        policy({
          conditions: {
            users: { excludeUsers: [ana.id!], excludeGroups: [bgGroup.id!] },
            clientApplications: { excludeServicePrincipals: ['22222222-3333-4444-8555-666666666666'] },
          },
        }),
      ],
    },
    expect: {
      state: 'manual',
      findings: [
        {
          messageId: 'policy-exclusions',
          data: {
            exclusions: [
              `user ${ana.id} (users not collected)`,
              `group ${bgGroup.id} (groups not collected)`,
              'workload identity 22222222-3333-4444-8555-666666666666 (servicePrincipals not collected)',
            ],
          },
        },
      ],
    },
  },
  {
    name: 'disabled policy is ignored',
    tenant: { ...directory, conditionalAccessPolicies: [policy({ state: 'disabled', conditions: { users: { excludeUsers: [ana.id!] } } })] },
    expect: { state: 'pass' },
  },
  {
    name: 'policies not collected',
    tenant: directory,
    expect: { state: 'skipped', skipReason: 'resource-not-collected' },
  },
]);
