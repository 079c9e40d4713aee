import type * as Graph from '@microsoft/microsoft-graph-types';

import { conditionalAccessPoliciesAreEnforced as check } from '../../../src/checks/conditional-access/conditional-access-policies-are-enforced.js';
import { ROLE } from '../../../src/entra/roles.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { group, members, policy, user } from '../../helpers/tenant.js';
import { SKUS } from '../skus.js';

const pilot = group({ displayName: 'Pilot' });
const ana = user({ displayName: 'Ana' });
const P1 = SKUS.entraIdP1;

const blockDeviceCode = policy({
  displayName: 'Block device code flow',
  state: 'enabledForReportingButNotEnforced',
  conditions: { users: { excludeGroups: [pilot.id!] }, authenticationFlows: { transferMethods: 'deviceCodeFlow,authenticationTransfer' as Graph.ConditionalAccessTransferMethods } },
  grantControls: { builtInControls: ['block'] },
});
const adminStrength = policy({
  displayName: 'Phishing-resistant MFA for admins',
  state: 'disabled',
  conditions: { users: { includeUsers: [], includeRoles: [ROLE.globalAdministrator] } },
  grantControls: { builtInControls: [], authenticationStrength: { id: '00000000-0000-0000-0000-000000000004', displayName: 'Phishing-resistant MFA' } },
});

runCheckCases(check, [
  {
    name: 'enabled policies pass',
    tenant: { conditionalAccessPolicies: [policy(), policy({ displayName: 'Block legacy', grantControls: { builtInControls: ['block'] } })] },
    expect: { state: 'pass', summary: 'all-enforced' },
  },
  {
    name: 'report-only block is described',
    tenant: { conditionalAccessPolicies: [policy(), blockDeviceCode], groups: [pilot], groupMembers: { [pilot.id!]: members(ana) }, users: [ana] },
    expect: {
      state: 'warn',
      summary: 'not-enforced-summary',
      findings: [
        {
          messageId: 'report-only-policy',
          key: `conditional-access-policies-are-enforced:${blockDeviceCode.id}`,
          data: {
            policy: 'Block device code flow',
            enforces: 'block; users: all users (1 exclusion); resources: all resources; authentication flows: deviceCodeFlow, authenticationTransfer',
            wouldDo: 'block sign-ins for everyone (with 1 exception) in all apps, for sign-ins with a device code and sessions handed to another device by QR code',
          },
        },
      ],
    },
  },
  {
    name: 'disabled strength policy is described',
    tenant: { conditionalAccessPolicies: [adminStrength] },
    expect: {
      state: 'warn',
      findings: [
        {
          messageId: 'disabled-policy',
          severity: 'low',
          data: {
            enforces: 'require authentication strength "Phishing-resistant MFA"; users: role Global Administrator; resources: all resources',
            wouldDo: 'require a sign-in method of the "Phishing-resistant MFA" level for administrators in all apps',
          },
        },
      ],
    },
  },
  {
    name: 'session control policy is described',
    tenant: {
      conditionalAccessPolicies: [
        policy({ displayName: 'Token protection', state: 'enabledForReportingButNotEnforced', grantControls: null, sessionControls: { secureSignInSession: { isEnabled: true } }, conditions: { platforms: { includePlatforms: ['windows'] }, clientAppTypes: ['mobileAppsAndDesktopClients'] } }),
      ],
    },
    expect: {
      state: 'warn',
      findings: [
        {
          messageId: 'report-only-policy',
          data: {
            enforces: 'token protection; users: all users; resources: all resources; client apps: mobileAppsAndDesktopClients; platforms: windows',
            wouldDo: 'lock sessions to the device they started on for everyone in all apps, on some device types',
          },
        },
      ],
    },
  },
  {
    name: 'device and location conditions are described without Graph names',
    tenant: {
      conditionalAccessPolicies: [
        policy({
          displayName: 'Managed devices',
          state: 'disabled',
          grantControls: { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] },
          conditions: {
            users: { includeUsers: ['All'], excludeUsers: ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'] },
            applications: { includeApplications: ['Office365'] },
            locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] },
          },
        }),
        policy({
          displayName: 'Legacy block',
          state: 'disabled',
          grantControls: { operator: 'OR', builtInControls: ['block'] },
          conditions: { users: { includeUsers: [], includeRoles: ['62e90394-69f5-4237-9190-012177145e10'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['exchangeActiveSync', 'other'] },
        }),
      ],
    },
    expect: {
      state: 'warn',
      findings: [
        {
          messageId: 'disabled-policy',
          data: {
            wouldDo:
              'require a device your organization manages or a company computer joined to your office network domain for everyone (with 2 exceptions) in Office 365, from places other than all trusted locations',
          },
        },
        { messageId: 'disabled-policy', data: { wouldDo: 'block sign-ins for administrators in all apps, when old mail protocols are used' } },
      ],
    },
  },
  {
    name: 'no policies pass',
    tenant: { conditionalAccessPolicies: [] },
    expect: { state: 'pass' },
  },
  {
    name: 'tenant without P1 is skipped',
    tenant: { conditionalAccessPolicies: [blockDeviceCode], subscribedSkus: [] },
    expect: { state: 'skipped', skipReason: 'license-missing' },
  },
  {
    name: 'tenant with P1 runs',
    tenant: { conditionalAccessPolicies: [adminStrength], subscribedSkus: [P1] },
    expect: { state: 'warn', findings: [{ messageId: 'disabled-policy' }] },
  },
]);
