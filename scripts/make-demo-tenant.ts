/**
 * Writes examples/demo-tenant/, the snapshot `tokengap assess --demo` reads: a fictional
 * 25-person accounting firm with the gaps a token-theft assessment should find. The output is
 * deterministic (ids come from hashes of names, times from fixed dates), so regenerating it
 * changes nothing unless this script changes. examples/README.md describes the tenant.
 *
 *   node --import tsx scripts/make-demo-tenant.ts [OUT_DIR]
 *
 * Every IP address is from the documentation ranges (RFC 5737) and every domain ends in
 * `.example` or is a fictional onmicrosoft.com name, so the demo contains no real personal data.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { PHISHING_RESISTANT_ADMIN_ROLES, ROLE, ROLE_NAMES } from '../src/entra/roles.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(repoRoot, 'examples', 'demo-tenant'));

const GRAPH_V1 = 'https://graph.microsoft.com/v1.0/$metadata';
const COLLECTED_AT = '2026-11-20T08:00:00Z';
const SIGN_IN_FROM = '2026-11-06T00:00:00Z';
const SIGN_IN_TO = '2026-11-20T07:59:59Z';
const DOMAIN = 'harborpoint.example';
const INITIAL_DOMAIN = 'harborpointcpa.onmicrosoft.com';

/** Derives a GUID from a name, so ids are stable across runs. */
function guid(name: string): string {
  const hex = createHash('sha256').update(`tokengap-demo:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const TENANT_ID = guid('tenant');

/** Small seeded generator (mulberry32) for the background sign-in traffic. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// People

interface Person {
  key: string;
  displayName: string;
  upn: string;
  jobTitle: string | null;
  department: string | null;
  userType: 'Member' | 'Guest';
  synced: boolean;
  enabled: boolean;
  methods: string[];
  lastSignIn: string | null;
  /** Sends background sign-ins (people only, not resource or service accounts). */
  active: boolean;
  homeIp: string;
}

function person(
  key: string,
  displayName: string,
  local: string,
  jobTitle: string | null,
  department: string | null,
  methods: string[],
  options: Partial<Pick<Person, 'userType' | 'synced' | 'enabled' | 'lastSignIn' | 'active' | 'upn' | 'homeIp'>> = {},
): Person {
  return {
    key,
    displayName,
    upn: options.upn ?? `${local}@${DOMAIN}`,
    jobTitle,
    department,
    userType: options.userType ?? 'Member',
    synced: options.synced ?? false,
    enabled: options.enabled ?? true,
    methods,
    lastSignIn: options.lastSignIn ?? '2026-11-19T16:42:10Z',
    active: options.active ?? true,
    homeIp: options.homeIp ?? '198.51.100.10',
  };
}

const PEOPLE: Person[] = [
  // Administrators: two Global Administrators on push and SMS only, one admin with a FIDO2 key.
  person('dana', 'Dana Whitfield', 'dana.whitfield', 'IT Manager', 'Operations', ['microsoftAuthenticatorPush', 'softwareOneTimePasscode'], { homeIp: '198.51.100.21' }),
  person('marcus', 'Marcus Oyelaran', 'marcus.oyelaran', 'Managing Partner', 'Partners', ['mobilePhone'], { synced: true, homeIp: '198.51.100.22' }),
  person('priya', 'Priya Natarajan', 'priya.natarajan', 'Office Manager', 'Operations', ['microsoftAuthenticatorPush'], { synced: true, homeIp: '198.51.100.23' }),
  person('tom', 'Tom Becker', 'tom.becker', 'IT Support Technician', 'Operations', ['mobilePhone', 'email'], { homeIp: '198.51.100.24' }),
  person('elena', 'Elena Ruiz', 'elena.ruiz', 'Security Lead', 'Operations', ['fido2SecurityKey', 'microsoftAuthenticatorPush'], { homeIp: '198.51.100.25' }),
  person('breakglass', 'Emergency Access 01', 'bg-access01', null, null, ['fido2SecurityKey'], {
    upn: `bg-access01@${INITIAL_DOMAIN}`,
    lastSignIn: '2026-06-02T10:15:00Z',
    active: false,
  }),
  person('jordan', 'Jordan Lee (Northstar IT)', 'jordan.lee', 'MSP Engineer', null, ['microsoftAuthenticatorPush'], {
    userType: 'Guest',
    upn: `jordan.lee_northstar-it.example#EXT#@${INITIAL_DOMAIN}`,
    homeIp: '198.51.100.60',
  }),
  // Staff.
  person('sarah', 'Sarah Kim', 'sarah.kim', 'Accountant', 'Finance', ['microsoftAuthenticatorPush'], { synced: true, homeIp: '198.51.100.31' }),
  person('luis', 'Luis Fernandez', 'luis.fernandez', 'Accountant', 'Finance', ['microsoftAuthenticatorPush'], { synced: true, homeIp: '198.51.100.32' }),
  person('amira', 'Amira Haddad', 'amira.haddad', 'Senior Accountant', 'Finance', ['microsoftAuthenticatorPush', 'mobilePhone'], { synced: true, homeIp: '198.51.100.33' }),
  person('kevin', 'Kevin Osei', 'kevin.osei', 'Field Auditor', 'Audit', ['microsoftAuthenticatorPush'], { synced: true, homeIp: '198.51.100.34' }),
  person('rachel', 'Rachel Goldberg', 'rachel.goldberg', 'Payroll Specialist', 'Finance', ['mobilePhone'], { synced: true, homeIp: '198.51.100.35' }),
  person('ben', 'Ben Carter', 'ben.carter', 'Tax Associate', 'Tax', ['microsoftAuthenticatorPush'], { synced: true, homeIp: '198.51.100.36' }),
  person('hannah', 'Hannah Weiss', 'hannah.weiss', 'Receptionist', 'Operations', [], { homeIp: '198.51.100.37' }),
  person('omar', 'Omar Siddiqui', 'omar.siddiqui', 'Field Auditor', 'Audit', ['microsoftAuthenticatorPush'], { synced: true, homeIp: '198.51.100.38' }),
  person('grace', 'Grace Thompson', 'grace.thompson', 'HR Coordinator', 'Operations', ['microsoftAuthenticatorPush'], { homeIp: '198.51.100.39' }),
  person('victor', 'Victor Nguyen', 'victor.nguyen', 'Partner', 'Partners', ['microsoftAuthenticatorPush', 'mobilePhone'], { synced: true, homeIp: '198.51.100.40' }),
  person('chloe', 'Chloe Martin', 'chloe.martin', 'Marketing Coordinator', 'Operations', ['microsoftAuthenticatorPush'], { homeIp: '198.51.100.41' }),
  person('daniel', 'Daniel Brooks', 'daniel.brooks', 'Accountant', 'Finance', ['microsoftAuthenticatorPush'], { synced: true, homeIp: '198.51.100.42' }),
  person('fatima', 'Fatima Zahra', 'fatima.zahra', 'Tax Manager', 'Tax', ['microsoftAuthenticatorPush', 'softwareOneTimePasscode'], { synced: true, homeIp: '198.51.100.43' }),
  person('isaac', 'Isaac Morgan', 'isaac.morgan', 'Audit Intern', 'Audit', ['mobilePhone'], {
    enabled: false,
    lastSignIn: '2026-08-29T17:05:00Z',
    active: false,
  }),
  // Resource and service accounts.
  person('boardroom', 'Boardroom Teams Room', 'boardroom', null, null, [], { active: false, lastSignIn: '2026-11-19T07:00:04Z' }),
  person('trainingroom', 'Training Room Teams Room', 'training.room', null, null, [], { active: false, lastSignIn: '2026-11-19T07:00:09Z' }),
  person('scanner', 'Scan to Email', 'scanner', null, null, [], { active: false, lastSignIn: '2026-11-19T15:31:00Z' }),
  person('sync', 'On-Premises Directory Synchronization Service Account', 'Sync_HPDC01_4f1a2b3c4d5e', null, null, [], {
    upn: `Sync_HPDC01_4f1a2b3c4d5e@${INITIAL_DOMAIN}`,
    active: false,
    lastSignIn: '2026-11-20T07:30:00Z',
  }),
];

const byKey = new Map(PEOPLE.map((entry) => [entry.key, entry]));
function who(key: string): Person {
  const found = byKey.get(key);
  if (!found) throw new Error(`demo tenant: no person ${key}`);
  return found;
}
const userId = (key: string) => guid(`user:${key}`);

function userJson(entry: Person) {
  return {
    id: userId(entry.key),
    displayName: entry.displayName,
    userPrincipalName: entry.upn,
    mail: entry.userType === 'Guest' ? 'jordan.lee@northstar-it.example' : entry.upn.endsWith(DOMAIN) ? entry.upn : null,
    jobTitle: entry.jobTitle,
    department: entry.department,
    accountEnabled: entry.enabled,
    userType: entry.userType,
    creationType: entry.userType === 'Guest' ? 'Invitation' : null,
    externalUserState: entry.userType === 'Guest' ? 'Accepted' : null,
    onPremisesSyncEnabled: entry.synced ? true : null,
    onPremisesImmutableId: entry.synced ? Buffer.from(`demo:${entry.key}`).toString('base64') : null,
    createdDateTime: entry.key === 'breakglass' ? '2024-02-12T09:00:00Z' : '2023-05-08T14:20:00Z',
    signInActivity: entry.lastSignIn
      ? {
          lastSignInDateTime: entry.lastSignIn,
          lastSignInRequestId: guid(`last-sign-in:${entry.key}`),
          lastNonInteractiveSignInDateTime: entry.lastSignIn,
          lastNonInteractiveSignInRequestId: guid(`last-non-interactive:${entry.key}`),
          lastSuccessfulSignInDateTime: entry.lastSignIn,
          lastSuccessfulSignInRequestId: guid(`last-success:${entry.key}`),
        }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Groups (with nesting)

interface GroupSpec {
  key: string;
  displayName: string;
  description: string;
  unified?: boolean;
  members: string[];
  nested?: string[];
}

const GROUPS: GroupSpec[] = [
  { key: 'emergency', displayName: 'CA-Exclude-EmergencyAccess', description: 'Emergency access accounts excluded from every Conditional Access policy', members: ['breakglass'] },
  { key: 'devicecode-exclusions', displayName: 'CA-Exclude-DeviceCode', description: 'Devices and teams that sign in with a code on another device', members: [], nested: ['meeting-rooms', 'field-tablets'] },
  { key: 'meeting-rooms', displayName: 'Meeting Room Devices', description: 'Teams Rooms resource accounts', members: ['boardroom', 'trainingroom'] },
  { key: 'field-tablets', displayName: 'Field Audit Tablets', description: 'Field auditors using shared tablets at client sites', members: ['kevin', 'omar'] },
  { key: 'legacy-exceptions', displayName: 'Legacy Auth Exceptions', description: 'Accounts that still need SMTP AUTH (multifunction printer)', members: ['scanner'] },
  { key: 'service-accounts', displayName: 'Service Accounts', description: 'Non-interactive accounts excluded from MFA', members: ['scanner', 'sync'] },
  { key: 'it-admins', displayName: 'IT Admins', description: 'Internal IT staff', members: ['dana', 'tom', 'elena'] },
  { key: 'finance', displayName: 'Finance', description: 'Finance department', members: ['sarah', 'luis', 'amira', 'daniel'], nested: ['payroll'] },
  { key: 'payroll', displayName: 'Payroll', description: 'Payroll team', members: ['rachel'] },
  {
    key: 'all-staff',
    displayName: 'All Staff',
    description: 'Everyone at Harbor Point',
    unified: true,
    members: PEOPLE.filter((entry) => entry.userType === 'Member' && entry.active).map((entry) => entry.key),
  },
];
const groupId = (key: string) => guid(`group:${key}`);
const groupSpec = new Map(GROUPS.map((group) => [group.key, group]));

function groupJson(group: GroupSpec) {
  return {
    id: groupId(group.key),
    displayName: group.displayName,
    description: group.description,
    mailEnabled: group.unified === true,
    mailNickname: group.displayName.replace(/[^A-Za-z0-9]/g, ''),
    securityEnabled: true,
    groupTypes: group.unified ? ['Unified'] : [],
    isAssignableToRole: null,
    onPremisesSyncEnabled: null,
    createdDateTime: '2024-03-04T10:00:00Z',
  };
}

function groupMembersJson() {
  const members: Record<string, unknown[]> = {};
  for (const group of GROUPS) {
    members[groupId(group.key)] = [
      ...group.members.map((key) => ({
        '@odata.type': '#microsoft.graph.user',
        id: userId(key),
        displayName: who(key).displayName,
        userPrincipalName: who(key).upn,
      })),
      ...(group.nested ?? []).map((key) => ({
        '@odata.type': '#microsoft.graph.group',
        id: groupId(key),
        displayName: groupSpec.get(key)!.displayName,
      })),
    ];
  }
  return members;
}

// ---------------------------------------------------------------------------------------------
// Roles: every assignment is permanent (no PIM: the tenant has Entra ID P1 only)

const ROLE_ASSIGNMENTS: [string, string][] = [
  ['dana', ROLE.globalAdministrator],
  ['marcus', ROLE.globalAdministrator],
  ['breakglass', ROLE.globalAdministrator],
  ['priya', ROLE.exchangeAdministrator],
  ['tom', ROLE.userAdministrator],
  ['tom', ROLE.helpdeskAdministrator],
  ['elena', ROLE.securityAdministrator],
  ['elena', ROLE.conditionalAccessAdministrator],
  ['jordan', ROLE.helpdeskAdministrator],
  ['sync', ROLE.directorySynchronizationAccounts],
];

const roleAssignmentId = (key: string, role: string) => `${Buffer.from(guid(`assignment:${role}`)).toString('base64url').slice(0, 32)}-${userId(key).slice(0, 8)}`;

function roleDefinitionsJson() {
  const used = new Set([...ROLE_ASSIGNMENTS.map(([, role]) => role), ...PHISHING_RESISTANT_ADMIN_ROLES]);
  return [...used].map((id) => ({
    id,
    templateId: id,
    displayName: ROLE_NAMES[id] ?? id,
    isBuiltIn: true,
    isEnabled: true,
  }));
}

function roleAssignmentsJson() {
  return ROLE_ASSIGNMENTS.map(([key, role]) => ({
    id: roleAssignmentId(key, role),
    principalId: userId(key),
    roleDefinitionId: role,
    directoryScopeId: '/',
  }));
}

function roleAssignmentScheduleInstancesJson() {
  return ROLE_ASSIGNMENTS.map(([key, role]) => ({
    id: roleAssignmentId(key, role),
    principalId: userId(key),
    roleDefinitionId: role,
    directoryScopeId: '/',
    appScopeId: null,
    startDateTime: key === 'jordan' ? '2025-09-15T13:00:00Z' : '2024-02-12T09:00:00Z',
    endDateTime: null,
    assignmentType: 'Assigned',
    memberType: 'Direct',
    roleAssignmentOriginId: roleAssignmentId(key, role),
    roleAssignmentScheduleId: roleAssignmentId(key, role),
  }));
}

// ---------------------------------------------------------------------------------------------
// Conditional Access

const NAMED_LOCATIONS = {
  office: guid('location:office'),
  countries: guid('location:countries'),
};

function namedLocationsJson() {
  return [
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      id: NAMED_LOCATIONS.office,
      displayName: 'Head office (Boston)',
      createdDateTime: '2024-03-04T10:05:00Z',
      modifiedDateTime: '2024-03-04T10:05:00Z',
      isTrusted: true,
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/28' }],
    },
    {
      '@odata.type': '#microsoft.graph.countryNamedLocation',
      id: NAMED_LOCATIONS.countries,
      displayName: 'Allowed countries',
      createdDateTime: '2024-03-04T10:06:00Z',
      modifiedDateTime: '2025-01-20T15:30:00Z',
      countriesAndRegions: ['US', 'CA'],
      includeUnknownCountriesAndRegions: false,
      countryLookupMethod: 'clientIpAddress',
    },
  ];
}

const POLICY = {
  mfaAll: guid('policy:mfa-all'),
  blockDeviceCode: guid('policy:block-device-code'),
  adminPhishingResistant: guid('policy:admin-phishing-resistant'),
  blockLegacy: guid('policy:block-legacy'),
  compliantDevice: guid('policy:compliant-device'),
  countryBlock: guid('policy:country-block'),
};

const PHISHING_RESISTANT_STRENGTH = {
  id: '00000000-0000-0000-0000-000000000004',
  displayName: 'Phishing-resistant MFA',
  description: 'Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key',
  policyType: 'builtIn',
  requirementsSatisfied: 'mfa',
  allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'],
};

function baseConditions(overrides: Record<string, unknown>) {
  return {
    userRiskLevels: [],
    signInRiskLevels: [],
    clientAppTypes: ['all'],
    platforms: null,
    locations: null,
    devices: null,
    clientApplications: null,
    authenticationFlows: null,
    applications: { includeApplications: ['All'], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
    users: {
      includeUsers: ['All'],
      excludeUsers: [],
      includeGroups: [],
      excludeGroups: [groupId('emergency')],
      includeRoles: [],
      excludeRoles: [],
      includeGuestsOrExternalUsers: null,
      excludeGuestsOrExternalUsers: null,
    },
    ...overrides,
  };
}

function policy(id: string, displayName: string, state: string, created: string, conditions: Record<string, unknown>, grantControls: unknown, sessionControls: unknown = null) {
  return { id, templateId: null, displayName, createdDateTime: created, modifiedDateTime: created, state, sessionControls, conditions, grantControls };
}

function usersExcluding(...groups: string[]) {
  return {
    includeUsers: ['All'],
    excludeUsers: [],
    includeGroups: [],
    excludeGroups: groups.map(groupId),
    includeRoles: [],
    excludeRoles: [],
    includeGuestsOrExternalUsers: null,
    excludeGuestsOrExternalUsers: null,
  };
}

function conditionalAccessPoliciesJson() {
  return [
    policy(
      POLICY.mfaAll,
      'CA01 - Require MFA for all users',
      'enabled',
      '2024-03-04T11:00:00Z',
      baseConditions({ users: usersExcluding('emergency', 'service-accounts') }),
      { operator: 'OR', builtInControls: ['mfa'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    ),
    policy(
      POLICY.blockDeviceCode,
      'CA02 - Block device code flow',
      'enabled',
      '2025-02-18T09:30:00Z',
      baseConditions({ users: usersExcluding('emergency', 'devicecode-exclusions'), authenticationFlows: { transferMethods: 'deviceCodeFlow' } }),
      { operator: 'OR', builtInControls: ['block'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    ),
    policy(
      POLICY.adminPhishingResistant,
      'CA03 - Require phishing-resistant MFA for admins',
      'enabledForReportingButNotEnforced',
      '2025-06-10T14:00:00Z',
      baseConditions({
        users: {
          includeUsers: [],
          excludeUsers: [],
          includeGroups: [],
          excludeGroups: [groupId('emergency')],
          includeRoles: [...PHISHING_RESISTANT_ADMIN_ROLES],
          excludeRoles: [],
          includeGuestsOrExternalUsers: null,
          excludeGuestsOrExternalUsers: null,
        },
      }),
      { operator: 'OR', builtInControls: [], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: PHISHING_RESISTANT_STRENGTH },
    ),
    policy(
      POLICY.blockLegacy,
      'CA04 - Block legacy authentication',
      'enabled',
      '2024-03-04T11:10:00Z',
      baseConditions({ users: usersExcluding('emergency', 'legacy-exceptions'), clientAppTypes: ['exchangeActiveSync', 'other'] }),
      { operator: 'OR', builtInControls: ['block'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    ),
    policy(
      POLICY.compliantDevice,
      'CA05 - Require compliant or hybrid joined device for Office 365',
      'disabled',
      '2025-09-01T08:45:00Z',
      baseConditions({
        users: usersExcluding('emergency', 'meeting-rooms'),
        applications: { includeApplications: ['Office365'], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [], applicationFilter: null },
      }),
      { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    ),
    policy(
      POLICY.countryBlock,
      'CA06 - Block access from outside allowed countries',
      'enabledForReportingButNotEnforced',
      '2025-01-20T15:35:00Z',
      baseConditions({ locations: { includeLocations: ['All'], excludeLocations: [NAMED_LOCATIONS.countries] } }),
      { operator: 'OR', builtInControls: ['block'], customAuthenticationFactors: [], termsOfUse: [], authenticationStrength: null },
    ),
  ];
}

function authenticationStrengthPoliciesJson() {
  const builtIn = (id: string, displayName: string, description: string, allowedCombinations: string[]) => ({
    id,
    createdDateTime: '2022-09-30T10:59:01Z',
    modifiedDateTime: '2022-09-30T10:59:01Z',
    displayName,
    description,
    policyType: 'builtIn',
    requirementsSatisfied: 'mfa',
    allowedCombinations,
  });
  return [
    builtIn('00000000-0000-0000-0000-000000000002', 'Multifactor authentication', 'Combinations of methods that satisfy strong authentication, such as a password + SMS', [
      'windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush', 'temporaryAccessPassOneTime', 'temporaryAccessPassMultiUse',
      'password,microsoftAuthenticatorPush', 'password,softwareOath', 'password,hardwareOath', 'password,sms', 'password,voice',
      'federatedMultiFactor', 'microsoftAuthenticatorPush,federatedSingleFactor', 'softwareOath,federatedSingleFactor',
      'hardwareOath,federatedSingleFactor', 'sms,federatedSingleFactor', 'voice,federatedSingleFactor',
    ]),
    builtIn('00000000-0000-0000-0000-000000000003', 'Passwordless MFA', 'Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator', [
      'windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor', 'deviceBasedPush',
    ]),
    builtIn('00000000-0000-0000-0000-000000000004', PHISHING_RESISTANT_STRENGTH.displayName, PHISHING_RESISTANT_STRENGTH.description, PHISHING_RESISTANT_STRENGTH.allowedCombinations),
  ];
}

// ---------------------------------------------------------------------------------------------
// Tenant settings and licenses

function organizationJson() {
  return [
    {
      id: TENANT_ID,
      displayName: 'Harbor Point Accounting',
      tenantType: 'AAD',
      countryLetterCode: 'US',
      city: 'Boston',
      state: 'MA',
      onPremisesSyncEnabled: true,
      onPremisesLastSyncDateTime: '2026-11-20T07:30:00Z',
      createdDateTime: '2019-04-15T12:00:00Z',
      verifiedDomains: [
        { name: DOMAIN, type: 'Managed', isDefault: true, isInitial: false, capabilities: 'Email, OfficeCommunicationsOnline' },
        { name: INITIAL_DOMAIN, type: 'Managed', isDefault: false, isInitial: true, capabilities: 'Email, OfficeCommunicationsOnline' },
      ],
    },
  ];
}

function plan(servicePlanName: string, servicePlanId: string, appliesTo = 'User') {
  return { servicePlanId, servicePlanName, provisioningStatus: 'Success', appliesTo };
}

function subscribedSkusJson() {
  return [
    {
      // Microsoft 365 Business Standard: Exchange, SharePoint, Teams and the Office apps, no Entra ID P1.
      id: `${TENANT_ID}_f245ecc8-75af-4f8e-b61f-27d8114de5f3`,
      accountId: TENANT_ID,
      accountName: 'Harbor Point Accounting',
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: 21,
      skuId: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3',
      skuPartNumber: 'O365_BUSINESS_PREMIUM',
      subscriptionIds: [guid('subscription:business-standard')],
      prepaidUnits: { enabled: 25, suspended: 0, warning: 0, lockedOut: 0 },
      servicePlans: [
        plan('EXCHANGE_S_STANDARD', '9aaf7827-d63c-4b61-89c3-182f06f82e5c'),
        plan('SHAREPOINTSTANDARD', 'c7699d2e-19aa-44de-8edf-1736da088ca1'),
        plan('TEAMS1', '57ff2da0-773e-42df-b2af-ffb7a2317929'),
        plan('OFFICE_BUSINESS', '094e7854-93fc-4d55-b2c0-3ab5369ebdc1'),
      ],
    },
    {
      // Enterprise Mobility + Security E3: Entra ID P1 and Intune, but not Entra ID P2.
      id: `${TENANT_ID}_efccb6f7-5641-4e0e-bd10-b4976e1bf68e`,
      accountId: TENANT_ID,
      accountName: 'Harbor Point Accounting',
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: 21,
      skuId: 'efccb6f7-5641-4e0e-bd10-b4976e1bf68e',
      skuPartNumber: 'EMS',
      subscriptionIds: [guid('subscription:ems-e3')],
      prepaidUnits: { enabled: 25, suspended: 0, warning: 0, lockedOut: 0 },
      servicePlans: [
        plan('AAD_PREMIUM', '41781fb2-bc02-4b7c-bd55-b576c07bb09d'),
        plan('MFA_PREMIUM', '8a256a2b-b617-496d-b51b-e76466e88db0'),
        plan('INTUNE_A', 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5'),
        plan('RMS_S_ENTERPRISE', 'bea4c11e-220a-4e6d-8eb8-8ea15d019f90'),
      ],
    },
  ];
}

function userRegistrationDetailsJson() {
  const adminKeys = new Set(ROLE_ASSIGNMENTS.map(([key]) => key));
  // userPreferredMethodForSecondaryAuthentication has no FIDO2 value; the system-preferred list does.
  const preferred = (methods: string[]) => {
    if (methods.includes('microsoftAuthenticatorPush')) return 'push';
    if (methods.includes('mobilePhone')) return 'sms';
    return 'none';
  };
  const systemPreferred = (methods: string[]) => (methods.includes('fido2SecurityKey') ? 'fido2' : preferred(methods));
  return PEOPLE.filter((entry) => entry.key !== 'sync').map((entry) => {
    const mfa = entry.methods.some((method) => method !== 'email');
    return {
      id: userId(entry.key),
      userPrincipalName: entry.upn,
      userDisplayName: entry.displayName,
      userType: entry.userType === 'Guest' ? 'guest' : 'member',
      isAdmin: adminKeys.has(entry.key),
      isSsprRegistered: mfa,
      isSsprEnabled: true,
      isSsprCapable: mfa,
      isMfaRegistered: mfa,
      isMfaCapable: mfa,
      isPasswordlessCapable: entry.methods.includes('fido2SecurityKey'),
      isSystemPreferredAuthenticationMethodEnabled: true,
      lastUpdatedDateTime: '2026-11-19T23:10:00Z',
      methodsRegistered: entry.methods,
      systemPreferredAuthenticationMethods: mfa ? [systemPreferred(entry.methods)] : [],
      userPreferredMethodForSecondaryAuthentication: mfa ? preferred(entry.methods) : 'none',
    };
  });
}

function authenticationMethodsPolicyJson() {
  const allUsers = [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false }];
  return {
    '@odata.context': `${GRAPH_V1}#policies/authenticationMethodsPolicy`,
    id: 'authenticationMethodsPolicy',
    displayName: 'Authentication Methods Policy',
    description: 'The tenant-wide policy that controls which authentication methods are allowed in the tenant.',
    lastModifiedDateTime: '2025-06-10T13:40:00Z',
    policyVersion: '1.5',
    policyMigrationState: 'migrationComplete',
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 1, enforceRegistrationAfterAllowedSnoozes: true, state: 'default', excludeTargets: [], includeTargets: [{ id: 'all_users', targetType: 'group', targetedAuthenticationMethod: 'microsoftAuthenticator' }] },
    },
    authenticationMethodConfigurations: [
      { '@odata.type': '#microsoft.graph.fido2AuthenticationMethodConfiguration', id: 'Fido2', state: 'enabled', isSelfServiceRegistrationAllowed: true, isAttestationEnforced: true, excludeTargets: [], keyRestrictions: { isEnforced: false, enforcementType: 'block', aaGuids: [] }, includeTargets: [{ targetType: 'group', id: groupId('it-admins'), isRegistrationRequired: false }] },
      { '@odata.type': '#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration', id: 'MicrosoftAuthenticator', state: 'enabled', isSoftwareOathEnabled: true, excludeTargets: [], includeTargets: [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false, authenticationMode: 'any' }] },
      { '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration', id: 'Sms', state: 'enabled', excludeTargets: [], includeTargets: [{ targetType: 'group', id: 'all_users', isRegistrationRequired: false, isUsableForSignIn: false }] },
      { '@odata.type': '#microsoft.graph.voiceAuthenticationMethodConfiguration', id: 'Voice', state: 'disabled', isOfficePhoneAllowed: false, excludeTargets: [], includeTargets: allUsers },
      { '@odata.type': '#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration', id: 'TemporaryAccessPass', state: 'enabled', defaultLifetimeInMinutes: 60, defaultLength: 8, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, isUsableOnce: true, excludeTargets: [], includeTargets: [{ targetType: 'group', id: groupId('it-admins'), isRegistrationRequired: false }] },
      { '@odata.type': '#microsoft.graph.emailAuthenticationMethodConfiguration', id: 'Email', state: 'enabled', allowExternalIdToUseEmailOtp: 'default', excludeTargets: [], includeTargets: allUsers },
      { '@odata.type': '#microsoft.graph.softwareOathAuthenticationMethodConfiguration', id: 'SoftwareOath', state: 'enabled', excludeTargets: [], includeTargets: allUsers },
    ],
  };
}

function authorizationPolicyJson() {
  return {
    '@odata.context': `${GRAPH_V1}#policies/authorizationPolicy/$entity`,
    id: 'authorizationPolicy',
    displayName: 'Authorization Policy',
    description: 'Used to manage authorization related settings across the company.',
    allowInvitesFrom: 'everyone',
    allowedToSignUpEmailBasedSubscriptions: true,
    allowedToUseSSPR: true,
    allowEmailVerifiedUsersToJoinOrganization: false,
    allowUserConsentForRiskyApps: null,
    blockMsolPowerShell: false,
    guestUserRoleId: '10dae51f-b6af-4016-8d66-8c2a99b929b3',
    defaultUserRolePermissions: {
      allowedToCreateApps: true,
      allowedToCreateSecurityGroups: true,
      allowedToCreateTenants: true,
      allowedToReadBitlockerKeysForOwnedDevice: true,
      allowedToReadOtherUsers: true,
      permissionGrantPoliciesAssigned: ['ManagePermissionGrantsForSelf.microsoft-user-default-legacy'],
    },
  };
}

function securityDefaultsJson() {
  return {
    '@odata.context': `${GRAPH_V1}#policies/identitySecurityDefaultsEnforcementPolicy/$entity`,
    id: '00000000-0000-0000-0000-000000000005',
    displayName: 'Security Defaults',
    description: 'Security defaults is a set of basic identity security mechanisms recommended by Microsoft. When enabled, these recommendations will be automatically enforced in your organization.',
    isEnabled: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Devices

interface DeviceSpec {
  owner: string;
  name: string;
  os: string;
  osVersion: string;
  trustType: 'AzureAD' | 'ServerAD' | 'Workplace';
  compliant: boolean | null;
  intune: boolean;
}

const DEVICES: DeviceSpec[] = [
  { owner: 'dana', name: 'HP-LT-DANA', os: 'Windows', osVersion: '10.0.26100.2314', trustType: 'AzureAD', compliant: true, intune: true },
  { owner: 'marcus', name: 'HP-LT-MARCUS', os: 'Windows', osVersion: '10.0.22631.4460', trustType: 'ServerAD', compliant: true, intune: true },
  { owner: 'marcus', name: 'Marcus iPhone', os: 'iOS', osVersion: '18.1', trustType: 'Workplace', compliant: null, intune: false },
  { owner: 'priya', name: 'HP-DT-FRONT01', os: 'Windows', osVersion: '10.0.22631.4460', trustType: 'ServerAD', compliant: true, intune: true },
  { owner: 'tom', name: 'HP-LT-TOM', os: 'Windows', osVersion: '10.0.26100.2314', trustType: 'AzureAD', compliant: true, intune: true },
  { owner: 'elena', name: 'HP-LT-ELENA', os: 'Windows', osVersion: '10.0.26100.2314', trustType: 'AzureAD', compliant: true, intune: true },
  { owner: 'sarah', name: 'HP-DT-FIN01', os: 'Windows', osVersion: '10.0.19045.5131', trustType: 'ServerAD', compliant: false, intune: true },
  { owner: 'luis', name: 'HP-DT-FIN02', os: 'Windows', osVersion: '10.0.22631.4460', trustType: 'ServerAD', compliant: true, intune: true },
  { owner: 'amira', name: 'HP-LT-FIN03', os: 'Windows', osVersion: '10.0.22631.4460', trustType: 'ServerAD', compliant: true, intune: true },
  { owner: 'kevin', name: 'FIELD-TAB-01', os: 'Android', osVersion: '14', trustType: 'Workplace', compliant: null, intune: false },
  { owner: 'omar', name: 'FIELD-TAB-02', os: 'Android', osVersion: '14', trustType: 'Workplace', compliant: null, intune: false },
  { owner: 'victor', name: 'Victor MacBook', os: 'MacOS', osVersion: '15.1', trustType: 'Workplace', compliant: false, intune: true },
  { owner: 'fatima', name: 'HP-LT-TAX01', os: 'Windows', osVersion: '10.0.22631.4460', trustType: 'ServerAD', compliant: true, intune: true },
  { owner: 'boardroom', name: 'MTR-BOARDROOM', os: 'Android', osVersion: '12', trustType: 'Workplace', compliant: null, intune: false },
];

const deviceId = (name: string) => guid(`device-id:${name}`);

function devicesJson() {
  return DEVICES.map((device) => ({
    id: guid(`device-object:${device.name}`),
    deviceId: deviceId(device.name),
    displayName: device.name,
    operatingSystem: device.os,
    operatingSystemVersion: device.osVersion,
    trustType: device.trustType,
    accountEnabled: true,
    isCompliant: device.compliant,
    isManaged: device.intune,
    approximateLastSignInDateTime: '2026-11-19T16:00:00Z',
    registrationDateTime: '2024-05-02T09:00:00Z',
    profileType: device.trustType === 'Workplace' ? 'RegisteredDevice' : null,
    manufacturer: device.os === 'Windows' ? 'HP' : null,
    model: null,
  }));
}

function managedDevicesJson() {
  return DEVICES.filter((device) => device.intune).map((device) => ({
    id: guid(`managed-device:${device.name}`),
    deviceName: device.name,
    userId: userId(device.owner),
    userPrincipalName: who(device.owner).upn,
    userDisplayName: who(device.owner).displayName,
    azureADDeviceId: deviceId(device.name),
    operatingSystem: device.os === 'MacOS' ? 'macOS' : device.os,
    osVersion: device.osVersion,
    complianceState: device.compliant ? 'compliant' : 'noncompliant',
    managementAgent: 'mdm',
    managedDeviceOwnerType: 'company',
    deviceEnrollmentType: device.trustType === 'ServerAD' ? 'windowsCoManagement' : 'windowsAzureADJoin',
    isEncrypted: device.compliant === true,
    lastSyncDateTime: '2026-11-19T22:00:00Z',
    enrolledDateTime: '2024-05-02T09:10:00Z',
  }));
}

// ---------------------------------------------------------------------------------------------
// Sign-in logs (Graph beta shape, one JSON object per line)

const APPS = {
  officeHome: { id: '4765445b-32c6-49b0-83e6-1d93765276ca', name: 'OfficeHome' },
  office: { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office' },
  teams: { id: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', name: 'Microsoft Teams' },
  outlook: { id: '5d661950-3475-41cd-a2c3-d671a3162bc1', name: 'Microsoft Outlook' },
  exchange: { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
};
const RESOURCES = {
  exchange: { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' },
  sharepoint: { id: '00000003-0000-0ff1-ce00-000000000000', name: 'Office 365 SharePoint Online' },
  graph: { id: '00000003-0000-0000-c000-000000000000', name: 'Microsoft Graph' },
  teams: { id: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe', name: 'Microsoft Teams Services' },
};

const BOSTON = { city: 'Boston', state: 'Massachusetts', countryOrRegion: 'US', geoCoordinates: { latitude: 42.3601, longitude: -71.0589 } };
const HOME_LOCATION = { city: 'Quincy', state: 'Massachusetts', countryOrRegion: 'US', geoCoordinates: { latitude: 42.2529, longitude: -71.0023 } };
const ATTACKER_LOCATION = { city: 'Amsterdam', state: 'Noord-Holland', countryOrRegion: 'NL', geoCoordinates: { latitude: 52.3676, longitude: 4.9041 } };
const SPRAY_LOCATION = { city: 'Sao Paulo', state: 'Sao Paulo', countryOrRegion: 'BR', geoCoordinates: { latitude: -23.5505, longitude: -46.6333 } };
const OFFICE_IP = '203.0.113.10';
const ATTACKER_IP = '192.0.2.77';
const ATTACKER_ASN = 64500;

type AppliedResult = 'success' | 'failure' | 'notApplied' | 'notEnabled' | 'reportOnlySuccess' | 'reportOnlyFailure' | 'reportOnlyNotApplied';

interface SignInSpec {
  name: string;
  time: string;
  user: string;
  app: { id: string; name: string };
  resource: { id: string; name: string };
  ip: string;
  location: typeof BOSTON;
  asn: number;
  interactive: boolean;
  clientAppUsed: string;
  protocol: string;
  transferMethod: string | null;
  incomingTokenType: string;
  sessionKey: string;
  errorCode: number;
  failureReason: string | null;
  requirement: 'multiFactorAuthentication' | 'singleFactorAuthentication';
  device: { name: string | null; os: string; browser: string; trustType: string | null; compliant: boolean; managed: boolean } | null;
  userAgent: string;
  policies: Partial<Record<keyof typeof POLICY, AppliedResult>>;
  authMethod: string | null;
}

const POLICY_NAMES: Record<keyof typeof POLICY, string> = {
  mfaAll: 'CA01 - Require MFA for all users',
  blockDeviceCode: 'CA02 - Block device code flow',
  adminPhishingResistant: 'CA03 - Require phishing-resistant MFA for admins',
  blockLegacy: 'CA04 - Block legacy authentication',
  compliantDevice: 'CA05 - Require compliant or hybrid joined device for Office 365',
  countryBlock: 'CA06 - Block access from outside allowed countries',
};
const POLICY_GRANTS: Record<keyof typeof POLICY, string[]> = {
  mfaAll: ['Mfa'],
  blockDeviceCode: ['Block'],
  adminPhishingResistant: ['RequireAuthenticationStrength'],
  blockLegacy: ['Block'],
  compliantDevice: ['RequireCompliantDevice', 'RequireDomainJoinedDevice'],
  countryBlock: ['Block'],
};

/** Applied-policy results Entra would log for a sign-in, filled with the policy states' defaults. */
function appliedPolicies(spec: SignInSpec) {
  const isAdmin = ROLE_ASSIGNMENTS.some(([key, role]) => key === spec.user && PHISHING_RESISTANT_ADMIN_ROLES.includes(role));
  let adminResult: AppliedResult = 'reportOnlyNotApplied';
  if (isAdmin) adminResult = who(spec.user).methods.includes('fido2SecurityKey') ? 'reportOnlySuccess' : 'reportOnlyFailure';
  const defaults: Record<keyof typeof POLICY, AppliedResult> = {
    mfaAll: 'success',
    blockDeviceCode: 'notApplied',
    adminPhishingResistant: adminResult,
    blockLegacy: 'notApplied',
    compliantDevice: 'notEnabled',
    countryBlock: 'reportOnlyNotApplied',
  };
  return (Object.keys(POLICY) as (keyof typeof POLICY)[]).map((key) => {
    const result = spec.policies[key] ?? defaults[key];
    const enforced = result === 'success' || result === 'failure' || result === 'reportOnlySuccess' || result === 'reportOnlyFailure';
    return {
      id: POLICY[key],
      displayName: POLICY_NAMES[key],
      result,
      enforcedGrantControls: enforced ? POLICY_GRANTS[key] : [],
      enforcedSessionControls: [],
    };
  });
}

function signInJson(spec: SignInSpec) {
  const entry = who(spec.user);
  const failed = spec.errorCode !== 0;
  const enforcedFailure = appliedPolicies(spec).some((item) => item.result === 'failure');
  let additionalDetails: string | null = null;
  if (!failed && spec.requirement === 'multiFactorAuthentication') additionalDetails = 'MFA requirement satisfied by claim in the token';
  return {
    id: guid(`sign-in:${spec.name}`),
    createdDateTime: spec.time,
    userDisplayName: entry.displayName,
    userPrincipalName: entry.upn,
    userId: userId(entry.key),
    userType: entry.userType === 'Guest' ? 'guest' : 'member',
    appId: spec.app.id,
    appDisplayName: spec.app.name,
    resourceId: spec.resource.id,
    resourceDisplayName: spec.resource.name,
    ipAddress: spec.ip,
    autonomousSystemNumber: spec.asn,
    clientAppUsed: spec.clientAppUsed,
    userAgent: spec.userAgent,
    correlationId: guid(`correlation:${spec.name}`),
    conditionalAccessStatus: enforcedFailure ? 'failure' : 'success',
    isInteractive: spec.interactive,
    signInEventTypes: [spec.interactive ? 'interactiveUser' : 'nonInteractiveUser'],
    authenticationProtocol: spec.protocol,
    originalTransferMethod: spec.transferMethod ?? 'none',
    incomingTokenType: spec.incomingTokenType,
    sessionId: guid(`session:${spec.sessionKey}`),
    uniqueTokenIdentifier: Buffer.from(guid(`token:${spec.name}`)).toString('base64url').slice(0, 22),
    authenticationRequirement: spec.requirement,
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: [],
    status: {
      errorCode: spec.errorCode,
      failureReason: failed ? spec.failureReason : 'Other.',
      additionalDetails,
    },
    deviceDetail: spec.device
      ? {
          deviceId: spec.device.name ? deviceId(spec.device.name) : '',
          displayName: spec.device.name ?? '',
          operatingSystem: spec.device.os,
          browser: spec.device.browser,
          isCompliant: spec.device.compliant,
          isManaged: spec.device.managed,
          trustType: spec.device.trustType ?? '',
        }
      : { deviceId: '', displayName: '', operatingSystem: '', browser: '', isCompliant: false, isManaged: false, trustType: '' },
    location: spec.location,
    appliedConditionalAccessPolicies: appliedPolicies(spec),
    authenticationDetails: spec.authMethod
      ? [{ authenticationStepDateTime: spec.time, authenticationMethod: spec.authMethod, succeeded: !failed, authenticationStepResultDetail: failed ? spec.failureReason : 'MFA successfully completed' }]
      : [],
  };
}

const WINDOWS_EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0';

function deviceFor(key: string) {
  const device = DEVICES.find((candidate) => candidate.owner === key && candidate.os === 'Windows');
  if (!device) return null;
  return { name: device.name, os: 'Windows 10', browser: 'Edge 130.0.0', trustType: device.trustType === 'ServerAD' ? 'Hybrid Azure AD joined' : 'Azure AD joined', compliant: device.compliant === true, managed: true };
}

function methodFor(key: string): string | null {
  const methods = who(key).methods;
  if (methods.includes('microsoftAuthenticatorPush')) return 'Mobile app notification';
  if (methods.includes('mobilePhone')) return 'Text message';
  if (methods.includes('fido2SecurityKey')) return 'FIDO2 security key';
  return null;
}

function isoAt(day: Date, hour: number, minute: number, second: number): string {
  const time = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour, minute, second));
  return time.toISOString().replace('.000Z', 'Z');
}

/** Ordinary working-day traffic: a browser sign-in in the morning and token refreshes during the day. */
function backgroundSignIns(): SignInSpec[] {
  const random = seededRandom(20261120);
  const specs: SignInSpec[] = [];
  const start = new Date(SIGN_IN_FROM);
  for (let offset = 0; offset < 14; offset += 1) {
    const day = new Date(start.getTime() + offset * 86_400_000);
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    for (const entry of PEOPLE.filter((candidate) => candidate.active)) {
      const atOffice = random() < 0.7;
      const ip = atOffice ? OFFICE_IP : entry.homeIp;
      const location = atOffice ? BOSTON : HOME_LOCATION;
      const sessionKey = `${entry.key}:${offset}`;
      const hour = 12 + Math.floor(random() * 3);
      const minute = Math.floor(random() * 60);
      const common = {
        user: entry.key,
        ip,
        location,
        asn: atOffice ? 64501 : 64502,
        clientAppUsed: 'Browser',
        transferMethod: null,
        sessionKey,
        errorCode: 0,
        failureReason: null,
        requirement: 'multiFactorAuthentication' as const,
        device: deviceFor(entry.key),
        userAgent: WINDOWS_EDGE,
        policies: {},
      };
      specs.push({
        ...common,
        name: `${sessionKey}:interactive`,
        time: isoAt(day, hour, minute, Math.floor(random() * 60)),
        app: APPS.officeHome,
        resource: RESOURCES.sharepoint,
        interactive: true,
        protocol: 'none',
        incomingTokenType: 'none',
        authMethod: methodFor(entry.key),
      });
      specs.push({
        ...common,
        name: `${sessionKey}:refresh`,
        time: isoAt(day, hour + 2, minute, Math.floor(random() * 60)),
        app: random() < 0.5 ? APPS.teams : APPS.outlook,
        resource: random() < 0.5 ? RESOURCES.teams : RESOURCES.exchange,
        clientAppUsed: 'Mobile Apps and Desktop clients',
        interactive: false,
        protocol: 'none',
        incomingTokenType: 'refreshToken',
        authMethod: null,
      });
    }
  }
  return specs;
}

/** Builds the sign-ins the demo is about: device-code phishing, its refresh abroad, a blocked attempt, legacy authentication. */
function storySignIns(): SignInSpec[] {
  const base = {
    asn: 64502,
    clientAppUsed: 'Mobile Apps and Desktop clients',
    errorCode: 0,
    failureReason: null,
    requirement: 'multiFactorAuthentication' as const,
    policies: {},
  };
  const kevinDevice = { name: null, os: 'Android', browser: 'Chrome Mobile 130.0.0', trustType: null, compliant: false, managed: false };
  const specs: SignInSpec[] = [
    // A phishing email gets Ben to enter a code at microsoft.com/devicelogin, and CA02 blocks it.
    {
      ...base,
      name: 'phish:ben',
      time: '2026-11-17T13:55:30Z',
      user: 'ben',
      app: APPS.office,
      resource: RESOURCES.graph,
      ip: '198.51.100.36',
      location: HOME_LOCATION,
      interactive: true,
      protocol: 'deviceCode',
      transferMethod: 'deviceCodeFlow',
      incomingTokenType: 'none',
      sessionKey: 'phish:ben',
      errorCode: 53003,
      failureReason: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
      device: null,
      userAgent: WINDOWS_EDGE,
      policies: { blockDeviceCode: 'failure', mfaAll: 'notApplied' },
      authMethod: 'Mobile app notification',
    },
    // Kevin gets the same email; he is in Field Audit Tablets, nested in CA-Exclude-DeviceCode, so CA02 does not apply.
    {
      ...base,
      name: 'phish:kevin',
      time: '2026-11-17T14:02:11Z',
      user: 'kevin',
      app: APPS.office,
      resource: RESOURCES.graph,
      ip: '198.51.100.34',
      location: HOME_LOCATION,
      interactive: true,
      protocol: 'deviceCode',
      transferMethod: 'deviceCodeFlow',
      incomingTokenType: 'none',
      sessionKey: 'phish:kevin',
      device: kevinDevice,
      userAgent: 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
      authMethod: 'Mobile app notification',
    },
    // The attacker redeems the refresh token from a hosting network abroad: same session, device-code origin.
    ...[
      ['2026-11-17T14:09:40Z', RESOURCES.exchange],
      ['2026-11-17T14:10:02Z', RESOURCES.graph],
      ['2026-11-17T18:47:15Z', RESOURCES.sharepoint],
      ['2026-11-18T02:13:51Z', RESOURCES.exchange],
    ].map(([time, resource], index) => ({
      ...base,
      name: `phish:kevin:refresh:${index}`,
      time: time as string,
      user: 'kevin',
      app: APPS.office,
      resource: resource as { id: string; name: string },
      ip: ATTACKER_IP,
      location: ATTACKER_LOCATION,
      asn: ATTACKER_ASN,
      interactive: false,
      protocol: 'none',
      transferMethod: 'deviceCodeFlow',
      incomingTokenType: 'refreshToken',
      sessionKey: 'phish:kevin',
      device: null,
      userAgent: 'python-requests/2.32.3',
      policies: { countryBlock: 'reportOnlyFailure' as AppliedResult },
      authMethod: null,
    })),
  ];

  // The printer sends scans over SMTP AUTH every working day; CA04 excludes its group.
  for (const [index, day] of ['2026-11-10', '2026-11-12', '2026-11-14', '2026-11-17', '2026-11-19'].entries()) {
    specs.push({
      ...base,
      name: `legacy:scanner:${index}`,
      time: `${day}T15:31:00Z`,
      user: 'scanner',
      app: APPS.exchange,
      resource: RESOURCES.exchange,
      ip: OFFICE_IP,
      location: BOSTON,
      asn: 64501,
      clientAppUsed: 'Authenticated SMTP',
      interactive: true,
      protocol: 'none',
      transferMethod: null,
      incomingTokenType: 'none',
      sessionKey: `legacy:scanner:${index}`,
      requirement: 'singleFactorAuthentication',
      device: null,
      userAgent: 'BAV2ROPC',
      policies: { mfaAll: 'notApplied', blockLegacy: 'notApplied' },
      authMethod: 'Password',
    });
  }

  // A password-spray attempt over IMAP against Sarah; CA04 blocks it after the password was accepted.
  specs.push({
    ...base,
    name: 'legacy:spray:sarah',
    time: '2026-11-13T04:22:17Z',
    user: 'sarah',
    app: APPS.exchange,
    resource: RESOURCES.exchange,
    ip: '192.0.2.145',
    location: SPRAY_LOCATION,
    asn: 64503,
    clientAppUsed: 'IMAP4',
    interactive: true,
    protocol: 'none',
    transferMethod: null,
    incomingTokenType: 'none',
    sessionKey: 'legacy:spray:sarah',
    errorCode: 53003,
    failureReason: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
    requirement: 'singleFactorAuthentication',
    device: null,
    userAgent: 'BAV2ROPC',
    policies: { blockLegacy: 'failure', mfaAll: 'notApplied', countryBlock: 'reportOnlyFailure' },
    authMethod: 'Password',
  });
  return specs;
}

// ---------------------------------------------------------------------------------------------
// Writing

function page(context: string, value: unknown[]) {
  return { '@odata.context': `${GRAPH_V1}#${context}`, value };
}

async function writeJson(name: string, value: unknown): Promise<void> {
  await writeFile(join(outDir, name), `${JSON.stringify(value, null, 2)}\n`);
}

async function main(): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'signIns'), { recursive: true });

  const resources: Record<string, unknown> = {
    organization: page('organization', organizationJson()),
    subscribedSkus: page('subscribedSkus', subscribedSkusJson()),
    conditionalAccessPolicies: page('identity/conditionalAccess/policies', conditionalAccessPoliciesJson()),
    namedLocations: page('identity/conditionalAccess/namedLocations', namedLocationsJson()),
    authenticationStrengthPolicies: page('policies/authenticationStrengthPolicies', authenticationStrengthPoliciesJson()),
    authenticationContextClassReferences: page('identity/conditionalAccess/authenticationContextClassReferences', []),
    users: page('users(id,displayName,userPrincipalName,mail,jobTitle,department,accountEnabled,userType,creationType,externalUserState,onPremisesSyncEnabled,onPremisesImmutableId,createdDateTime,signInActivity)', PEOPLE.map(userJson)),
    groups: page('groups', GROUPS.map(groupJson)),
    groupMembers: groupMembersJson(),
    roleDefinitions: page('roleManagement/directory/roleDefinitions', roleDefinitionsJson()),
    roleAssignments: page('roleManagement/directory/roleAssignments', roleAssignmentsJson()),
    roleAssignmentScheduleInstances: page('roleManagement/directory/roleAssignmentScheduleInstances', roleAssignmentScheduleInstancesJson()),
    userRegistrationDetails: page('reports/authenticationMethods/userRegistrationDetails', userRegistrationDetailsJson()),
    authenticationMethodsPolicy: authenticationMethodsPolicyJson(),
    authorizationPolicy: authorizationPolicyJson(),
    identitySecurityDefaultsEnforcementPolicy: securityDefaultsJson(),
    devices: page('devices', devicesJson()),
    managedDevices: page('deviceManagement/managedDevices', managedDevicesJson()),
  };

  const statuses: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(resources)) {
    await writeJson(`${name}.json`, value);
    const list = (value as { value?: unknown[] }).value;
    statuses[name] = Array.isArray(list) ? { status: 'collected', count: list.length } : { status: 'collected' };
  }

  const signIns = [...backgroundSignIns(), ...storySignIns()].sort((a, b) => a.time.localeCompare(b.time) || a.name.localeCompare(b.name));
  const interactive = signIns.filter((spec) => spec.interactive).map((spec) => JSON.stringify(signInJson(spec)));
  const nonInteractive = signIns.filter((spec) => !spec.interactive).map((spec) => JSON.stringify(signInJson(spec)));
  await writeFile(join(outDir, 'signIns', 'interactive.ndjson'), `${interactive.join('\n')}\n`);
  await writeFile(join(outDir, 'signIns', 'non-interactive.ndjson'), `${nonInteractive.join('\n')}\n`);
  statuses.signIns = { status: 'collected', count: signIns.length, from: SIGN_IN_FROM, to: SIGN_IN_TO };

  // Entra ID P1 only: the P2 and governance resources were refused for lack of a license.
  statuses.roleEligibilitySchedules = { status: 'unlicensed', license: 'Microsoft Entra ID P2 or Microsoft Entra ID Governance', error: { httpStatus: 400, code: 'AadPremiumLicenseRequired', message: 'The tenant needs an Entra ID P2 or Entra ID Governance license.' } };
  statuses.riskyUsers = { status: 'unlicensed', license: 'Microsoft Entra ID P2', error: { httpStatus: 403, code: 'Forbidden', message: 'The tenant is not licensed for this feature.' } };
  statuses.riskDetections = { status: 'unlicensed', license: 'Microsoft Entra ID P2', error: { httpStatus: 403, code: 'Forbidden', message: 'The tenant is not licensed for this feature.' } };
  statuses.servicePrincipals = { status: 'forbidden', permission: 'Application.Read.All', error: { httpStatus: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } };
  statuses.directoryAudits = { status: 'failed', requestId: guid('request:directory-audits'), error: { httpStatus: 504, code: 'GatewayTimeout', message: 'The request timed out.' } };

  const manifest = {
    schemaVersion: 1,
    tenantId: TENANT_ID,
    tenantName: 'Harbor Point Accounting',
    collectedAt: COLLECTED_AT,
    toolVersion: 'demo',
    resources: statuses,
    fields: { 'users.signInActivity': { status: 'collected' } },
  };
  await writeJson('manifest.json', manifest);
  process.stdout.write(`wrote the demo tenant to ${outDir} (${PEOPLE.length} users, ${signIns.length} sign-ins)\n`);
}

await main();
