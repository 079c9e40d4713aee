/**
 * In-memory tenant snapshots for table-driven tests. A test lists only the resources it is
 * about; every other resource is `notCollected`, exactly as the loader reports a missing file.
 *
 *   const snapshot = makeSnapshot({
 *     users: [alice, user({ displayName: 'Bob', userType: 'Guest' })],
 *     conditionalAccessPolicies: [policy({ state: 'enabledForReportingButNotEnforced' })],
 *   }, { statuses: { signIns: { status: 'unlicensed', license: 'Entra ID P1' } } });
 */
import { createHash } from 'node:crypto';

import type * as Graph from '@microsoft/microsoft-graph-types';

import { RESOURCE_NAMES, SINGLETON_RESOURCES, type ResourceName, type ResourceStatus } from '../../src/snapshot/resources.js';
import { createSnapshot } from '../../src/snapshot/snapshot.js';
import type { DirectoryObjectRef, Snapshot, SnapshotManifest, SnapshotResources } from '../../src/snapshot/types.js';

export interface MakeSnapshotOptions {
  /** Status per resource; it wins over the presence of data (a `forbidden` resource is dropped). */
  statuses?: Partial<Record<ResourceName, ResourceStatus>>;
  /** Status of single fields, keyed `resource.field`, e.g. `users.signInActivity`. */
  fields?: Record<string, ResourceStatus>;
  tenantId?: string;
  tenantName?: string;
  /** Collection time; PIM schedule instances are judged active at this time. Default: now. */
  collectedAt?: string;
  /** Sign-in log files; when given, `signIns` is `collected`. */
  signInFiles?: string[];
}

/** Collections a `collected` status without data becomes (an empty list means "the tenant has none"). */
const EMPTY_COLLECTION: Partial<Record<ResourceName, () => unknown>> = { groupMembers: () => ({}) };

/**
 * Builds a Snapshot from fragments. Resources given are `collected` unless `statuses` sets
 * another status; resources absent are `notCollected`, except that a `collected` status without
 * data gives an empty collection. A non-collected status removes the data, keeping the
 * invariant that a resource is present exactly when it is collected.
 */
export function makeSnapshot(resources: Partial<SnapshotResources>, options: MakeSnapshotOptions = {}): Snapshot {
  const loaded: Record<string, unknown> = {};
  const statuses: Partial<Record<ResourceName, ResourceStatus>> = {};

  for (const name of RESOURCE_NAMES) {
    if (name === 'signIns') continue;
    const given = (resources as Record<string, unknown>)[name];
    const status = options.statuses?.[name] ?? (given !== undefined ? { status: 'collected' } : undefined);
    if (!status) continue;
    statuses[name] = status;
    if (status.status !== 'collected') continue;
    if (given !== undefined) loaded[name] = given;
    else if (EMPTY_COLLECTION[name]) loaded[name] = EMPTY_COLLECTION[name]!();
    else if (SINGLETON_RESOURCES.has(name)) {
      throw new Error(`makeSnapshot: ${name} is marked collected but no object was given`);
    } else loaded[name] = [];
  }

  const signInStatus = options.statuses?.signIns ?? (options.signInFiles ? { status: 'collected' as const } : undefined);
  if (signInStatus) statuses.signIns = signInStatus;

  const manifest: SnapshotManifest = {
    schemaVersion: 1,
    tenantId: options.tenantId ?? '00000000-0000-4000-8000-00000000c0de',
    tenantName: options.tenantName ?? 'Contoso',
    collectedAt: options.collectedAt ?? new Date().toISOString(),
    toolVersion: 'test',
    resources: statuses,
    fields: options.fields ?? {},
  };
  return createSnapshot({
    dir: '/nonexistent/test-snapshot',
    manifest,
    resources: loaded as Partial<SnapshotResources>,
    signInFiles: signInStatus?.status === 'collected' ? (options.signInFiles ?? []) : [],
  });
}

/** Derives a stable GUID-shaped id from a name, so fixtures need not spell out ids. */
export function idFor(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Builds a member user; `id` and `userPrincipalName` derive from `displayName` when not given. */
export function user(overrides: Partial<Graph.User> = {}): Graph.User {
  const displayName = overrides.displayName ?? 'Test User';
  const mailNickname = displayName.toLowerCase().replace(/[^a-z0-9]+/g, '.');
  return {
    id: idFor(`user:${overrides.userPrincipalName ?? displayName}`),
    displayName,
    userPrincipalName: `${mailNickname}@contoso.onmicrosoft.com`,
    userType: 'Member',
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    ...overrides,
  };
}

/** Builds a security group; `id` derives from `displayName` when not given. */
export function group(overrides: Partial<Graph.Group> = {}): Graph.Group {
  const displayName = overrides.displayName ?? 'Test Group';
  return {
    id: idFor(`group:${displayName}`),
    displayName,
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
    isAssignableToRole: false,
    ...overrides,
  };
}

/** Direct members as `/groups/{id}/members` returns them, for the `groupMembers` resource. */
export function members(...objects: Array<Graph.User | Graph.Group>): DirectoryObjectRef[] {
  return objects.map((object) => {
    const isUser = 'userPrincipalName' in object || 'userType' in object;
    const ref: DirectoryObjectRef = {
      '@odata.type': isUser ? '#microsoft.graph.user' : '#microsoft.graph.group',
      id: object.id ?? '',
      displayName: object.displayName ?? null,
    };
    if (isUser) ref.userPrincipalName = (object as Graph.User).userPrincipalName ?? null;
    return ref;
  });
}

/** Builds an active, permanent, tenant-wide role assignment of a role template id. */
export function roleAssignment(principalId: string, roleTemplateId: string, overrides: Partial<Graph.UnifiedRoleAssignment> = {}): Graph.UnifiedRoleAssignment {
  return {
    id: idFor(`assignment:${principalId}:${roleTemplateId}`),
    principalId,
    roleDefinitionId: roleTemplateId,
    directoryScopeId: '/',
    ...overrides,
  };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : T[K] extends object | null | undefined ? DeepPartial<T[K]> | null : T[K] };

/**
 * Builds an enabled Conditional Access policy requiring MFA for all users, all resources and all
 * client apps. Overrides are merged deeply into objects; arrays and null replace the default,
 * e.g. `policy({ conditions: { users: { excludeGroups: [id] } } })` keeps `includeUsers: ['All']`.
 */
export function policy(overrides: DeepPartial<Graph.ConditionalAccessPolicy> = {}): Graph.ConditionalAccessPolicy {
  const displayName = overrides.displayName ?? 'Require MFA for all users';
  const base: Graph.ConditionalAccessPolicy = {
    id: idFor(`policy:${displayName}`),
    displayName,
    state: 'enabled',
    conditions: {
      users: {
        includeUsers: ['All'],
        excludeUsers: [],
        includeGroups: [],
        excludeGroups: [],
        includeRoles: [],
        excludeRoles: [],
      },
      applications: {
        includeApplications: ['All'],
        excludeApplications: [],
        includeUserActions: [],
      },
      clientAppTypes: ['all'],
      platforms: null,
      locations: null,
      signInRiskLevels: [],
      userRiskLevels: [],
    },
    grantControls: {
      operator: 'OR',
      builtInControls: ['mfa'],
      customAuthenticationFactors: [],
      termsOfUse: [],
    },
    sessionControls: null,
  };
  return deepMerge(base, overrides) as Graph.ConditionalAccessPolicy;
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = deepMerge(base[key], value);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
