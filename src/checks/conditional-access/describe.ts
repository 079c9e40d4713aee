import type * as Graph from '@microsoft/microsoft-graph-types';

import { WELL_KNOWN_APPS } from '../../conditional-access/app-groups.js';
import { asList } from '../../conditional-access/policy.js';
import type { Snapshot } from '../../snapshot/types.js';
import { objectName, roleName } from '../evidence.js';
import { countOf } from '../messages.js';

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
  return known ? `${objectName(snapshot, groupId)} (${countOf(count, 'user', 'users')})` : objectName(snapshot, groupId, 'groups');
}

/**
 * Describes in one line what a policy enforces, on whom, for what and under which conditions, e.g.
 * "block; users: all users (1 exclusion); resources: all resources; client apps: exchangeActiveSync, other".
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
  if (included.length > 0) parts.push(`users: ${included.join(', ')}${excludedCount > 0 ? ` (${countOf(excludedCount, 'exclusion', 'exclusions')})` : ''}`);
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

/** Plain-English names of the built-in grant controls, for client text. */
const CLIENT_CONTROLS: Readonly<Record<string, string>> = {
  mfa: 'a second sign-in step (MFA)',
  compliantDevice: 'a device your organization manages',
  domainJoinedDevice: 'a company computer joined to your office network domain',
  approvedApplication: 'an approved app',
  compliantApplication: 'an app your organization protects',
  passwordChange: 'a password change',
};

/**
 * Describes in plain English what a policy would do, to which people and where, for client text, e.g.
 * "block sign-ins for everyone (with 1 exception) in all apps, from places other than Allowed countries".
 * Graph enum names stay out; the technician text uses `describePolicy` for the exact settings.
 */
export function describePolicyForClient(snapshot: Snapshot, policy: Graph.ConditionalAccessPolicy): string {
  const conditions = policy.conditions;
  const users = conditions?.users;
  const parts = [`${clientAction(snapshot, policy)} for ${clientWho(users)}`];
  const resources = clientResources(conditions?.applications);
  if (resources) parts[0] += ` ${resources}`;
  const when: string[] = [];
  const clientApps = asList(conditions?.clientAppTypes);
  if (clientApps.length > 0 && clientApps.every((type) => type === 'exchangeActiveSync' || type === 'other')) when.push('when old mail protocols are used');
  const flows = asList(conditions?.authenticationFlows?.transferMethods);
  const flowNames = [
    ...(flows.includes('deviceCodeFlow') ? ['sign-ins with a device code'] : []),
    ...(flows.includes('authenticationTransfer') ? ['sessions handed to another device by QR code'] : []),
  ];
  if (flowNames.length > 0) when.push(`for ${flowNames.join(' and ')}`);
  const includeLocations = asList(conditions?.locations?.includeLocations);
  const excludeLocations = asList(conditions?.locations?.excludeLocations);
  if (excludeLocations.length > 0) when.push(`from places other than ${excludeLocations.map((value) => locationName(snapshot, value)).join(', ')}`);
  else if (includeLocations.length > 0 && !includeLocations.some((value) => value.toLowerCase() === 'all')) {
    when.push(`from ${includeLocations.map((value) => locationName(snapshot, value)).join(', ')}`);
  }
  if (asList(conditions?.signInRiskLevels).length > 0 || asList(conditions?.userRiskLevels).length > 0) when.push('when Microsoft rates the sign-in or the account as risky');
  if (asList(conditions?.platforms?.includePlatforms).some((value) => value !== 'all')) when.push('on some device types');
  return [parts[0], ...when].join(', ');
}

function clientAction(snapshot: Snapshot, policy: Graph.ConditionalAccessPolicy): string {
  const grant = policy.grantControls;
  const controls = asList(grant?.builtInControls);
  const actions: string[] = [];
  if (controls.includes('block')) actions.push('block sign-ins');
  else {
    const required = controls.map((control) => CLIENT_CONTROLS[control] ?? 'an extra condition');
    const strength = grant?.authenticationStrength;
    if (strength) {
      const name = strength.displayName ?? snapshot.resources.authenticationStrengthPolicies?.find((candidate) => candidate.id === strength.id)?.displayName;
      required.push(name ? `a sign-in method of the "${name}" level` : 'a stronger sign-in method');
    }
    if (asList(grant?.termsOfUse).length > 0) required.push('accepting your terms of use');
    if (required.length > 0) actions.push(`require ${required.join(String(grant?.operator ?? 'OR').toUpperCase() === 'AND' ? ' and ' : ' or ')}`);
  }
  const session = policy.sessionControls;
  if (session?.secureSignInSession?.isEnabled) actions.push('lock sessions to the device they started on');
  if (session?.signInFrequency?.isEnabled) actions.push('make people sign in again regularly');
  if (session?.persistentBrowser?.isEnabled) actions.push('control whether browsers stay signed in');
  if (session?.cloudAppSecurity?.isEnabled) actions.push('watch sessions through Microsoft Defender for Cloud Apps');
  if (session?.applicationEnforcedRestrictions?.isEnabled) actions.push('limit what unmanaged devices can do in the apps');
  if (actions.length === 0) return 'change nothing';
  return actions.length === 1 ? actions[0]! : `${actions.slice(0, -1).join(', ')} and ${actions.at(-1)!}`;
}

function clientWho(users: Graph.ConditionalAccessUsers | null | undefined): string {
  const includeUsers = asList(users?.includeUsers).map((value) => value.toLowerCase());
  const groups = asList(users?.includeGroups).length;
  const roles = asList(users?.includeRoles).length;
  let who: string;
  if (includeUsers.includes('all')) who = 'everyone';
  else if (includeUsers.includes('guestsorexternalusers') || users?.includeGuestsOrExternalUsers) who = 'guests and outside accounts';
  else if (roles > 0 && groups === 0 && includeUsers.length === 0) who = 'administrators';
  else who = 'selected people';
  const excluded = asList(users?.excludeUsers).length + asList(users?.excludeGroups).length + asList(users?.excludeRoles).length + (users?.excludeGuestsOrExternalUsers ? 1 : 0);
  return excluded > 0 ? `${who} (with ${countOf(excluded, 'exception', 'exceptions')})` : who;
}

/** App group keywords (lower case) as a client reads them. */
const CLIENT_APP_GROUPS: Readonly<Record<string, string[]>> = {
  office365: ['Office 365'],
  microsoftadminportals: ['the Microsoft admin portals'],
};

function clientResources(apps: Graph.ConditionalAccessApplications | null | undefined): string | undefined {
  const included = asList(apps?.includeApplications).map((value) => value.toLowerCase());
  if (included.includes('all')) return 'in all apps';
  if (asList(apps?.includeUserActions).length > 0) return 'when they register sign-in methods or join devices';
  if (asList(apps?.includeAuthenticationContextClassReferences).length > 0) return 'for selected sensitive actions';
  const known = included.flatMap((value) => CLIENT_APP_GROUPS[value] ?? []);
  const others = included.length - known.length;
  if (others > 0) known.push(countOf(others, 'other app', 'other apps'));
  return known.length > 0 ? `in ${known.join(' and ')}` : undefined;
}
