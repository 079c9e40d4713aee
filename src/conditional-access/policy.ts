import type * as Graph from '@microsoft/microsoft-graph-types';

import { appGroupMembership, type AppGroupTables } from './app-groups.js';
import { DeviceFilterSyntaxError, evaluateDeviceFilter, parseDeviceFilter, type DeviceAttributes, type DeviceFilterNode } from './device-filter.js';
import type { CompiledLocation, SignInLocation } from './locations.js';
import {
  APP_GROUPS,
  CLIENT_APP_TYPES,
  EXTERNAL_USER_TYPES,
  PLATFORMS,
  type AppGroup,
  type ClientAppType,
  type ExternalUserType,
  type Platform,
  type ReasonCode,
  type SignInContext,
  type SignInDevice,
  type SignInTarget,
} from './types.js';

/** Result of testing one condition: whether it matched, and a note when the data could not decide. */
export interface ConditionResult {
  matched: boolean;
  note?: string;
}

const MATCH: ConditionResult = { matched: true };
const NO_MATCH: ConditionResult = { matched: false };

/** Splits Graph's lists: arrays, and flag enums that arrive as one comma-separated string. */
export function asList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'string') return value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string').map((item) => item.trim());
  return [];
}

const lower = (values: string[]): string[] => values.map((value) => value.toLowerCase());

interface GuestSpec {
  types: ReadonlySet<string>;
  unknownTypes: string[];
  /** Lower-cased tenant ids, or `all`. */
  tenants: 'all' | ReadonlySet<string>;
}

/** A policy with its lists normalised once, so coverage can test it many times cheaply. */
export interface CompiledPolicy {
  source: Graph.ConditionalAccessPolicy;
  id: string;
  displayName: string;
  state: string;
  users?: {
    includeAll: boolean;
    includeGuestsKeyword: boolean;
    excludeGuestsKeyword: boolean;
    includeUsers: ReadonlySet<string>;
    excludeUsers: ReadonlySet<string>;
    includeGroups: string[];
    excludeGroups: string[];
    includeRoles: string[];
    excludeRoles: string[];
    includeGuests?: GuestSpec;
    excludeGuests?: GuestSpec;
  };
  /** True when the policy targets workload identities rather than users. */
  workloadOnly: boolean;
  /**
   * User, group, role and app references that are neither object ids nor Graph keywords, such as
   * a display name in an exported or hand-written policy. Graph matches by id only, so they match
   * no user. They are reported because the author meant to target someone.
   */
  unresolvedReferences: string[];
  applications: {
    include: string[];
    exclude: string[];
    userActions: string[];
    authenticationContexts: string[];
    hasApplicationFilter: boolean;
  };
  clientAppTypes: { all: boolean; types: ReadonlySet<ClientAppType>; unknown: string[] };
  platforms?: { include: string[]; exclude: string[]; unknown: string[] };
  locations?: { include: string[]; exclude: string[] };
  deviceFilter?: { mode: string; tree?: DeviceFilterNode; error?: string };
  deviceStates?: { excludeCompliant: boolean; excludeDomainJoined: boolean };
  signInRisk: string[];
  userRisk: string[];
  insiderRisk: string[];
  transferMethods: string[];
}

const CLIENT_APP_ALIASES: Readonly<Record<string, ClientAppType>> = {
  browser: 'browser',
  mobileappsanddesktopclients: 'mobileAppsAndDesktopClients',
  modern: 'mobileAppsAndDesktopClients',
  exchangeactivesync: 'exchangeActiveSync',
  eassupported: 'exchangeActiveSync',
  easunsupported: 'exchangeActiveSync',
  other: 'other',
};

function compileGuests(value: Graph.ConditionalAccessGuestsOrExternalUsers | null | undefined): GuestSpec | undefined {
  if (!value) return undefined;
  const listed = asList(value.guestOrExternalUserTypes);
  const known = new Set<string>(EXTERNAL_USER_TYPES);
  const types = new Set(listed.filter((type) => known.has(type)));
  const unknownTypes = listed.filter((type) => !known.has(type) && type !== 'none');
  if (types.size === 0 && unknownTypes.length === 0) return undefined;
  const external = value.externalTenants as (Graph.ConditionalAccessExternalTenants & { members?: string[] }) | null | undefined;
  const tenants = external?.membershipKind === 'enumerated' ? new Set(lower(asList(external.members))) : 'all';
  return { types, unknownTypes, tenants };
}

const compiledPolicies = new WeakMap<Graph.ConditionalAccessPolicy, CompiledPolicy>();

export function compilePolicy(policy: Graph.ConditionalAccessPolicy): CompiledPolicy {
  const cached = compiledPolicies.get(policy);
  if (cached) return cached;
  const conditions = (policy.conditions ?? {}) as Graph.ConditionalAccessConditionSet & Record<string, unknown>;
  const users = conditions.users;
  const apps = conditions.applications;

  const includeUsers = asList(users?.includeUsers);
  const excludeUsers = asList(users?.excludeUsers);
  const clientApplications = conditions.clientApplications;
  const workloadOnly = !users && asList(clientApplications?.includeServicePrincipals).length > 0;

  const clientAppValues = asList(conditions.clientAppTypes);
  const clientTypes = new Set<ClientAppType>();
  const unknownClients: string[] = [];
  let allClients = clientAppValues.length === 0;
  for (const value of clientAppValues) {
    const key = value.toLowerCase();
    if (key === 'all') allClients = true;
    else if (CLIENT_APP_ALIASES[key]) clientTypes.add(CLIENT_APP_ALIASES[key]!);
    else unknownClients.push(value);
  }

  const compiled: CompiledPolicy = {
    source: policy,
    unresolvedReferences: [],
    id: String(policy.id ?? ''),
    displayName: String(policy.displayName ?? policy.id ?? ''),
    state: String(policy.state ?? ''),
    workloadOnly,
    applications: {
      include: asList(apps?.includeApplications),
      exclude: asList(apps?.excludeApplications),
      userActions: lower(asList(apps?.includeUserActions)),
      authenticationContexts: lower(asList(apps?.includeAuthenticationContextClassReferences)),
      hasApplicationFilter: typeof apps?.applicationFilter?.rule === 'string' && apps.applicationFilter.rule.trim() !== '',
    },
    clientAppTypes: { all: allClients, types: clientTypes, unknown: unknownClients },
    signInRisk: lower(asList(conditions.signInRiskLevels)),
    userRisk: lower(asList(conditions.userRiskLevels)),
    insiderRisk: lower(asList(conditions.insiderRiskLevels)),
    transferMethods: lower(asList(conditions.authenticationFlows?.transferMethods)).filter((method) => method !== 'none'),
  };

  if (users) {
    compiled.users = {
      includeAll: includeUsers.some((value) => value.toLowerCase() === 'all'),
      includeGuestsKeyword: includeUsers.some((value) => value.toLowerCase() === 'guestsorexternalusers'),
      excludeGuestsKeyword: excludeUsers.some((value) => value.toLowerCase() === 'guestsorexternalusers'),
      includeUsers: new Set(lower(includeUsers)),
      excludeUsers: new Set(lower(excludeUsers)),
      includeGroups: lower(asList(users.includeGroups)),
      excludeGroups: lower(asList(users.excludeGroups)),
      includeRoles: lower(asList(users.includeRoles)),
      excludeRoles: lower(asList(users.excludeRoles)),
    };
    const includeGuests = compileGuests(users.includeGuestsOrExternalUsers);
    const excludeGuests = compileGuests(users.excludeGuestsOrExternalUsers);
    if (includeGuests) compiled.users.includeGuests = includeGuests;
    if (excludeGuests) compiled.users.excludeGuests = excludeGuests;
  }

  const platforms = conditions.platforms;
  if (platforms && (asList(platforms.includePlatforms).length > 0 || asList(platforms.excludePlatforms).length > 0)) {
    const known = new Set<string>(['all', ...PLATFORMS.map((platform) => platform.toLowerCase())]);
    const include = lower(asList(platforms.includePlatforms));
    const exclude = lower(asList(platforms.excludePlatforms));
    compiled.platforms = { include, exclude, unknown: [...include, ...exclude].filter((value) => !known.has(value)) };
  }

  const locations = conditions.locations;
  if (locations && (asList(locations.includeLocations).length > 0 || asList(locations.excludeLocations).length > 0)) {
    compiled.locations = { include: lower(asList(locations.includeLocations)), exclude: lower(asList(locations.excludeLocations)) };
  }

  const filter = conditions.devices?.deviceFilter;
  if (filter && typeof filter.rule === 'string' && filter.rule.trim() !== '') {
    const mode = String(filter.mode ?? '').toLowerCase();
    try {
      compiled.deviceFilter = { mode, tree: parseDeviceFilter(filter.rule) };
      if (mode !== 'include' && mode !== 'exclude') compiled.deviceFilter.error = `device filter mode "${String(filter.mode)}" is neither include nor exclude`;
    } catch (error) {
      if (!(error instanceof DeviceFilterSyntaxError)) throw error;
      compiled.deviceFilter = { mode, error: `${error.message} in rule ${JSON.stringify(filter.rule)}` };
    }
  }

  const deviceStates = conditions['deviceStates'] as { includeStates?: unknown; excludeStates?: unknown } | null | undefined;
  if (deviceStates && asList(deviceStates.excludeStates).length > 0) {
    const states = lower(asList(deviceStates.excludeStates));
    compiled.deviceStates = { excludeCompliant: states.includes('compliant'), excludeDomainJoined: states.includes('domainjoined') };
  }

  compiled.unresolvedReferences = unresolvedReferences(compiled);
  compiledPolicies.set(policy, compiled);
  return compiled;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_KEYWORDS = new Set(['all', 'none', 'guestsorexternalusers']);
const APP_KEYWORDS = new Set(['all', 'none', 'office365', 'microsoftadminportals']);

function unresolvedReferences(policy: CompiledPolicy): string[] {
  const found: string[] = [];
  const users = policy.users;
  if (users) {
    for (const value of [...users.includeUsers, ...users.excludeUsers]) if (!GUID.test(value) && !USER_KEYWORDS.has(value)) found.push(`user "${value}"`);
    for (const value of [...users.includeGroups, ...users.excludeGroups]) if (!GUID.test(value)) found.push(`group "${value}"`);
    for (const value of [...users.includeRoles, ...users.excludeRoles]) if (!GUID.test(value)) found.push(`role "${value}"`);
  }
  for (const value of [...policy.applications.include, ...policy.applications.exclude]) {
    if (!GUID.test(value) && !APP_KEYWORDS.has(value.toLowerCase())) found.push(`app "${value}"`);
  }
  return found;
}

/** The resolved user of a sign-in: lower-cased ids, transitive groups and active roles. */
export interface ResolvedUser {
  id: string;
  groups: ReadonlySet<string>;
  roles: ReadonlySet<string>;
  externalUserType: ExternalUserType | null;
  externalTenantId?: string;
}

function guestSpecMatches(spec: GuestSpec, user: ResolvedUser): ConditionResult {
  if (user.externalUserType === null || !spec.types.has(user.externalUserType)) {
    if (user.externalUserType !== null && spec.unknownTypes.length > 0) {
      return { matched: false, note: `unknown guest or external user types ${spec.unknownTypes.join(', ')}` };
    }
    return NO_MATCH;
  }
  if (spec.tenants === 'all') return MATCH;
  if (user.externalTenantId === undefined) return { matched: false, note: "the external user's home tenant is unknown, so the enumerated tenant list cannot be tested" };
  return { matched: spec.tenants.has(user.externalTenantId.toLowerCase()) };
}

const intersects = (ids: string[], set: ReadonlySet<string>): boolean => ids.some((id) => set.has(id));

export function matchUsers(policy: CompiledPolicy, user: ResolvedUser): ConditionResult {
  const users = policy.users;
  if (!users) return NO_MATCH;
  const notes: string[] = [];
  const guest = (spec: GuestSpec | undefined): boolean => {
    if (!spec) return false;
    const result = guestSpecMatches(spec, user);
    if (result.note) notes.push(result.note);
    return result.matched;
  };
  const isExternal = user.externalUserType !== null;

  const included =
    users.includeAll ||
    users.includeUsers.has(user.id) ||
    (users.includeGuestsKeyword && isExternal) ||
    intersects(users.includeGroups, user.groups) ||
    intersects(users.includeRoles, user.roles) ||
    guest(users.includeGuests);
  // Exclusions beat inclusions in every user condition.
  const excluded =
    users.excludeUsers.has(user.id) ||
    (users.excludeGuestsKeyword && isExternal) ||
    intersects(users.excludeGroups, user.groups) ||
    intersects(users.excludeRoles, user.roles) ||
    guest(users.excludeGuests);
  const matched = included && !excluded;
  if (policy.unresolvedReferences.length > 0) notes.push(`references that are not object ids match nobody: ${policy.unresolvedReferences.join(', ')}`);
  return notes.length > 0 ? { matched, note: notes.join('; ') } : { matched };
}

type Membership = 'member' | 'nonMember' | 'uncertain' | 'unknown';

function membershipOf(tables: AppGroupTables, target: Extract<SignInTarget, { kind: 'app' }>, group: AppGroup): Membership {
  if (target.memberOf) return target.memberOf.includes(group) ? 'member' : 'nonMember';
  const found = appGroupMembership(tables, group, target.appId);
  return found === 'uncertainMember' ? 'uncertain' : found;
}

/**
 * Tests the target resource. An app whose membership of Office365 or MicrosoftAdminPortals is
 * unknown makes the policy not apply, with a note: the evaluator never assumes coverage that the
 * data cannot show.
 */
export function matchTarget(policy: CompiledPolicy, target: SignInTarget, tables: AppGroupTables): ConditionResult & { reason: ReasonCode } {
  const apps = policy.applications;
  if (target.kind === 'userAction') {
    return { matched: apps.userActions.includes(target.action.toLowerCase()), reason: 'userActions' };
  }
  if (target.kind === 'authenticationContext') {
    return { matched: apps.authenticationContexts.includes(target.id.toLowerCase()), reason: 'authenticationContext' };
  }

  const notes: string[] = [];
  const appId = target.appId.toLowerCase();
  const test = (entries: string[], side: 'include' | 'exclude'): boolean => {
    let hit = false;
    for (const entry of entries) {
      const key = entry.toLowerCase();
      if (key === 'none') continue;
      if (key === 'all') {
        if (side === 'include') hit = true;
        continue;
      }
      const group = APP_GROUPS.find((name) => name.toLowerCase() === key);
      if (group) {
        const membership = membershipOf(tables, target, group);
        if (membership === 'member') hit = true;
        else if (membership === 'uncertain') {
          notes.push(`${target.appId} is counted as a member of ${group}, but its membership is not confirmed by Microsoft`);
          hit = true;
        } else if (membership === 'unknown') {
          notes.push(`whether ${target.appId} belongs to ${group} is not known; the policy is treated as not applying`);
          // Unknown on either side resolves toward "does not apply".
          if (side === 'exclude') hit = true;
        }
        continue;
      }
      if (key === appId) hit = true;
    }
    return hit;
  };

  const included = test(apps.include, 'include');
  const excluded = test(apps.exclude, 'exclude');
  let matched = included && !excluded;
  if (matched && apps.hasApplicationFilter) {
    notes.push('the policy filters applications by custom security attributes, which snapshots do not hold');
    matched = false;
  }
  return notes.length > 0 ? { matched, note: notes.join('; '), reason: 'application' } : { matched, reason: 'application' };
}

export function matchClientApp(policy: CompiledPolicy, clientAppType: ClientAppType): ConditionResult {
  const spec = policy.clientAppTypes;
  if (spec.all || spec.types.has(clientAppType)) return MATCH;
  if (spec.unknown.length > 0) return { matched: false, note: `unknown client app types ${spec.unknown.join(', ')}` };
  return NO_MATCH;
}

export function matchPlatform(policy: CompiledPolicy, platform: Platform): ConditionResult {
  const spec = policy.platforms;
  if (!spec) return MATCH;
  const key = platform.toLowerCase();
  // An unknown platform matches only `all`, never a list of named platforms.
  const included = spec.include.includes('all') || (platform !== 'unknown' && spec.include.includes(key));
  const excluded = platform !== 'unknown' && spec.exclude.includes(key);
  const matched = included && !excluded;
  if (!matched && spec.unknown.length > 0) return { matched, note: `unknown platforms ${spec.unknown.join(', ')}` };
  return { matched };
}

export function matchLocation(policy: CompiledPolicy, location: SignInLocation, locations: Map<string, CompiledLocation>): ConditionResult {
  const spec = policy.locations;
  if (!spec) return MATCH;
  const notes: string[] = [];
  const test = (entries: string[], side: 'include' | 'exclude'): boolean => {
    let hit = false;
    for (const entry of entries) {
      if (entry === 'all') hit = true;
      else if (entry === 'alltrusted') hit ||= location.trusted;
      else {
        const named = locations.get(entry);
        if (!named || named.kind === 'unsupported') {
          notes.push(named ? `${named.displayName}: ${named.problem}` : `named location ${entry} is not in the snapshot`);
          if (side === 'exclude') hit = true;
        } else if (location.inside.has(entry)) hit = true;
      }
    }
    return hit;
  };
  const matched = test(spec.include, 'include') && !test(spec.exclude, 'exclude');
  return notes.length > 0 ? { matched, note: notes.join('; ') } : { matched };
}

export function deviceAttributes(device: SignInDevice | null): DeviceAttributes | null {
  if (device === null) return null;
  return { ...(device.attributes ?? {}), isCompliant: device.isCompliant ?? false, trustType: device.trustType ?? null };
}

export function matchDevice(policy: CompiledPolicy, device: SignInDevice | null): ConditionResult {
  if (policy.deviceStates && device) {
    if (policy.deviceStates.excludeCompliant && device.isCompliant === true) return NO_MATCH;
    if (policy.deviceStates.excludeDomainJoined && device.trustType === 'ServerAD') return NO_MATCH;
  }
  const filter = policy.deviceFilter;
  if (!filter) return MATCH;
  if (filter.error || !filter.tree) return { matched: false, note: `cannot evaluate: ${filter.error}` };
  const matches = evaluateDeviceFilter(filter.tree, deviceAttributes(device));
  return { matched: filter.mode === 'include' ? matches : !matches };
}

export function matchLevels(levels: string[], actual: string): ConditionResult {
  if (levels.length === 0) return MATCH;
  return { matched: levels.includes(actual.toLowerCase()) };
}

export function matchFlow(policy: CompiledPolicy, flow: SignInContext['flow']): ConditionResult {
  if (policy.transferMethods.length === 0) return MATCH;
  return { matched: flow !== undefined && policy.transferMethods.includes(flow.toLowerCase()) };
}

export const KNOWN_CLIENT_APP_TYPES: readonly string[] = CLIENT_APP_TYPES;

/**
 * Conditions of a policy that the evaluator cannot decide from a snapshot, found without a
 * sign-in: malformed device filters, unknown enum values, application filters, missing or
 * unsupported named locations.
 */
export function staticProblems(policy: CompiledPolicy, locations: Map<string, CompiledLocation>): string[] {
  const problems: string[] = [];
  if (policy.unresolvedReferences.length > 0) problems.push(`references that are not object ids match nobody: ${policy.unresolvedReferences.join(', ')}`);
  if (policy.deviceFilter?.error) problems.push(policy.deviceFilter.error);
  if (policy.clientAppTypes.unknown.length > 0) problems.push(`unknown client app types ${policy.clientAppTypes.unknown.join(', ')}`);
  if (policy.platforms && policy.platforms.unknown.length > 0) problems.push(`unknown platforms ${policy.platforms.unknown.join(', ')}`);
  if (policy.applications.hasApplicationFilter) problems.push('an application filter on custom security attributes');
  for (const entry of [...(policy.locations?.include ?? []), ...(policy.locations?.exclude ?? [])]) {
    if (entry === 'all' || entry === 'alltrusted') continue;
    const named = locations.get(entry);
    if (!named) problems.push(`named location ${entry} is not in the snapshot`);
    else if (named.kind === 'unsupported') problems.push(`${named.displayName}: ${named.problem}`);
  }
  for (const spec of [policy.users?.includeGuests, policy.users?.excludeGuests]) {
    if (spec && spec.unknownTypes.length > 0) problems.push(`unknown guest or external user types ${spec.unknownTypes.join(', ')}`);
  }
  return problems;
}
