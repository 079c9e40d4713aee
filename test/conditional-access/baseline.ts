import type * as Graph from '@microsoft/microsoft-graph-types';

import { PHISHING_RESISTANT_ADMIN_ROLES, ROLE } from '../../src/entra/roles.js';
import type { SnapshotResources } from '../../src/snapshot/types.js';
import { group, members, policy, roleAssignment, user } from '../helpers/tenant.js';

/**
 * A small tenant whose policies close every gap the coverage analysis looks for, except for
 * the declared break-glass account, which every policy excludes. Tests change one thing at a time.
 */
export const alice = user({ displayName: 'Alice Member' });
export const bob = user({ displayName: 'Bob Admin' });
export const carol = user({ displayName: 'Carol Exchange' });
export const breakGlass = user({ displayName: 'Emergency Access Admin', userPrincipalName: 'ea1@contoso.onmicrosoft.com' });
export const guest = user({ displayName: 'Gus Guest', userType: 'Guest', userPrincipalName: 'gus_fabrikam.com#EXT#@contoso.onmicrosoft.com', creationType: 'Invitation' });
export const disabledUser = user({ displayName: 'Dora Disabled', accountEnabled: false });
export const staff = group({ displayName: 'Staff' });
export const legacyExceptions = group({ displayName: 'Legacy mail exceptions' });

export const EXCLUDE_BREAK_GLASS = { excludeUsers: [breakGlass.id!] };

export const mfaForAll = policy({ displayName: 'Require MFA for all users', conditions: { users: EXCLUDE_BREAK_GLASS } });

export const blockDeviceCode = policy({
  displayName: 'Block device code flow',
  conditions: { users: EXCLUDE_BREAK_GLASS, authenticationFlows: { transferMethods: 'deviceCodeFlow' } },
  grantControls: { operator: 'OR', builtInControls: ['block'] },
});

export const blockTransfer = policy({
  displayName: 'Block authentication transfer',
  conditions: { users: EXCLUDE_BREAK_GLASS, authenticationFlows: { transferMethods: 'authenticationTransfer' } },
  grantControls: { operator: 'OR', builtInControls: ['block'] },
});

export const blockLegacy = policy({
  displayName: 'Block legacy authentication',
  conditions: { users: EXCLUDE_BREAK_GLASS, clientAppTypes: ['exchangeActiveSync', 'other'] },
  grantControls: { operator: 'OR', builtInControls: ['block'] },
});

export const phishingResistantAdmins = policy({
  displayName: 'Require phishing-resistant MFA for admins',
  conditions: { users: { includeUsers: [], includeRoles: [...PHISHING_RESISTANT_ADMIN_ROLES], ...EXCLUDE_BREAK_GLASS } },
  grantControls: { operator: 'OR', builtInControls: [], authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } as Graph.AuthenticationStrengthPolicy },
});

export const compliantDeviceForM365 = policy({
  displayName: 'Require compliant or hybrid-joined device for Microsoft 365 and admin portals',
  conditions: { users: EXCLUDE_BREAK_GLASS, applications: { includeApplications: ['Office365', 'MicrosoftAdminPortals'] } },
  grantControls: { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] },
});

export const BASELINE_POLICIES: Graph.ConditionalAccessPolicy[] = [mfaForAll, blockDeviceCode, blockTransfer, blockLegacy, phishingResistantAdmins, compliantDeviceForM365];

/** Builds the tenant with `policies` in place of the baseline ones. */
export function tenant(policies: Graph.ConditionalAccessPolicy[] = BASELINE_POLICIES, extra: Partial<SnapshotResources> = {}): Partial<SnapshotResources> {
  return {
    users: [alice, bob, carol, breakGlass, guest, disabledUser],
    groups: [staff, legacyExceptions],
    groupMembers: { [staff.id!]: members(alice, carol), [legacyExceptions.id!]: members(carol) },
    roleAssignments: [
      roleAssignment(bob.id!, ROLE.globalAdministrator),
      roleAssignment(carol.id!, ROLE.exchangeAdministrator),
      roleAssignment(breakGlass.id!, ROLE.globalAdministrator),
    ],
    conditionalAccessPolicies: policies,
    namedLocations: [],
    ...extra,
  };
}

/** Replaces one baseline policy, keeping the others. */
export function withPolicy(replaced: Graph.ConditionalAccessPolicy, replacement: Graph.ConditionalAccessPolicy | null): Graph.ConditionalAccessPolicy[] {
  return BASELINE_POLICIES.flatMap((existing) => {
    if (existing !== replaced) return [existing];
    return replacement ? [replacement] : [];
  });
}

/** An engagement file that declares the tenant's break-glass account. */
export const DECLARED = { client: { name: 'Contoso' }, breakGlassAccounts: ['ea1@contoso.onmicrosoft.com'] };

/** Builds the tenant without its break-glass account, for cases that need no exclusions at all. */
export function tenantWithoutBreakGlass(policies: Graph.ConditionalAccessPolicy[] = BASELINE_POLICIES): Partial<SnapshotResources> {
  const fragment = tenant(policies);
  fragment.users = fragment.users!.filter((entry) => entry.id !== breakGlass.id);
  fragment.roleAssignments = fragment.roleAssignments!.filter((entry) => entry.principalId !== breakGlass.id);
  return fragment;
}

export const upn = (entry: Graph.User): string => entry.userPrincipalName!;
