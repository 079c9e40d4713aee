import type * as Graph from '@microsoft/microsoft-graph-types';

import { APP_GROUP_TABLES } from '../../conditional-access/app-groups.js';
import { resolveUser } from '../../conditional-access/evaluate.js';
import { asList, compilePolicy, matchUsers } from '../../conditional-access/policy.js';
import type { Engagement } from '../../engagement/schema.js';
import { ROLE } from '../../entra/roles.js';
import type { Snapshot } from '../../snapshot/types.js';

/** Names that emergency access accounts are commonly given. */
const BREAK_GLASS_NAME = /break[\s._-]?glass|emergency/i;

/** Lower-cased object ids of the declared break-glass accounts found in the snapshot. */
export function declaredBreakGlassIds(snapshot: Snapshot, engagement: Engagement | null): Set<string> {
  const ids = new Set<string>();
  for (const declared of engagement?.breakGlassAccounts ?? []) {
    const user = snapshot.directory.findUser(declared);
    ids.add((user?.id ?? declared).toLowerCase());
  }
  return ids;
}

/** True when a policy can stop a sign-in: it blocks, or demands a grant control the account may lack. */
export function policyCanLockOut(policy: Graph.ConditionalAccessPolicy): boolean {
  const grant = policy.grantControls;
  if (!grant) return false;
  return asList(grant.builtInControls).length > 0 || grant.authenticationStrength != null || asList(grant.customAuthenticationFactors).length > 0 || asList(grant.termsOfUse).length > 0;
}

/** Enabled policies whose user condition applies to the account and that can lock it out. */
export function lockOutPoliciesFor(snapshot: Snapshot, user: Graph.User): Graph.ConditionalAccessPolicy[] {
  const resolved = resolveUser({ id: user.id ?? '' }, { directory: snapshot.directory, namedLocations: [], authenticationStrengths: [], appGroups: APP_GROUP_TABLES });
  return (snapshot.resources.conditionalAccessPolicies ?? []).filter(
    (policy) => policy.state === 'enabled' && policyCanLockOut(policy) && matchUsers(compilePolicy(policy), resolved).matched,
  );
}

/** Enabled policies that name the account, or one of its groups, in their user exclusions. */
export function policiesExcluding(snapshot: Snapshot, user: Graph.User): Graph.ConditionalAccessPolicy[] {
  const id = (user.id ?? '').toLowerCase();
  const groups = new Set([...snapshot.directory.transitiveGroupsOf(user.id ?? '')].map((group) => group.toLowerCase()));
  return (snapshot.resources.conditionalAccessPolicies ?? []).filter((policy) => {
    if (policy.state !== 'enabled') return false;
    const users = policy.conditions?.users;
    return asList(users?.excludeUsers).some((value) => value.toLowerCase() === id) || asList(users?.excludeGroups).some((group) => groups.has(group.toLowerCase()));
  });
}

/** Lists why an undeclared account looks like a break-glass account; empty when it does not. */
export function breakGlassSigns(snapshot: Snapshot, user: Graph.User): string[] {
  const signs: string[] = [];
  const names = [user.displayName, user.userPrincipalName, user.mailNickname].filter((name): name is string => typeof name === 'string');
  if (names.some((name) => BREAK_GLASS_NAME.test(name))) signs.push('its name suggests emergency access');

  const isGlobalAdmin = snapshot.directory.activeTenantRolesOf(user.id ?? '').has(ROLE.globalAdministrator);
  const cloudOnly = user.onPremisesSyncEnabled !== true && (user.userType ?? 'Member') === 'Member';
  const enabledPolicies = (snapshot.resources.conditionalAccessPolicies ?? []).filter((policy) => policy.state === 'enabled').length;
  const excludedFrom = policiesExcluding(snapshot, user).length;
  // NOTE: "excluded from at least half of the enabled policies, and from two or more" is a
  // judgement, not a Microsoft rule; it finds accounts an admin set aside as emergency access.
  if (isGlobalAdmin && cloudOnly && excludedFrom >= 2 && excludedFrom * 2 >= enabledPolicies) {
    signs.push(`cloud-only Global Administrator excluded from ${excludedFrom} of ${enabledPolicies} enabled Conditional Access policies`);
  }
  return signs;
}
