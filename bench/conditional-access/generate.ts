/**
 * Synthetic tenant generator for the Conditional Access benchmark. Deterministic for a seed.
 *
 * The tenant has N users (5% guests, 1% disabled) and two break-glass accounts. Its 2,000 groups
 * nest to depth three: 100 top groups contain 4 mid groups each, 400 mid groups contain 4 leaf
 * groups each, and 1,500 leaf groups contain users. Each user is in 3 to 15 leaf groups, skewed
 * toward large groups. There are 50 named locations, 500 role assignments and 300 policies that
 * mix All-users baselines with group, role and guest targeting and their exclusions.
 */
import { mkdirSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

import type * as Graph from '@microsoft/microsoft-graph-types';

import { PHISHING_RESISTANT_ADMIN_ROLES, ROLE } from '../../src/entra/roles.js';
import type { DirectoryObjectRef, SnapshotResources } from '../../src/snapshot/types.js';

export interface GeneratorOptions {
  users: number;
  groups?: number;
  policies?: number;
  namedLocations?: number;
  roleAssignments?: number;
  seed?: number;
}

/** Small fast PRNG (mulberry32), so every run builds the same tenant. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (value: number, width: number): string => value.toString(16).padStart(width, '0').slice(-width);
/** A GUID-shaped id that encodes a kind and an index, so ids are unique and readable. */
const guid = (kind: number, index: number): string => `${hex(kind, 8)}-0000-4000-8000-${hex(index, 12)}`;

const USER = 1;
const GROUP = 2;
const POLICY = 3;
const LOCATION = 4;
const ASSIGNMENT = 5;

const APP_IDS = [
  '00000002-0000-0ff1-ce00-000000000000',
  '00000003-0000-0ff1-ce00-000000000000',
  'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe',
  '797f4846-ba00-4fd7-ba43-dac1f8f63013',
  'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
  ...Array.from({ length: 15 }, (_, index) => guid(9, index)),
];

const ADMIN_ROLES = [...PHISHING_RESISTANT_ADMIN_ROLES, ROLE.intuneAdministrator, ROLE.globalReader, ROLE.securityReader, ROLE.reportsReader, ROLE.groupsAdministrator];

export interface GeneratedTenant {
  resources: Partial<SnapshotResources>;
  breakGlassIds: string[];
}

export function generateTenant(options: GeneratorOptions): GeneratedTenant {
  const rand = random(options.seed ?? 42);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)]!;
  const groupCount = options.groups ?? 2000;
  const leafCount = Math.floor(groupCount * 0.75);
  const midCount = Math.floor(groupCount * 0.2);
  const topCount = groupCount - leafCount - midCount;
  const policyCount = options.policies ?? 300;

  const users: Graph.User[] = [];
  for (let index = 0; index < options.users; index++) {
    const id = guid(USER, index);
    const isGuest = rand() < 0.05;
    const user: Graph.User = isGuest
      ? { id, displayName: `Guest ${index}`, userPrincipalName: `guest${index}_partner.example#EXT#@contoso.onmicrosoft.com`, userType: 'Guest', creationType: 'Invitation', accountEnabled: true }
      : { id, displayName: `User ${index}`, userPrincipalName: `user${index}@contoso.example`, userType: 'Member', accountEnabled: rand() >= 0.01 };
    users.push(user);
  }
  const breakGlassIds = [guid(USER, options.users), guid(USER, options.users + 1)];
  users.push({ id: breakGlassIds[0]!, displayName: 'Break Glass 1', userPrincipalName: 'bg1@contoso.onmicrosoft.com', userType: 'Member', accountEnabled: true });
  users.push({ id: breakGlassIds[1]!, displayName: 'Break Glass 2', userPrincipalName: 'bg2@contoso.onmicrosoft.com', userType: 'Member', accountEnabled: true });

  const groups: Graph.Group[] = Array.from({ length: groupCount }, (_, index) => ({ id: guid(GROUP, index), displayName: `Group ${index}`, securityEnabled: true, groupTypes: [] }));
  const members: Record<string, DirectoryObjectRef[]> = {};
  for (const group of groups) members[group.id!] = [];
  // Leaf groups hold users; the skew puts most users into the low-numbered leaf groups.
  for (let index = 0; index < options.users; index++) {
    const count = 3 + Math.floor(12 * rand() * rand());
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(Math.floor(leafCount * rand() ** 3));
    for (const leaf of chosen) members[guid(GROUP, leaf)]!.push({ '@odata.type': '#microsoft.graph.user', id: guid(USER, index) });
  }
  for (let mid = 0; mid < midCount; mid++) {
    for (let k = 0; k < 4; k++) members[guid(GROUP, leafCount + mid)]!.push({ '@odata.type': '#microsoft.graph.group', id: guid(GROUP, Math.floor(rand() * leafCount)) });
  }
  for (let top = 0; top < topCount; top++) {
    for (let k = 0; k < 4; k++) members[guid(GROUP, leafCount + midCount + top)]!.push({ '@odata.type': '#microsoft.graph.group', id: guid(GROUP, leafCount + Math.floor(rand() * midCount)) });
  }
  const breakGlassGroup = guid(GROUP, groupCount);
  groups.push({ id: breakGlassGroup, displayName: 'Break glass accounts', securityEnabled: true, groupTypes: [] });
  members[breakGlassGroup] = breakGlassIds.map((id) => ({ '@odata.type': '#microsoft.graph.user', id }));

  const roleAssignments: Graph.UnifiedRoleAssignment[] = [];
  for (let index = 0; index < (options.roleAssignments ?? 500); index++) {
    const principal = guid(USER, Math.floor(rand() * options.users));
    const scoped = rand() < 0.1;
    roleAssignments.push({ id: guid(ASSIGNMENT, index), principalId: principal, roleDefinitionId: pick(ADMIN_ROLES), directoryScopeId: scoped ? `/administrativeUnits/${guid(8, index)}` : '/' });
  }
  for (const id of breakGlassIds) roleAssignments.push({ id: `bg-${id}`, principalId: id, roleDefinitionId: ROLE.globalAdministrator, directoryScopeId: '/' });

  const namedLocations: Graph.NamedLocation[] = [];
  const locationCount = options.namedLocations ?? 50;
  for (let index = 0; index < locationCount; index++) {
    const id = guid(LOCATION, index);
    if (index % 5 === 4) {
      namedLocations.push({ '@odata.type': '#microsoft.graph.countryNamedLocation', id, displayName: `Countries ${index}`, countriesAndRegions: [pick(['NL', 'BE', 'DE']), pick(['FR', 'GB', 'US'])], includeUnknownCountriesAndRegions: index % 10 === 9 } as Graph.NamedLocation);
    } else {
      namedLocations.push({ '@odata.type': '#microsoft.graph.ipNamedLocation', id, displayName: `Site ${index}`, isTrusted: index < 5, ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: `100.64.${index}.0/24` }] } as Graph.NamedLocation);
    }
  }

  // Small leaf groups act as exception groups, as real tenants exclude pilot or service groups.
  const exclusionPool = Array.from({ length: 30 }, (_, index) => guid(GROUP, leafCount - 1 - index * 7));
  const someExclusions = (max: number): string[] => Array.from({ length: Math.floor(rand() * (max + 1)) }, () => pick(exclusionPool));
  const randomGroup = (): string => guid(GROUP, Math.floor(rand() * groupCount));
  const state = (): Graph.ConditionalAccessPolicyState => {
    const roll = rand();
    if (roll < 0.1) return 'enabledForReportingButNotEnforced';
    if (roll < 0.15) return 'disabled';
    return 'enabled';
  };
  const grant = (): Graph.ConditionalAccessGrantControls => {
    const roll = rand();
    if (roll < 0.3) return { operator: 'OR', builtInControls: ['block'] };
    if (roll < 0.6) return { operator: 'OR', builtInControls: ['mfa'] };
    if (roll < 0.8) return { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] };
    return { operator: 'AND', builtInControls: ['mfa', 'compliantDevice'] };
  };
  const apps = (): string[] => (rand() < 0.5 ? ['All'] : rand() < 0.5 ? ['Office365'] : [pick(APP_IDS), pick(APP_IDS)]);
  const extraConditions = (): Partial<Graph.ConditionalAccessConditionSet> => {
    const roll = rand();
    if (roll < 0.15) return { platforms: { includePlatforms: [pick(['android', 'iOS', 'windows', 'macOS'] as const)], excludePlatforms: [] } };
    if (roll < 0.3) return { locations: { includeLocations: ['All'], excludeLocations: [rand() < 0.5 ? 'AllTrusted' : guid(LOCATION, Math.floor(rand() * locationCount))] } };
    if (roll < 0.35) return { signInRiskLevels: ['high'] };
    if (roll < 0.4) return { clientAppTypes: ['exchangeActiveSync', 'other'] };
    return {};
  };

  const policies: Graph.ConditionalAccessPolicy[] = [];
  const add = (displayName: string, conditions: Graph.ConditionalAccessConditionSet, grantControls: Graph.ConditionalAccessGrantControls, policyState: Graph.ConditionalAccessPolicyState = 'enabled'): void => {
    policies.push({ id: guid(POLICY, policies.length), displayName, state: policyState, conditions: { clientAppTypes: ['all'], ...conditions }, grantControls });
  };
  const allUsers = (extra: string[] = []) => ({ includeUsers: ['All'], excludeGroups: [breakGlassGroup, ...extra] });
  // Real tenants block only under a condition (a location, platform, risk or legacy client); an
  // unconditional block of everything for a whole group would lock it out.
  const scopedGrant = (conditions: Partial<Graph.ConditionalAccessConditionSet>): Graph.ConditionalAccessGrantControls => {
    const controls = grant();
    const blocks = controls.builtInControls?.includes('block') ?? false;
    return blocks && Object.keys(conditions).length === 0 ? { operator: 'OR', builtInControls: ['mfa'] } : controls;
  };

  add('Baseline: require MFA for all users', { users: allUsers(someExclusions(2)), applications: { includeApplications: ['All'] } }, { operator: 'OR', builtInControls: ['mfa'] });
  add('Baseline: block legacy authentication', { users: allUsers(someExclusions(1)), applications: { includeApplications: ['All'] }, clientAppTypes: ['exchangeActiveSync', 'other'] }, { operator: 'OR', builtInControls: ['block'] });
  add('Baseline: block device code flow', { users: allUsers(someExclusions(2)), applications: { includeApplications: ['All'] }, authenticationFlows: { transferMethods: 'deviceCodeFlow' } }, { operator: 'OR', builtInControls: ['block'] });
  add('Baseline: block authentication transfer', { users: allUsers(), applications: { includeApplications: ['All'] }, authenticationFlows: { transferMethods: 'authenticationTransfer' } }, { operator: 'OR', builtInControls: ['block'] }, 'enabledForReportingButNotEnforced');
  add('Baseline: phishing-resistant MFA for admins', { users: { includeRoles: [...PHISHING_RESISTANT_ADMIN_ROLES], excludeGroups: [breakGlassGroup] }, applications: { includeApplications: ['All'] } }, { operator: 'OR', authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } });
  add('Baseline: managed device for Microsoft 365', { users: allUsers(someExclusions(3)), applications: { includeApplications: ['Office365', 'MicrosoftAdminPortals'] } }, { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] });

  while (policies.length < policyCount) {
    const roll = rand();
    const index = policies.length;
    const extra = extraConditions();
    if (roll < 0.15) {
      add(`All users ${index}`, { users: allUsers(someExclusions(2)), applications: { includeApplications: apps() }, ...extra }, scopedGrant(extra), state());
    } else if (roll < 0.65) {
      const include = Array.from({ length: 1 + Math.floor(rand() * 4) }, randomGroup);
      add(`Groups ${index}`, { users: { includeGroups: include, excludeGroups: someExclusions(2) }, applications: { includeApplications: apps() }, ...extra }, scopedGrant(extra), state());
    } else if (roll < 0.85) {
      const roles = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick(ADMIN_ROLES));
      const strength: Graph.ConditionalAccessGrantControls = { operator: 'OR', authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } };
      add(`Roles ${index}`, { users: { includeRoles: roles, excludeGroups: [breakGlassGroup] }, applications: { includeApplications: apps() }, ...extra }, rand() < 0.5 ? strength : scopedGrant(extra), state());
    } else {
      const types = pick(['b2bCollaborationGuest', 'internalGuest,b2bCollaborationGuest', 'b2bCollaborationGuest,b2bCollaborationMember,otherExternalUser']);
      const guests = { guestOrExternalUserTypes: types, externalTenants: { '@odata.type': '#microsoft.graph.conditionalAccessAllExternalTenants', membershipKind: 'all' } } as Graph.ConditionalAccessGuestsOrExternalUsers;
      add(`Guests ${index}`, { users: { includeGuestsOrExternalUsers: guests }, applications: { includeApplications: apps() }, ...extra }, scopedGrant(extra), state());
    }
  }

  return {
    resources: { users, groups, groupMembers: members, roleAssignments, namedLocations, conditionalAccessPolicies: policies },
    breakGlassIds,
  };
}

/**
 * Writes the tenant as a snapshot folder: users paged into `users/` (1,000 per file, as Graph
 * pages them), one `groupMembers/<group id>.json` per group, and the other resources whole.
 */
export function writeTenant(dir: string, tenant: GeneratedTenant): void {
  mkdirSync(join(dir, 'users'), { recursive: true, mode: 0o700 });
  mkdirSync(join(dir, 'groupMembers'), { recursive: true, mode: 0o700 });
  const users = tenant.resources.users!;
  const pageSize = 1000;
  for (let start = 0; start < users.length; start += pageSize) {
    const fd = openSync(join(dir, 'users', `page-${String(start / pageSize).padStart(5, '0')}.json`), 'w', 0o600);
    writeSync(fd, '{"value":[\n');
    const page = users.slice(start, start + pageSize);
    writeSync(fd, page.map((user) => JSON.stringify(user)).join(',\n'));
    writeSync(fd, '\n]}\n');
    closeSync(fd);
  }
  for (const [groupId, members] of Object.entries(tenant.resources.groupMembers!)) {
    writeFileSync(join(dir, 'groupMembers', `${groupId}.json`), JSON.stringify({ value: members }), { mode: 0o600 });
  }
  for (const name of ['groups', 'roleAssignments', 'namedLocations', 'conditionalAccessPolicies'] as const) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ value: tenant.resources[name] }), { mode: 0o600 });
  }
}
