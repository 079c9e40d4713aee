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
          data: { policy: 'Block device code flow', enforces: 'block; users: all users (1 exclusions); resources: all resources; authentication flows: deviceCodeFlow, authenticationTransfer' },
        },
      ],
    },
  },
  {
    name: 'disabled strength policy is described',
    tenant: { conditionalAccessPolicies: [adminStrength] },
    expect: {
      state: 'warn',
      findings: [{ messageId: 'disabled-policy', severity: 'low', data: { enforces: 'require authentication strength "Phishing-resistant MFA"; users: role Global Administrator; resources: all resources' } }],
    },
  },
  {
    name: 'session control policy is described',
    tenant: {
      conditionalAccessPolicies: [
        policy({ displayName: 'Token protection', state: 'enabledForReportingButNotEnforced', grantControls: null, sessionControls: { secureSignInSession: { isEnabled: true } }, conditions: { platforms: { includePlatforms: ['windows'] }, clientAppTypes: ['mobileAppsAndDesktopClients'] } }),
      ],
    },
    expect: { state: 'warn', findings: [{ messageId: 'report-only-policy', data: { enforces: 'token protection; users: all users; resources: all resources; client apps: mobileAppsAndDesktopClients; platforms: windows' } }] },
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
