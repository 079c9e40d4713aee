/**
 * Names of the resources a snapshot may hold. Each is stored as `<name>.json` or as a
 * folder `<name>/` of JSON files, except `signIns`, which is always a folder of Graph JSON
 * or NDJSON files. The names follow Graph's collection names so exports keep their meaning.
 */
export const RESOURCE_NAMES = [
  'organization',
  'subscribedSkus',
  'conditionalAccessPolicies',
  'namedLocations',
  'authenticationStrengthPolicies',
  'authenticationContextClassReferences',
  'users',
  'groups',
  'groupMembers',
  'roleDefinitions',
  'roleAssignments',
  'roleAssignmentScheduleInstances',
  'roleEligibilitySchedules',
  'userRegistrationDetails',
  'authenticationMethodsPolicy',
  'authorizationPolicy',
  'identitySecurityDefaultsEnforcementPolicy',
  'riskyUsers',
  'riskDetections',
  'devices',
  'managedDevices',
  'servicePrincipals',
  'oauth2PermissionGrants',
  'directoryAudits',
  'signIns',
] as const;

export type ResourceName = (typeof RESOURCE_NAMES)[number];

/** Resources that Graph returns as one object rather than a collection. */
export const SINGLETON_RESOURCES: ReadonlySet<ResourceName> = new Set([
  'authenticationMethodsPolicy',
  'authorizationPolicy',
  'identitySecurityDefaultsEnforcementPolicy',
  'groupMembers',
]);

export const RESOURCE_STATUSES = ['collected', 'forbidden', 'unlicensed', 'failed', 'notCollected'] as const;
export type ResourceStatusKind = (typeof RESOURCE_STATUSES)[number];

/**
 * Collection status of one resource or one field of a resource, as recorded in manifest.json.
 * An empty collected list means the tenant has none; any other status means the data is unknown.
 */
export interface ResourceStatus {
  status: ResourceStatusKind;
  /** For `forbidden`: the Graph application permission that was missing, e.g. `AuditLog.Read.All`. */
  permission?: string;
  /** For `unlicensed`: the SKU or feature the tenant lacks, e.g. `Entra ID P1`. */
  license?: string;
  /** For `failed` (and `forbidden`/`unlicensed` when known): Graph's error code and message. */
  error?: { httpStatus?: number; code?: string; message?: string };
  /** Graph's `request-id` of the failing request, for a support case with Microsoft. */
  requestId?: string;
  /** Number of items written, for collected collections. */
  count?: number;
  /** For sign-ins: the period covered. */
  from?: string;
  to?: string;
}
