import type * as Graph from '@microsoft/microsoft-graph-types';

import type { Snapshot } from '../snapshot/types.js';
import { APP_GROUP_TABLES, WELL_KNOWN_APPS } from './app-groups.js';
import { evaluatePolicies, requirementTree } from './evaluate.js';
import { compileLocations, resolveSignInLocation, type CompiledLocation } from './locations.js';
import {
  compilePolicy,
  matchClientApp,
  matchDevice,
  matchFlow,
  matchLevels,
  matchLocation,
  matchPlatform,
  matchTarget,
  matchUsers,
  type CompiledPolicy,
} from './policy.js';
import { strengthIsPhishingResistant, strengthRequiresMfa } from './strengths.js';
import type {
  ClientAppType,
  EvaluationFacts,
  GrantControl,
  Platform,
  ReasonCode,
  RequirementTree,
  SignInContext,
  SignInDevice,
  TransferMethod,
  Uncertainty,
} from './types.js';
import { buildUserClasses, type UserClass } from './user-classes.js';

/** The kinds of gap the analysis proves, each a sign-in that gets less than it should. */
export const GAP_KINDS = ['mfa', 'adminPhishingResistant', 'deviceCodeFlow', 'authenticationTransfer', 'legacyAuthentication', 'compliantDevice'] as const;
export type GapKind = (typeof GAP_KINDS)[number];

export const GAP_TITLES: Readonly<Record<GapKind, string>> = {
  mfa: 'Sign-in without multifactor authentication',
  adminPhishingResistant: 'Admin sign-in without phishing-resistant MFA',
  deviceCodeFlow: 'Device code flow not blocked',
  authenticationTransfer: 'Authentication transfer not blocked',
  legacyAuthentication: 'Legacy authentication not blocked',
  compliantDevice: 'Microsoft 365 or admin portal without a compliant or hybrid-joined device',
};

export interface AppRepresentative {
  appId: string;
  displayName: string;
  memberOf?: readonly ('Office365' | 'MicrosoftAdminPortals')[];
}

export interface LocationRepresentative {
  description: string;
  ip?: string;
  country?: string;
}

export interface DeviceRepresentative {
  description: string;
  device: SignInDevice | null;
}

/** One concrete sign-in that shows a gap. */
export interface CounterexampleSignIn {
  user: { id: string; displayName: string | null; userPrincipalName: string | null };
  app: AppRepresentative;
  clientAppType: ClientAppType;
  platform: Platform;
  location: LocationRepresentative;
  flow: TransferMethod | null;
  device: DeviceRepresentative;
}

/** A policy that would have closed the gap, and why it did not apply to the counterexample. */
export interface CandidatePolicy {
  id: string;
  displayName: string;
  state: string;
  applies: boolean;
  reasons: ReasonCode[];
}

export interface CoverageGap {
  kind: GapKind;
  /** Stable key: kind, class and the non-grouped dimensions. */
  key: string;
  example: CounterexampleSignIn;
  /** Users sharing the example user's class. */
  classSize: number;
  sampleUserIds: string[];
  /** Every app and location with the same gap for this class, client, platform, device and flow. */
  apps: AppRepresentative[];
  locations: LocationRepresentative[];
  /** Other platform values that behave exactly like `example.platform` in every policy. */
  equivalentPlatforms: Platform[];
  equivalentClientAppTypes: ClientAppType[];
  equivalentDevices: string[];
  candidates: CandidatePolicy[];
  /** Report-only policies that, once enabled, would close this gap in every failing cell, its counterexample included. */
  reportOnlyWouldClose: { id: string; displayName: string }[];
  breakGlass: 'declared' | 'suspected' | null;
  uncertain: Uncertainty[];
}

export interface CoverageReport {
  usersAnalysed: number;
  disabledUsersSkipped: number;
  userClasses: number;
  policiesAnalysed: number;
  /** Gaps of ordinary accounts. */
  gaps: CoverageGap[];
  /** Gaps that exist only for declared or suspected break-glass accounts. */
  breakGlassGaps: CoverageGap[];
  /** Things that limit what the analysis can prove, such as group members not collected. */
  limitations: string[];
  /** Gaps left out per kind because `maxGapsPerKind` was reached. */
  truncated: Partial<Record<GapKind, number>>;
  /** Users and classes with at least one gap, per kind, counted before truncation; break-glass classes excluded. */
  affected: Record<GapKind, { users: number; classes: number }>;
  appGroupTablesAsOf: Record<string, string>;
}

export interface CoverageOptions {
  breakGlassAccounts: string[];
  /** Limit of gaps kept (and explained) per kind; the rest are counted in `truncated`. Default 100. */
  maxGapsPerKind?: number;
}

const OTHER_APP: AppRepresentative = { appId: 'ffffffff-0000-4000-8000-0000000000a1', displayName: 'any other app (not named in any policy)', memberOf: [] };

const BASE_APPS: AppRepresentative[] = [
  { ...WELL_KNOWN_APPS['exchange']! },
  { ...WELL_KNOWN_APPS['sharepoint']! },
  { ...WELL_KNOWN_APPS['teams']! },
  { ...WELL_KNOWN_APPS['azure-portal']! },
  { ...WELL_KNOWN_APPS['azure-management']! },
  OTHER_APP,
];

/** Exchange, SharePoint, Teams and the admin portals: the resources the device requirement is about. */
const DEVICE_REQUIREMENT_APPS: readonly string[] = [
  WELL_KNOWN_APPS['exchange']!.appId,
  WELL_KNOWN_APPS['sharepoint']!.appId,
  WELL_KNOWN_APPS['teams']!.appId,
  WELL_KNOWN_APPS['azure-portal']!.appId,
];

const DEVICES: DeviceRepresentative[] = [
  { description: 'unregistered device', device: null },
  { description: 'registered, not compliant device', device: { trustType: 'Workplace', isCompliant: false } },
  { description: 'hybrid-joined device', device: { trustType: 'ServerAD', isCompliant: false } },
  { description: 'compliant Entra-joined device', device: { trustType: 'AzureAD', isCompliant: true } },
];

const PLATFORM_VALUES: readonly Platform[] = ['windows', 'macOS', 'iOS', 'android', 'linux', 'windowsPhone', 'unknown'];

/** Countries tried for "a country no country location lists". */
const FALLBACK_COUNTRIES = ['US', 'DE', 'FR', 'GB', 'NL', 'JP', 'BR', 'AU', 'IN', 'ZA'];

// ---------------------------------------------------------------------------------------------
// Bit sets over policies: bit i is policy i of the analysed list.

type Mask = Uint32Array;

function popcount(word: number): number {
  let value = word - ((word >>> 1) & 0x55555555);
  value = (value & 0x33333333) + ((value >>> 2) & 0x33333333);
  return (((value + (value >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function newMask(words: number): Mask {
  return new Uint32Array(words);
}

function setBit(mask: Mask, index: number): void {
  mask[index >>> 5]! |= 1 << (index & 31);
}

function hasBit(mask: Mask, index: number): boolean {
  return (mask[index >>> 5]! & (1 << (index & 31))) !== 0;
}

function andInto(target: Mask, other: Mask): void {
  for (let i = 0; i < target.length; i++) target[i]! &= other[i]!;
}

/** Builds a compact string key for a bit set: two UTF-16 code units per 32-bit word. */
function maskKey(mask: Mask): string {
  let key = '';
  for (let i = 0; i < mask.length; i++) key += String.fromCharCode(mask[i]! & 0xffff, mask[i]! >>> 16);
  return key;
}

/** Groups dimension values whose masks are equal; the first value of each group represents it. */
function dedupe<T>(values: readonly T[], maskOf: (value: T) => Mask): { value: T; mask: Mask; equivalents: T[] }[] {
  const groups = new Map<string, { value: T; mask: Mask; equivalents: T[] }>();
  for (const value of values) {
    const mask = maskOf(value);
    const key = maskKey(mask);
    const existing = groups.get(key);
    if (existing) existing.equivalents.push(value);
    else groups.set(key, { value, mask, equivalents: [value] });
  }
  return [...groups.values()];
}

// ---------------------------------------------------------------------------------------------
// What each gap kind needs from a policy's grant controls.

function treeRequires(tree: RequirementTree, satisfies: (control: GrantControl) => boolean): boolean {
  return tree.operator === 'AND' ? tree.controls.some(satisfies) : tree.controls.every(satisfies);
}

const isMfaControl = (control: GrantControl): boolean =>
  control.control.toLowerCase() === 'mfa' || (control.control.startsWith('authenticationStrength:') && strengthRequiresMfa(control.allowedCombinations));
const isPhishingResistantControl = (control: GrantControl): boolean =>
  control.control.startsWith('authenticationStrength:') && strengthIsPhishingResistant(control.allowedCombinations);
const isDeviceControl = (control: GrantControl): boolean => ['compliantdevice', 'domainjoineddevice'].includes(control.control.toLowerCase());

/** True when the policy, once it applies, closes a gap of this kind. A block closes every kind. */
export function policyCloses(kind: GapKind, policy: CompiledPolicy, facts: EvaluationFacts): boolean {
  const { blocks, tree } = requirementTree(policy, facts);
  if (blocks) return true;
  if (!tree) return false;
  switch (kind) {
    case 'mfa':
      return treeRequires(tree, isMfaControl);
    case 'adminPhishingResistant':
      return treeRequires(tree, isPhishingResistantControl);
    case 'compliantDevice':
      return treeRequires(tree, isDeviceControl);
    default:
      return false;
  }
}

/**
 * True when the policy would close gaps of this kind for some sign-in in the kind's scope: it
 * blocks or requires the right control, and its client app types and flows overlap the scope.
 */
export function policyAddressesKind(kind: GapKind, policy: CompiledPolicy, facts: EvaluationFacts): boolean {
  const scope = SCOPES[kind];
  return (
    policyCloses(kind, policy, facts) &&
    scope.clients.some((client) => matchClientApp(policy, client).matched) &&
    scope.flows.some((flow) => matchFlow(policy, flow ?? undefined).matched)
  );
}

interface KindScope {
  clients: readonly ClientAppType[];
  flows: readonly (TransferMethod | null)[];
  devices: readonly DeviceRepresentative[];
  apps: (apps: readonly AppRepresentative[]) => AppRepresentative[];
  users: (userClass: UserClass) => boolean;
}

const MODERN_CLIENTS: readonly ClientAppType[] = ['browser', 'mobileAppsAndDesktopClients'];

const SCOPES: Readonly<Record<GapKind, KindScope>> = {
  mfa: { clients: MODERN_CLIENTS, flows: [null], devices: DEVICES, apps: (apps) => [...apps], users: () => true },
  adminPhishingResistant: { clients: MODERN_CLIENTS, flows: [null], devices: DEVICES, apps: (apps) => [...apps], users: (userClass) => userClass.holdsAdminRole },
  // Device code and authentication transfer are started by public clients, not browsers.
  deviceCodeFlow: { clients: ['mobileAppsAndDesktopClients'], flows: ['deviceCodeFlow'], devices: DEVICES, apps: (apps) => [...apps], users: () => true },
  authenticationTransfer: { clients: ['mobileAppsAndDesktopClients'], flows: ['authenticationTransfer'], devices: DEVICES, apps: (apps) => [...apps], users: () => true },
  legacyAuthentication: { clients: ['exchangeActiveSync', 'other'], flows: [null], devices: [DEVICES[0]!], apps: (apps) => [...apps], users: () => true },
  // The device requirement is about devices that are not yet managed.
  compliantDevice: {
    clients: MODERN_CLIENTS,
    flows: [null],
    devices: [DEVICES[0]!, DEVICES[1]!],
    apps: (apps) => apps.filter((app) => DEVICE_REQUIREMENT_APPS.includes(app.appId)),
    users: () => true,
  },
};

// ---------------------------------------------------------------------------------------------

function appRepresentatives(policies: readonly CompiledPolicy[], servicePrincipals: readonly Graph.ServicePrincipal[]): AppRepresentative[] {
  const apps = [...BASE_APPS];
  const seen = new Set(apps.map((app) => app.appId.toLowerCase()));
  const names = new Map<string, string>();
  for (const principal of servicePrincipals) {
    if (principal.appId && principal.displayName) names.set(principal.appId.toLowerCase(), principal.displayName);
  }
  for (const policy of policies) {
    for (const entry of [...policy.applications.include, ...policy.applications.exclude]) {
      const id = entry.toLowerCase();
      if (['all', 'none', 'office365', 'microsoftadminportals'].includes(id) || seen.has(id)) continue;
      seen.add(id);
      const tableName = APP_GROUP_TABLES.Office365.members.get(id) ?? APP_GROUP_TABLES.Office365.uncertainMembers.get(id);
      apps.push({ appId: entry, displayName: names.get(id) ?? tableName ?? entry });
    }
  }
  return apps;
}

function firstAddress(cidr: string): string | undefined {
  const [address] = cidr.split('/');
  return address || undefined;
}

function locationRepresentatives(policies: readonly CompiledPolicy[], namedLocations: readonly Graph.NamedLocation[], locations: Map<string, CompiledLocation>): LocationRepresentative[] {
  const referenced = new Set<string>();
  for (const policy of policies) for (const id of [...(policy.locations?.include ?? []), ...(policy.locations?.exclude ?? [])]) referenced.add(id);
  const reps: LocationRepresentative[] = [];
  const listedCountries = new Set<string>();
  for (const named of namedLocations) {
    const id = String(named.id ?? '').toLowerCase();
    const compiled = locations.get(id);
    if (!compiled) continue;
    if (compiled.kind === 'country') for (const country of compiled.countries ?? []) listedCountries.add(country);
    if (!referenced.has(id) && !(compiled.kind === 'ip' && compiled.isTrusted)) continue;
    const raw = named as Graph.IpNamedLocation & Graph.CountryNamedLocation;
    if (compiled.kind === 'ip') {
      const cidr = (raw.ipRanges ?? []).map((range) => (range as { cidrAddress?: string }).cidrAddress).find((value) => typeof value === 'string');
      const ip = cidr ? firstAddress(cidr) : undefined;
      if (ip) reps.push({ description: `an IP address in ${compiled.displayName}`, ip });
    } else if (compiled.kind === 'country') {
      const country = [...(compiled.countries ?? [])][0];
      if (country) reps.push({ description: `${country} (in ${compiled.displayName})`, country });
    }
  }
  const outside = FALLBACK_COUNTRIES.find((country) => !listedCountries.has(country)) ?? 'ZZ';
  reps.push({ description: `${outside}, from an IP address in no named location`, country: outside, ip: '192.0.2.10' });
  reps.push({ description: 'an IP address whose country is unknown', ip: '192.0.2.20' });
  return reps;
}

interface Dimension<T> {
  value: T;
  mask: Mask;
  equivalents: T[];
}

/** Values of the grouped dimensions, and the cells of apps times locations under them. */
interface Combination {
  client: Dimension<ClientAppType>;
  platform: Dimension<Platform>;
  device: Dimension<DeviceRepresentative>;
  flow: Dimension<TransferMethod | null>;
  cells: { app: Dimension<AppRepresentative>; location: Dimension<LocationRepresentative>; mask: Mask }[];
}

/**
 * Computes, per class, the policies whose user condition matches. Include and exclude lists
 * become one bit set per group, role and user token, so a class costs one OR per token.
 * Policies with guest conditions are tested with the full user matcher.
 */
function userClassMasks(classes: readonly UserClass[], policies: readonly CompiledPolicy[], words: number): Mask[] {
  const includeAll = newMask(words);
  const include = new Map<string, Mask>();
  const exclude = new Map<string, Mask>();
  const guestPolicies: number[] = [];
  const mark = (map: Map<string, Mask>, token: string, index: number): void => {
    let mask = map.get(token);
    if (!mask) map.set(token, (mask = newMask(words)));
    setBit(mask, index);
  };
  policies.forEach((policy, index) => {
    const users = policy.users;
    if (!users || policy.workloadOnly) return;
    if (users.includeAll) setBit(includeAll, index);
    for (const id of users.includeGroups) mark(include, `g:${id}`, index);
    for (const id of users.excludeGroups) mark(exclude, `g:${id}`, index);
    for (const id of users.includeRoles) mark(include, `r:${id}`, index);
    for (const id of users.excludeRoles) mark(exclude, `r:${id}`, index);
    for (const id of users.includeUsers) mark(include, `u:${id}`, index);
    for (const id of users.excludeUsers) mark(exclude, `u:${id}`, index);
    if (users.includeGuestsKeyword || users.excludeGuestsKeyword || users.includeGuests || users.excludeGuests) guestPolicies.push(index);
  });

  return classes.map((userClass) => {
    const included = includeAll.slice();
    const excluded = newMask(words);
    for (const token of userClass.tokens) {
      const plus = include.get(token);
      if (plus) for (let i = 0; i < words; i++) included[i]! |= plus[i]!;
      const minus = exclude.get(token);
      if (minus) for (let i = 0; i < words; i++) excluded[i]! |= minus[i]!;
    }
    for (let i = 0; i < words; i++) included[i]! &= ~excluded[i]!;
    // Guest conditions can only change the result for guests and external users.
    if (userClass.externalUserType === null) return included;
    const user = { id: String(userClass.example.id).toLowerCase(), groups: userClass.groups, roles: userClass.roles, externalUserType: userClass.externalUserType };
    for (const index of guestPolicies) {
      const word = index >>> 5;
      const bit = 1 << (index & 31);
      if (matchUsers(policies[index]!, user).matched) included[word]! |= bit;
      else included[word]! &= ~bit;
    }
    return included;
  });
}

function describeUser(user: Graph.User): CounterexampleSignIn['user'] {
  return { id: String(user.id), displayName: user.displayName ?? null, userPrincipalName: user.userPrincipalName ?? null };
}

/**
 * Finds Conditional Access gaps over classes of users and representative sign-ins.
 *
 * Every condition other than users depends on one dimension of the sign-in. So the analysis
 * computes, per dimension value, the bit set of policies whose condition matches, and merges
 * values with equal sets. It then tests each user class against each combination with word-wide ANDs.
 * Time follows the number of user classes and distinct combinations, not the number of users.
 */
export function analyzeCoverage(snapshot: Snapshot, options: CoverageOptions): CoverageReport {
  // The checks and the report section request the same analysis. A snapshot does not change
  // once loaded, so the report is cached per snapshot and option set.
  const key = `${options.maxGapsPerKind ?? ''}|${options.breakGlassAccounts.map((value) => value.toLowerCase()).sort().join('|')}`;
  let cached = reportCache.get(snapshot);
  if (!cached) reportCache.set(snapshot, (cached = new Map()));
  const known = cached.get(key);
  if (known) return known;
  const report = computeCoverage(snapshot, options);
  cached.set(key, report);
  return report;
}

const reportCache = new WeakMap<Snapshot, Map<string, CoverageReport>>();

function computeCoverage(snapshot: Snapshot, options: CoverageOptions): CoverageReport {
  const resources = snapshot.resources;
  const allPolicies = resources.conditionalAccessPolicies ?? [];
  // Disabled policies never apply, so they are left out of the bit sets.
  const policies = allPolicies.map(compilePolicy).filter((policy) => policy.state === 'enabled' || policy.state === 'enabledForReportingButNotEnforced');
  const facts: EvaluationFacts = {
    directory: snapshot.directory,
    namedLocations: resources.namedLocations ?? [],
    authenticationStrengths: resources.authenticationStrengthPolicies ?? [],
    appGroups: APP_GROUP_TABLES,
  };
  const limitations: string[] = [];
  if (!resources.users) limitations.push('Users were not collected, so no sign-in could be tested and the absence of gaps proves nothing.');
  if (policies.some((policy) => (policy.users?.includeGroups.length ?? 0) + (policy.users?.excludeGroups.length ?? 0) > 0) && !resources.groupMembers) {
    limitations.push('Group members were not collected, so users in included or excluded groups cannot be told apart from other users.');
  }
  if (policies.some((policy) => (policy.users?.includeRoles.length ?? 0) + (policy.users?.excludeRoles.length ?? 0) > 0) && !resources.roleAssignments) {
    limitations.push('Role assignments were not collected, so role-targeted policies cannot be matched to users.');
  }

  const words = Math.max(1, Math.ceil(policies.length / 32));
  const maskFor = (test: (policy: CompiledPolicy) => boolean): Mask => {
    const mask = newMask(words);
    policies.forEach((policy, index) => {
      if (test(policy)) setBit(mask, index);
    });
    return mask;
  };

  const compiledLocations = compileLocations(facts.namedLocations);
  const apps = appRepresentatives(policies, resources.servicePrincipals ?? []);
  const locationReps = locationRepresentatives(policies, facts.namedLocations, compiledLocations);

  const appMask = (app: AppRepresentative) => maskFor((policy) => matchTarget(policy, { kind: 'app', appId: app.appId, ...(app.memberOf ? { memberOf: app.memberOf } : {}) }, facts.appGroups).matched);
  const locationDims = dedupe(locationReps, (rep) => {
    const resolved = resolveSignInLocation(compiledLocations, rep.ip, rep.country);
    return maskFor((policy) => matchLocation(policy, resolved, compiledLocations).matched);
  });
  const platformDims = dedupe(PLATFORM_VALUES, (platform) => maskFor((policy) => matchPlatform(policy, platform).matched));
  // Risk levels are "none" in every representative sign-in: risk-scoped policies do not count.
  const riskMask = maskFor(
    (policy) => matchLevels(policy.signInRisk, 'none').matched && matchLevels(policy.userRisk, 'none').matched && matchLevels(policy.insiderRisk, 'none').matched,
  );

  const userClasses = buildUserClasses(resources.users ?? [], snapshot.directory, policies, options.breakGlassAccounts);
  const classes = userClasses.classes;
  const classMasks = userClassMasks(classes, policies, words);

  const enabledMask = maskFor((policy) => policy.state === 'enabled');
  const reportOnlyMask = maskFor((policy) => policy.state !== 'enabled');
  const maxPerKind = options.maxGapsPerKind ?? 100;

  const gaps: CoverageGap[] = [];
  const breakGlassGaps: CoverageGap[] = [];
  const truncated: Partial<Record<GapKind, number>> = {};
  const affected = Object.fromEntries(GAP_KINDS.map((kind) => [kind, { users: 0, classes: 0 }])) as CoverageReport['affected'];

  for (const kind of GAP_KINDS) {
    const scope = SCOPES[kind];
    const closes = maskFor((policy) => policyCloses(kind, policy, facts));
    // A policy for other client app types or other flows could never close this kind of gap
    // (a legacy-authentication block does not stop device code flow), so it is not named.
    const closingPolicies = policies.filter((policy, index) => hasBit(closes, index) && policyAddressesKind(kind, policy, facts));
    const disabledClosing = allPolicies.map(compilePolicy).filter((policy) => policy.state === 'disabled' && policyAddressesKind(kind, policy, facts));
    const enabledCloses = closes.slice();
    andInto(enabledCloses, enabledMask);
    const reportOnlyCloses = closes.slice();
    andInto(reportOnlyCloses, reportOnlyMask);

    const appDims: Dimension<AppRepresentative>[] = dedupe(scope.apps(apps), appMask);
    const clientDims = dedupe(scope.clients, (client) => maskFor((policy) => matchClientApp(policy, client).matched));
    const deviceDims = dedupe(scope.devices, (device) => maskFor((policy) => matchDevice(policy, device.device).matched));
    const flowDims = dedupe(scope.flows, (flow) => maskFor((policy) => matchFlow(policy, flow ?? undefined).matched));

    // Grouped dimensions (client, platform, device, flow) first; apps and locations are listed per group.
    const combinations: Combination[] = [];
    for (const client of clientDims) {
      for (const platform of platformDims) {
        for (const device of deviceDims) {
          for (const flow of flowDims) {
            const base = riskMask.slice();
            andInto(base, client.mask);
            andInto(base, platform.mask);
            andInto(base, device.mask);
            andInto(base, flow.mask);
            const cells: Combination['cells'] = [];
            for (const app of appDims) {
              for (const location of locationDims) {
                const mask = base.slice();
                andInto(mask, app.mask);
                andInto(mask, location.mask);
                cells.push({ app, location, mask });
              }
            }
            combinations.push({ client, platform, device, flow, cells });
          }
        }
      }
    }

    // Per enforcing, closing policy: the cells in which it applies, as a bit set over all cells.
    const allCells = combinations.flatMap((combination, combinationIndex) => combination.cells.map((cell) => ({ cell, combinationIndex })));
    const cellWords = Math.max(1, Math.ceil(allCells.length / 32));
    const cellsOfPolicy: (Mask | undefined)[] = [];
    policies.forEach((_policy, index) => {
      if (!hasBit(enabledCloses, index)) return;
      const cells = newMask(cellWords);
      allCells.forEach((entry, cellIndex) => {
        if (hasBit(entry.cell.mask, index)) setBit(cells, cellIndex);
      });
      cellsOfPolicy[index] = cells;
    });
    const allCovered = newMask(cellWords);
    for (let cellIndex = 0; cellIndex < allCells.length; cellIndex++) setBit(allCovered, cellIndex);
    // Policies covering the most cells come first, so most sets are found complete after a few.
    const closingOrder = cellsOfPolicy
      .map((cells, index) => ({ index, size: cells ? cells.reduce((sum, word) => sum + popcount(word), 0) : 0 }))
      .filter((entry) => entry.size > 0)
      .sort((left, right) => right.size - left.size)
      .map((entry) => entry.index);
    const failingCells = (applying: Mask): { combination: Combination; failing: Combination['cells'] }[] => {
      const covered = newMask(cellWords);
      let complete = false;
      for (const index of closingOrder) {
        if (!hasBit(applying, index)) continue;
        const cells = cellsOfPolicy[index]!;
        complete = true;
        for (let i = 0; i < cellWords; i++) {
          covered[i]! |= cells[i]!;
          if (covered[i] !== allCovered[i]) complete = false;
        }
        if (complete) return [];
      }
      const byCombination = new Map<number, Combination['cells']>();
      for (let cellIndex = 0; cellIndex < allCells.length; cellIndex++) {
        if (hasBit(covered, cellIndex)) continue;
        const { cell, combinationIndex } = allCells[cellIndex]!;
        const list = byCombination.get(combinationIndex);
        if (list) list.push(cell);
        else byCombination.set(combinationIndex, [cell]);
      }
      return [...byCombination].map(([combinationIndex, failing]) => ({ combination: combinations[combinationIndex]!, failing }));
    };

    // Classes to which the same enforcing policies apply fail in the same cells, so the cells
    // are tested once per distinct set of those policies.
    const failingBySet = new Map<string, { combination: Combination; failing: Combination['cells'] }[]>();
    let gapsOfKind = 0;
    classes.forEach((userClass, classIndex) => {
      if (!scope.users(userClass)) return;
      const userMask = classMasks[classIndex]!;
      const applying = userMask.slice();
      andInto(applying, enabledCloses);
      const setKey = maskKey(applying);
      let failures = failingBySet.get(setKey);
      if (!failures) {
        failures = failingCells(applying);
        failingBySet.set(setKey, failures);
      }
      if (failures.length > 0 && !userClass.breakGlass) {
        affected[kind].users += userClass.size;
        affected[kind].classes += 1;
      }
      for (const { combination, failing } of failures) {
        if (gapsOfKind >= maxPerKind) {
          truncated[kind] = (truncated[kind] ?? 0) + 1;
          continue;
        }
        gapsOfKind++;
        const first = failing[0]!;
        const example: CounterexampleSignIn = {
          user: describeUser(userClass.example),
          app: first.app.value,
          clientAppType: combination.client.value,
          platform: combination.platform.value,
          location: first.location.value,
          flow: combination.flow.value,
          device: combination.device.value,
        };
        const gap = explainGap(kind, example, userClass, closingPolicies, disabledClosing, facts);
        // Report-only policies that close every failing cell of the gap, the counterexample
        // included: one that closes only some cells (a country block for the sign-ins from
        // abroad) would leave the reported gap open if it were enabled.
        const closing = reportOnlyCloses.slice();
        andInto(closing, userMask);
        for (const cell of failing) for (let i = 0; i < words; i++) closing[i]! &= cell.mask[i]!;
        const wouldClose = new Map<string, { id: string; displayName: string }>();
        policies.forEach((policy, index) => {
          if (hasBit(closing, index)) wouldClose.set(policy.id, { id: policy.id, displayName: policy.displayName });
        });
        const full: CoverageGap = {
          ...gap,
          key: `${kind}:${userClass.example.id}:${example.clientAppType}:${example.platform}:${example.device.description}:${example.flow ?? 'none'}`,
          apps: uniqueBy(failing.flatMap((cell) => cell.app.equivalents), (app) => app.appId),
          locations: uniqueBy(failing.flatMap((cell) => cell.location.equivalents), (location) => location.description),
          equivalentPlatforms: combination.platform.equivalents.filter((platform) => platform !== example.platform),
          equivalentClientAppTypes: combination.client.equivalents.filter((client) => client !== example.clientAppType),
          equivalentDevices: combination.device.equivalents.filter((device) => device !== example.device).map((device) => device.description),
          reportOnlyWouldClose: [...wouldClose.values()],
        };
        (userClass.breakGlass ? breakGlassGaps : gaps).push(full);
      }
    });
  }

  return {
    usersAnalysed: userClasses.usersAnalysed,
    disabledUsersSkipped: userClasses.disabledUsersSkipped,
    userClasses: classes.length,
    policiesAnalysed: policies.length,
    gaps,
    breakGlassGaps,
    limitations,
    truncated,
    affected,
    appGroupTablesAsOf: { Office365: APP_GROUP_TABLES.Office365.asOf, MicrosoftAdminPortals: APP_GROUP_TABLES.MicrosoftAdminPortals.asOf },
  };
}

function uniqueBy<T>(values: T[], keyOf: (value: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const value of values) if (!seen.has(keyOf(value))) seen.set(keyOf(value), value);
  return [...seen.values()];
}

export function counterexampleContext(example: CounterexampleSignIn, userClass: Pick<UserClass, 'groups' | 'roles' | 'externalUserType'>): SignInContext {
  const context: SignInContext = {
    user: { id: example.user.id, groups: userClass.groups, roles: userClass.roles, externalUserType: userClass.externalUserType },
    target: { kind: 'app', appId: example.app.appId, ...(example.app.memberOf ? { memberOf: example.app.memberOf } : {}) },
    clientAppType: example.clientAppType,
    platform: example.platform,
    device: example.device.device,
  };
  if (example.location.ip) context.ip = example.location.ip;
  if (example.location.country) context.country = example.location.country;
  if (example.flow) context.flow = example.flow;
  return context;
}

/** Runs the full evaluator on the counterexample to say why each closing policy did not apply. */
function explainGap(
  kind: GapKind,
  example: CounterexampleSignIn,
  userClass: UserClass,
  closing: readonly CompiledPolicy[],
  disabledClosing: readonly CompiledPolicy[],
  facts: EvaluationFacts,
): Omit<CoverageGap, 'key' | 'apps' | 'locations' | 'equivalentPlatforms' | 'equivalentClientAppTypes' | 'equivalentDevices' | 'reportOnlyWouldClose'> {
  const evaluation = evaluatePolicies(closing.map((policy) => policy.source), facts, counterexampleContext(example, userClass));
  const byId = new Map(evaluation.policies.map((result) => [result.id, result]));
  const candidates: CandidatePolicy[] = [];
  closing.forEach((policy) => {
    const result = byId.get(policy.id);
    if (result) candidates.push({ id: result.id, displayName: result.displayName, state: result.state, applies: result.applies, reasons: result.reasons });
  });
  // Disabled policies that would close the gap are named too: enabling them is a fix.
  for (const policy of disabledClosing) {
    candidates.push({ id: policy.id, displayName: policy.displayName, state: policy.state, applies: false, reasons: ['policyNotEnabled'] });
  }
  const candidateIds = new Set(candidates.map((candidate) => candidate.id));
  return {
    kind,
    example,
    classSize: userClass.size,
    sampleUserIds: userClass.sampleIds,
    candidates,
    breakGlass: userClass.breakGlass,
    uncertain: evaluation.uncertain.filter((entry) => candidateIds.has(entry.policyId)),
  };
}
