import { z } from 'zod';

import { RESOURCE_STATUSES } from './resources.js';
import type { LoadedResourceName } from './types.js';

/**
 * Zod schemas of the Graph properties the checks read. Every object is loose, so properties
 * Graph adds later pass through untouched. Enums are validated as plain strings because Graph
 * adds members over time (`unknownFutureValue` and beyond). Flag enums such as
 * `conditions.authenticationFlows.transferMethods` or `guestOrExternalUserTypes` are one
 * comma-separated string in Graph's JSON, e.g. `"deviceCodeFlow,authenticationTransfer"`.
 * Dates stay strings: real exports carry offsets, 7 fractional digits and sentinels such as
 * `0001-01-01T08:00:00Z`, and the checks parse them where they need them.
 */

const str = z.string().nullish();
const strings = z.array(z.string()).nullish();
const bool = z.boolean().nullish();
const num = z.number().nullish();
const id = z.string();
const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
const opt = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape).nullish();

/** A directory object as `/groups/{id}/members` or an `$expand=principal` returns it. */
export const directoryObjectRefSchema = loose({
  '@odata.type': str,
  id,
  displayName: str,
  userPrincipalName: str,
});

const filterSchema = opt({ mode: str, rule: str });
const guestsOrExternalUsersSchema = opt({
  guestOrExternalUserTypes: str,
  externalTenants: opt({ membershipKind: str, members: strings }),
});

export const conditionalAccessPolicySchema = loose({
  id,
  displayName: str,
  state: z.string(),
  conditions: opt({
    users: opt({
      includeUsers: strings,
      excludeUsers: strings,
      includeGroups: strings,
      excludeGroups: strings,
      includeRoles: strings,
      excludeRoles: strings,
      includeGuestsOrExternalUsers: guestsOrExternalUsersSchema,
      excludeGuestsOrExternalUsers: guestsOrExternalUsersSchema,
    }),
    applications: opt({
      includeApplications: strings,
      excludeApplications: strings,
      includeUserActions: strings,
      includeAuthenticationContextClassReferences: strings,
      applicationFilter: filterSchema,
    }),
    clientApplications: opt({ includeServicePrincipals: strings, excludeServicePrincipals: strings, servicePrincipalFilter: filterSchema }),
    clientAppTypes: strings,
    platforms: opt({ includePlatforms: strings, excludePlatforms: strings }),
    locations: opt({ includeLocations: strings, excludeLocations: strings }),
    devices: opt({ includeDevices: strings, excludeDevices: strings, deviceFilter: filterSchema }),
    signInRiskLevels: strings,
    userRiskLevels: strings,
    servicePrincipalRiskLevels: strings,
    insiderRiskLevels: str,
    authenticationFlows: opt({ transferMethods: str }),
  }),
  grantControls: opt({
    operator: str,
    builtInControls: strings,
    customAuthenticationFactors: strings,
    termsOfUse: strings,
    authenticationStrength: opt({ id: str, displayName: str, policyType: str, allowedCombinations: strings }),
  }),
  sessionControls: opt({
    signInFrequency: opt({ isEnabled: bool, type: str, value: num, frequencyInterval: str, authenticationType: str }),
    persistentBrowser: opt({ isEnabled: bool, mode: str }),
    applicationEnforcedRestrictions: opt({ isEnabled: bool }),
    cloudAppSecurity: opt({ isEnabled: bool, cloudAppSecurityType: str }),
    continuousAccessEvaluation: opt({ mode: str }),
    secureSignInSession: opt({ isEnabled: bool }),
    disableResilienceDefaults: bool,
  }),
});

const namedLocationSchema = loose({
  '@odata.type': str,
  id,
  displayName: str,
  isTrusted: bool,
  ipRanges: z.array(loose({ '@odata.type': str, cidrAddress: str })).nullish(),
  countriesAndRegions: strings,
  includeUnknownCountriesAndRegions: bool,
  countryLookupMethod: str,
});

const authenticationStrengthPolicySchema = loose({
  id,
  displayName: str,
  policyType: str,
  requirementsSatisfied: str,
  allowedCombinations: strings,
});

const userSchema = loose({
  id,
  displayName: str,
  userPrincipalName: str,
  userType: str,
  accountEnabled: bool,
  onPremisesSyncEnabled: bool,
  createdDateTime: str,
  signInActivity: opt({
    lastSignInDateTime: str,
    lastNonInteractiveSignInDateTime: str,
    lastSuccessfulSignInDateTime: str,
  }),
});

const groupSchema = loose({
  id,
  displayName: str,
  securityEnabled: bool,
  mailEnabled: bool,
  groupTypes: strings,
  isAssignableToRole: bool,
  membershipRule: str,
  onPremisesSyncEnabled: bool,
});

const roleScope = {
  id,
  principalId: z.string(),
  roleDefinitionId: z.string(),
  directoryScopeId: str,
  appScopeId: str,
  principal: directoryObjectRefSchema.partial({ id: true }).nullish(),
};

const authenticationMethodsPolicySchema = loose({
  id: str,
  policyVersion: str,
  registrationEnforcement: opt({}),
  authenticationMethodConfigurations: z
    .array(
      loose({
        '@odata.type': str,
        id,
        state: str,
        includeTargets: z.array(loose({ targetType: str, id: str })).nullish(),
        excludeTargets: z.array(loose({ targetType: str, id: str })).nullish(),
      }),
    )
    .nullish(),
});

/** Schema of one item of each collection, or of the one object of each singleton. */
export const RESOURCE_SCHEMAS: Record<Exclude<LoadedResourceName, 'groupMembers'>, z.ZodType> = {
  organization: loose({ id, displayName: str, verifiedDomains: z.array(loose({ name: str, isDefault: bool, isInitial: bool })).nullish() }),
  subscribedSkus: loose({
    id: str,
    skuId: str,
    skuPartNumber: str,
    capabilityStatus: str,
    appliesTo: str,
    consumedUnits: num,
    prepaidUnits: opt({ enabled: num, suspended: num, warning: num, lockedOut: num }),
    servicePlans: z.array(loose({ servicePlanId: str, servicePlanName: str, provisioningStatus: str, appliesTo: str })).nullish(),
  }),
  conditionalAccessPolicies: conditionalAccessPolicySchema,
  namedLocations: namedLocationSchema,
  authenticationStrengthPolicies: authenticationStrengthPolicySchema,
  authenticationContextClassReferences: loose({ id, displayName: str, isAvailable: bool }),
  users: userSchema,
  groups: groupSchema,
  roleDefinitions: loose({ id, displayName: str, templateId: str, isBuiltIn: bool, isEnabled: bool }),
  roleAssignments: loose(roleScope),
  roleAssignmentScheduleInstances: loose({ ...roleScope, assignmentType: str, memberType: str, startDateTime: str, endDateTime: str }),
  roleEligibilitySchedules: loose({
    ...roleScope,
    memberType: str,
    status: str,
    scheduleInfo: opt({ startDateTime: str, expiration: opt({ type: str, endDateTime: str, duration: str }) }),
  }),
  userRegistrationDetails: loose({
    id,
    userPrincipalName: str,
    userDisplayName: str,
    userType: str,
    isAdmin: bool,
    isMfaCapable: bool,
    isMfaRegistered: bool,
    isPasswordlessCapable: bool,
    isSsprRegistered: bool,
    methodsRegistered: strings,
    systemPreferredAuthenticationMethods: strings,
    userPreferredMethodForSecondaryAuthentication: str,
  }),
  authenticationMethodsPolicy: authenticationMethodsPolicySchema,
  authorizationPolicy: loose({
    id: str,
    allowInvitesFrom: str,
    blockMsolPowerShell: bool,
    allowedToUseSSPR: bool,
    guestUserRoleId: str,
    defaultUserRolePermissions: opt({
      allowedToCreateApps: bool,
      allowedToCreateSecurityGroups: bool,
      allowedToReadOtherUsers: bool,
      permissionGrantPoliciesAssigned: strings,
    }),
  }),
  identitySecurityDefaultsEnforcementPolicy: loose({ id: str, isEnabled: bool }),
  riskyUsers: loose({
    id,
    userPrincipalName: str,
    userDisplayName: str,
    riskLevel: str,
    riskState: str,
    riskDetail: str,
    riskLastUpdatedDateTime: str,
    isDeleted: bool,
    isProcessing: bool,
  }),
  riskDetections: loose({
    id,
    userId: str,
    userPrincipalName: str,
    riskEventType: str,
    riskLevel: str,
    riskState: str,
    detectedDateTime: str,
    ipAddress: str,
    activity: str,
    source: str,
    additionalInfo: str,
  }),
  devices: loose({
    id,
    deviceId: str,
    displayName: str,
    operatingSystem: str,
    isCompliant: bool,
    isManaged: bool,
    trustType: str,
    accountEnabled: bool,
    approximateLastSignInDateTime: str,
  }),
  managedDevices: loose({
    id,
    azureADDeviceId: str,
    deviceName: str,
    complianceState: str,
    managementAgent: str,
    operatingSystem: str,
    userId: str,
    userPrincipalName: str,
    lastSyncDateTime: str,
  }),
  servicePrincipals: loose({
    id,
    appId: str,
    displayName: str,
    servicePrincipalType: str,
    accountEnabled: bool,
    appOwnerOrganizationId: str,
  }),
  oauth2PermissionGrants: loose({ id, clientId: str, consentType: str, principalId: str, resourceId: str, scope: str }),
  directoryAudits: loose({
    id,
    activityDateTime: str,
    activityDisplayName: str,
    category: str,
    result: str,
    initiatedBy: opt({}),
    targetResources: z.array(loose({ id: str, displayName: str, type: str })).nullish(),
  }),
};

/** The direct members of one group, as one entry of `groupMembers`. */
export const groupMemberListSchema = z.array(directoryObjectRefSchema);

const resourceStatusSchema = z.looseObject({
  status: z.enum(RESOURCE_STATUSES),
  permission: str,
  license: str,
  error: opt({ httpStatus: num, code: str, message: str }),
  requestId: str,
  count: num,
  from: str,
  to: str,
});

/**
 * manifest.json. Only `resources` is needed; `schemaVersion` defaults to 1 so a hand-written
 * manifest may leave it out. Statuses are a closed list because the checks decide on them.
 */
export const manifestSchema = z.looseObject({
  schemaVersion: z.literal(1).optional(),
  tenantId: str,
  tenantName: str,
  collectedAt: str,
  toolVersion: str,
  resources: z.record(z.string(), resourceStatusSchema).optional(),
  fields: z.record(z.string(), resourceStatusSchema).optional(),
});
