import type * as Graph from '@microsoft/microsoft-graph-types';

import type { ResourceName, ResourceStatus } from './resources.js';

/** A directory object as `/groups/{id}/members` returns it: users and groups carry `@odata.type`. */
export interface DirectoryObjectRef {
  '@odata.type'?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
}

/**
 * In-memory shape of each resource after loading. Collections are arrays of Graph's own
 * objects (unknown properties kept); singletons are one object.
 */
export interface SnapshotResources {
  organization: Graph.Organization[];
  subscribedSkus: Graph.SubscribedSku[];
  conditionalAccessPolicies: Graph.ConditionalAccessPolicy[];
  namedLocations: Graph.NamedLocation[];
  authenticationStrengthPolicies: Graph.AuthenticationStrengthPolicy[];
  authenticationContextClassReferences: Graph.AuthenticationContextClassReference[];
  users: Graph.User[];
  groups: Graph.Group[];
  /** Group id -> its direct members. Transitive membership is in `Snapshot.directory`. */
  groupMembers: Record<string, DirectoryObjectRef[]>;
  roleDefinitions: Graph.UnifiedRoleDefinition[];
  roleAssignments: Graph.UnifiedRoleAssignment[];
  roleAssignmentScheduleInstances: Graph.UnifiedRoleAssignmentScheduleInstance[];
  roleEligibilitySchedules: Graph.UnifiedRoleEligibilitySchedule[];
  userRegistrationDetails: Graph.UserRegistrationDetails[];
  authenticationMethodsPolicy: Graph.AuthenticationMethodsPolicy;
  authorizationPolicy: Graph.AuthorizationPolicy;
  identitySecurityDefaultsEnforcementPolicy: Graph.IdentitySecurityDefaultsEnforcementPolicy;
  riskyUsers: Graph.RiskyUser[];
  riskDetections: Graph.RiskDetection[];
  devices: Graph.Device[];
  managedDevices: Graph.ManagedDevice[];
  servicePrincipals: Graph.ServicePrincipal[];
  oauth2PermissionGrants: Graph.OAuth2PermissionGrant[];
  directoryAudits: Graph.DirectoryAudit[];
}

export type LoadedResourceName = keyof SnapshotResources;

/** A non-fatal problem found while loading, shown in the report and on stderr. */
export interface LoadWarning {
  file: string;
  jsonPath?: string;
  message: string;
}

export interface SnapshotManifest {
  schemaVersion: 1;
  tenantId: string | null;
  tenantName: string | null;
  collectedAt: string | null;
  toolVersion: string | null;
  /** Status per resource; resources absent here are `notCollected`. */
  resources: Partial<Record<ResourceName, ResourceStatus>>;
  /** Status of single fields, keyed `resource.field`, e.g. `users.signInActivity`. */
  fields: Record<string, ResourceStatus>;
}

/**
 * Directory facts the checks and the Conditional Access evaluator ask about, derived once
 * from users, groups, groupMembers, roleAssignments and roleAssignmentScheduleInstances.
 */
export interface DirectoryFacts {
  /** Every group id a user or group belongs to, directly or through nested groups. */
  transitiveGroupsOf(principalId: string): ReadonlySet<string>;
  /** Every user id in a group, through nested groups. */
  transitiveUsersOf(groupId: string): ReadonlySet<string>;
  /**
   * Role template ids the principal holds through an active, tenant-wide (`directoryScopeId` "/")
   * assignment, including assignments to a role-assignable group it belongs to. PIM-eligible and
   * administrative-unit-scoped assignments are excluded, as Conditional Access excludes them.
   * Template ids are returned in lower case, as Microsoft publishes them.
   */
  activeTenantRolesOf(principalId: string): ReadonlySet<string>;
  /**
   * Every principal with an active tenant-wide assignment of the role template id. An assignment
   * to a group lists the group id and the ids of its transitive user members.
   */
  activeHoldersOf(roleTemplateId: string): ReadonlySet<string>;
  userById(id: string): Graph.User | undefined;
  /** Finds a user by object id or, case-insensitively, by userPrincipalName. */
  findUser(idOrUpn: string): Graph.User | undefined;
  groupById(id: string): Graph.Group | undefined;
}

export interface Snapshot {
  /** Absolute path of the snapshot folder. */
  dir: string;
  manifest: SnapshotManifest;
  /** Loaded resources; a resource is present exactly when its status is `collected`. */
  resources: Partial<SnapshotResources>;
  /** Source files of each resource, for evidence paths. */
  sources: Partial<Record<ResourceName, string[]>>;
  /** Sign-in log files under `signIns/`, read by the streaming readers on demand. */
  signInFiles: string[];
  warnings: LoadWarning[];
  directory: DirectoryFacts;
  /** Status of a resource, or of one of its fields when `field` is given and recorded. */
  statusOf(resource: ResourceName, field?: string): ResourceStatus;
}
