import type { ResourceName } from '../snapshot/resources.js';
import type { GraphVersion } from './client.js';

/** Graph endpoint, page size and permission of one snapshot resource. */
export interface ResourceEndpoint {
  resource: Exclude<ResourceName, 'groupMembers' | 'signIns'>;
  version: GraphVersion;
  path: string;
  /** Largest `$top` Graph accepts here; undefined when the endpoint takes no `$top`. */
  maxTop?: number;
  /** Properties requested with `$select`; undefined reads Graph's default set. */
  select?: readonly string[];
  singleton?: boolean;
  /** Least-privileged application permission that allows the read. */
  permission: string;
  /** Licence without which Graph refuses the read, named in the manifest as `unlicensed`. */
  license?: string;
  /** Date property for `--days`, for logs filtered by date. */
  dateFilter?: string;
}

/**
 * User properties the checks read. `signInActivity` is requested separately so that a tenant
 * without Entra ID P1, or an app without AuditLog.Read.All, still yields its users.
 */
export const USER_SELECT = [
  'id',
  'displayName',
  'userPrincipalName',
  'mail',
  'jobTitle',
  'department',
  'accountEnabled',
  'userType',
  'creationType',
  'externalUserState',
  'createdDateTime',
  'onPremisesSyncEnabled',
  'onPremisesImmutableId',
  'assignedLicenses',
  'assignedPlans',
  'usageLocation',
  'signInSessionsValidFromDateTime',
] as const;

/** Graph caps `$top` on /users at 999, but at 500 once `signInActivity` is selected. */
export const USERS_MAX_TOP_WITH_SIGN_IN_ACTIVITY = 500;

export const MEMBER_SELECT = ['id', 'displayName', 'userPrincipalName'] as const;
export const MEMBERS_MAX_TOP = 999;

/** Sign-in logs: beta, because v1.0 lacks non-interactive sign-ins and fields such as `authenticationProtocol`. */
export const SIGN_INS = {
  version: 'beta' as GraphVersion,
  path: '/auditLogs/signIns',
  maxTop: 1000,
  permission: 'AuditLog.Read.All',
  license: 'Entra ID P1',
  eventTypes: ['interactiveUser', 'nonInteractiveUser'] as const,
};

export const GROUP_MEMBERS_PERMISSION = 'GroupMember.Read.All';

/**
 * Endpoints, versions, page sizes and permissions from Microsoft Graph's API reference
 * (https://learn.microsoft.com/graph/api/overview) and its paging limits
 * (https://learn.microsoft.com/graph/paging).
 *
 * NOTE: endpoints without `maxTop` are read at Graph's default page size, because their largest
 * `$top` is not documented. A tenant with many of those objects costs extra pages.
 */
export const RESOURCE_ENDPOINTS: readonly ResourceEndpoint[] = [
  { resource: 'organization', version: 'v1.0', path: '/organization', permission: 'Organization.Read.All' },
  { resource: 'subscribedSkus', version: 'v1.0', path: '/subscribedSkus', permission: 'LicenseAssignment.Read.All' },
  { resource: 'conditionalAccessPolicies', version: 'v1.0', path: '/identity/conditionalAccess/policies', permission: 'Policy.Read.All', license: 'Entra ID P1' },
  { resource: 'namedLocations', version: 'v1.0', path: '/identity/conditionalAccess/namedLocations', permission: 'Policy.Read.All' },
  { resource: 'authenticationStrengthPolicies', version: 'v1.0', path: '/policies/authenticationStrengthPolicies', permission: 'Policy.Read.AuthenticationMethod' },
  { resource: 'authenticationContextClassReferences', version: 'v1.0', path: '/identity/conditionalAccess/authenticationContextClassReferences', permission: 'AuthenticationContext.Read.All' },
  { resource: 'users', version: 'v1.0', path: '/users', maxTop: 999, select: USER_SELECT, permission: 'User.Read.All' },
  { resource: 'groups', version: 'v1.0', path: '/groups', maxTop: 999, permission: 'GroupMember.Read.All' },
  { resource: 'roleDefinitions', version: 'v1.0', path: '/roleManagement/directory/roleDefinitions', permission: 'RoleManagement.Read.Directory' },
  { resource: 'roleAssignments', version: 'v1.0', path: '/roleManagement/directory/roleAssignments', permission: 'RoleManagement.Read.Directory' },
  { resource: 'roleAssignmentScheduleInstances', version: 'v1.0', path: '/roleManagement/directory/roleAssignmentScheduleInstances', permission: 'RoleAssignmentSchedule.Read.Directory', license: 'Entra ID P2' },
  { resource: 'roleEligibilitySchedules', version: 'v1.0', path: '/roleManagement/directory/roleEligibilitySchedules', permission: 'RoleEligibilitySchedule.Read.Directory', license: 'Entra ID P2' },
  { resource: 'userRegistrationDetails', version: 'v1.0', path: '/reports/authenticationMethods/userRegistrationDetails', permission: 'AuditLog.Read.All', license: 'Entra ID P1' },
  { resource: 'authenticationMethodsPolicy', version: 'v1.0', path: '/policies/authenticationMethodsPolicy', singleton: true, permission: 'Policy.Read.AuthenticationMethod' },
  { resource: 'authorizationPolicy', version: 'v1.0', path: '/policies/authorizationPolicy', singleton: true, permission: 'Policy.Read.All' },
  { resource: 'identitySecurityDefaultsEnforcementPolicy', version: 'v1.0', path: '/policies/identitySecurityDefaultsEnforcementPolicy', singleton: true, permission: 'Policy.Read.All' },
  { resource: 'riskyUsers', version: 'v1.0', path: '/identityProtection/riskyUsers', permission: 'IdentityRiskyUser.Read.All', license: 'Entra ID P2' },
  { resource: 'riskDetections', version: 'v1.0', path: '/identityProtection/riskDetections', permission: 'IdentityRiskEvent.Read.All', license: 'Entra ID P2' },
  { resource: 'devices', version: 'v1.0', path: '/devices', maxTop: 999, permission: 'Device.Read.All' },
  { resource: 'managedDevices', version: 'v1.0', path: '/deviceManagement/managedDevices', permission: 'DeviceManagementManagedDevices.Read.All', license: 'Microsoft Intune' },
  { resource: 'servicePrincipals', version: 'v1.0', path: '/servicePrincipals', maxTop: 999, permission: 'Application.Read.All' },
  { resource: 'oauth2PermissionGrants', version: 'v1.0', path: '/oauth2PermissionGrants', permission: 'Directory.Read.All' },
  { resource: 'directoryAudits', version: 'v1.0', path: '/auditLogs/directoryAudits', maxTop: 1000, permission: 'AuditLog.Read.All', dateFilter: 'activityDateTime' },
];

export function endpointOf(resource: ResourceName): ResourceEndpoint | undefined {
  return RESOURCE_ENDPOINTS.find((endpoint) => endpoint.resource === resource);
}
