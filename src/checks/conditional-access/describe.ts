import type * as Graph from '@microsoft/microsoft-graph-types';

import { WELL_KNOWN_APPS } from '../../conditional-access/app-groups.js';
import { asList } from '../../conditional-access/policy.js';
import type { Snapshot } from '../../snapshot/types.js';
import { objectName, roleName } from '../evidence.js';

const STATE_NAMES: Readonly<Record<string, string>> = {
  enabled: 'enabled',
  disabled: 'disabled',
  enabledForReportingButNotEnforced: 'report-only',
};

export function stateName(policy: Graph.ConditionalAccessPolicy): string {
  return STATE_NAMES[policy.state ?? ''] ?? String(policy.state ?? 'unknown state');
}

const APP_KEYWORDS: Readonly<Record<string, string>> = {
  all: 'all resources',
  none: 'no resources',
  office365: 'Office 365',
  microsoftadminportals: 'Microsoft admin portals',
};

/** Returns the name of an app id or keyword in a policy's application condition. */
export function appName(snapshot: Snapshot, value: string): string {
  const keyword = APP_KEYWORDS[value.toLowerCase()];
  if (keyword) return keyword;
  const lower = value.toLowerCase();
  const known = Object.values(WELL_KNOWN_APPS).find((app) => app.appId === lower);
  if (known) return known.displayName;
  const servicePrincipal = snapshot.resources.servicePrincipals?.find((candidate) => candidate.appId?.toLowerCase() === lower);
  return servicePrincipal?.displayName ?? `app ${value}`;
}

/** Returns the name of a location id or keyword in a policy's location condition. */
export function locationName(snapshot: Snapshot, value: string): string {
  if (value.toLowerCase() === 'all') return 'any location';
  if (value.toLowerCase() === 'alltrusted') return 'all trusted locations';
  return objectName(snapshot, value, 'namedLocations');
}

/** Returns the name of a user id or keyword in a policy's user condition. */
export function userName(snapshot: Snapshot, value: string): string {
  const keyword = value.toLowerCase();
  if (keyword === 'all') return 'all users';
  if (keyword === 'none') return 'no users';
  if (keyword === 'guestsorexternalusers') return 'all guests and external users';
  return objectName(snapshot, value, 'users');
}

/** Returns a group's name with its transitive user count, so a reader sees how many people it covers. */
export function groupName(snapshot: Snapshot, groupId: string): string {
  const count = snapshot.directory.transitiveUsersOf(groupId).size;
  const known = snapshot.directory.groupById(groupId) !== undefined;
  return known ? `${objectName(snapshot, groupId)} (${count} users)` : objectName(snapshot, groupId, 'groups');
}

/**
 * Describes in one line what a policy enforces, on whom, for what and under which conditions, e.g.
 * "block; users: all users (1 exclusions); resources: all resources; client apps: exchangeActiveSync, other".
 */
export function describePolicy(snapshot: Snapshot, policy: Graph.ConditionalAccessPolicy): string {
  const conditions = policy.conditions;
  const users = conditions?.users;
  const apps = conditions?.applications;
  const parts: string[] = [controlsOf(snapshot, policy)];

  const included = [
    ...asList(users?.includeUsers).map((value) => userName(snapshot, value)),
    ...asList(users?.includeGroups).map((value) => `group ${groupName(snapshot, value)}`),
    ...asList(users?.includeRoles).map((value) => `role ${roleName(snapshot, value)}`),
  ];
  if (users?.includeGuestsOrExternalUsers) included.push(`guest types ${asList(users.includeGuestsOrExternalUsers.guestOrExternalUserTypes).join(', ')}`);
  const excludedCount =
    asList(users?.excludeUsers).length + asList(users?.excludeGroups).length + asList(users?.excludeRoles).length + (users?.excludeGuestsOrExternalUsers ? 1 : 0);
  if (included.length > 0) parts.push(`users: ${included.join(', ')}${excludedCount > 0 ? ` (${excludedCount} exclusions)` : ''}`);
  else if (asList(conditions?.clientApplications?.includeServicePrincipals).length > 0) parts.push('workload identities');

  const resources = [
    ...asList(apps?.includeApplications).map((value) => appName(snapshot, value)),
    ...asList(apps?.includeUserActions).map((action) => `user action ${action}`),
    ...asList(apps?.includeAuthenticationContextClassReferences).map((context) => `authentication context ${context}`),
  ];
  const excludedApps = asList(apps?.excludeApplications).length;
  if (resources.length > 0) parts.push(`resources: ${resources.join(', ')}${excludedApps > 0 ? ` (${excludedApps} excluded)` : ''}`);

  const clientApps = asList(conditions?.clientAppTypes).filter((type) => type !== 'all');
  if (clientApps.length > 0) parts.push(`client apps: ${clientApps.join(', ')}`);
  const platforms = asList(conditions?.platforms?.includePlatforms);
  if (platforms.length > 0 && !platforms.includes('all')) parts.push(`platforms: ${platforms.join(', ')}`);
  const locations = asList(conditions?.locations?.includeLocations);
  if (locations.length > 0 && !(locations.length === 1 && locations[0]!.toLowerCase() === 'all')) {
    parts.push(`locations: ${locations.map((value) => locationName(snapshot, value)).join(', ')}`);
  }
  const signInRisk = asList(conditions?.signInRiskLevels);
  if (signInRisk.length > 0) parts.push(`sign-in risk: ${signInRisk.join(', ')}`);
  const userRisk = asList(conditions?.userRiskLevels);
  if (userRisk.length > 0) parts.push(`user risk: ${userRisk.join(', ')}`);
  const flows = asList(conditions?.authenticationFlows?.transferMethods);
  if (flows.length > 0) parts.push(`authentication flows: ${flows.join(', ')}`);
  if (conditions?.devices?.deviceFilter?.rule) parts.push(`device filter (${conditions.devices.deviceFilter.mode ?? 'include'}): ${conditions.devices.deviceFilter.rule}`);
  return parts.join('; ');
}

function controlsOf(snapshot: Snapshot, policy: Graph.ConditionalAccessPolicy): string {
  const grant = policy.grantControls;
  const controls = asList(grant?.builtInControls);
  const parts: string[] = [];
  if (controls.includes('block')) parts.push('block');
  else {
    const required = controls.filter((control) => control !== 'block');
    const strength = grant?.authenticationStrength;
    if (strength) {
      const name = strength.displayName ?? snapshot.resources.authenticationStrengthPolicies?.find((candidate) => candidate.id === strength.id)?.displayName ?? strength.id ?? 'unknown';
      required.push(`authentication strength "${name}"`);
    }
    required.push(...asList(grant?.termsOfUse).map(() => 'terms of use'), ...asList(grant?.customAuthenticationFactors).map((factor) => `custom control ${factor}`));
    if (required.length > 0) parts.push(`require ${required.join(String(grant?.operator ?? 'OR').toUpperCase() === 'AND' ? ' and ' : ' or ')}`);
  }

  const session = policy.sessionControls;
  if (session?.secureSignInSession?.isEnabled) parts.push('token protection');
  if (session?.signInFrequency?.isEnabled) {
    const frequency = session.signInFrequency;
    parts.push(frequency.frequencyInterval === 'everyTime' ? 'sign-in frequency every time' : `sign-in frequency ${frequency.value ?? '?'} ${frequency.type ?? ''}`.trim());
  }
  if (session?.persistentBrowser?.isEnabled) parts.push(`persistent browser ${session.persistentBrowser.mode ?? ''}`.trim());
  if (session?.cloudAppSecurity?.isEnabled) parts.push(`Defender for Cloud Apps session control (${session.cloudAppSecurity.cloudAppSecurityType ?? 'configured'})`);
  if (session?.applicationEnforcedRestrictions?.isEnabled) parts.push('app enforced restrictions');
  if (session?.disableResilienceDefaults) parts.push('resilience defaults disabled');
  return parts.length > 0 ? parts.join(', ') : 'no grant or session control';
}
