import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type * as Graph from '@microsoft/microsoft-graph-types';

import { evaluatePolicies } from '../../src/conditional-access/evaluate.js';
import type { EvaluationFacts, ReasonCode, SignInContext } from '../../src/conditional-access/types.js';
import { ROLE } from '../../src/entra/roles.js';
import {
  ALICE,
  ARM,
  AZURE_PORTAL,
  CUSTOM_APP,
  EXCHANGE,
  GROUP_BREAKGLASS,
  GROUP_STAFF,
  LOCATION_ALLOWED_COUNTRIES,
  LOCATION_BLOCKED_COUNTRIES,
  LOCATION_OFFICE,
  LOCATION_V6,
  SHAREPOINT,
  context,
  facts,
  policy,
} from './fixtures.js';

interface Case {
  rule: string;
  policies: Graph.ConditionalAccessPolicy[];
  context?: Partial<SignInContext>;
  facts?: Partial<EvaluationFacts>;
  /** Whether policy `p` applies, and the reasons when it does not. */
  applies?: boolean;
  reasons?: ReasonCode[];
  access?: 'blocked' | 'granted' | 'requirements';
  reportOnlyAccess?: 'blocked' | 'granted' | 'requirements';
  /** Conditions expected in `uncertain`; an empty list asserts there is none. */
  uncertain?: ReasonCode[];
}

const user = (overrides: Partial<SignInContext['user']>): Partial<SignInContext> => ({
  user: { id: ALICE, groups: new Set(), roles: new Set(), externalUserType: null, ...overrides },
});
const users = (value: Record<string, unknown>) => ({ users: value });
const block = { operator: 'OR', builtInControls: ['block'] };

const cases: Case[] = [
  // Policy state
  { rule: 'state: enabled policy with all conditions met applies', policies: [policy('p')], applies: true, access: 'requirements', uncertain: [] },
  { rule: 'state: disabled policy never applies', policies: [policy('p', { state: 'disabled' })], applies: false, reasons: ['policyNotEnabled'], access: 'granted' },
  { rule: 'state: report-only applies but does not change the outcome', policies: [policy('p', { state: 'enabledForReportingButNotEnforced', grantControls: block })], applies: true, access: 'granted', reportOnlyAccess: 'blocked' },
  { rule: 'state: unknown state cannot be evaluated', policies: [policy('p', { state: 'enabledSometimes' })], applies: false, reasons: ['invalidCondition'], uncertain: ['invalidCondition'] },

  // Users
  { rule: 'users: All includes every user', policies: [policy('p', { conditions: users({ includeUsers: ['All'] }) })], applies: true },
  { rule: 'users: None targets no one', policies: [policy('p', { conditions: users({ includeUsers: ['None'] }) })], applies: false, reasons: ['users'] },
  { rule: 'users: user id is included', policies: [policy('p', { conditions: users({ includeUsers: [ALICE] }) })], applies: true },
  { rule: 'users: user ids compare case-insensitively', policies: [policy('p', { conditions: users({ includeUsers: [ALICE.toUpperCase()] }) })], applies: true },
  { rule: 'users: other user id is not included', policies: [policy('p', { conditions: users({ includeUsers: ['99999999-0000-4000-8000-000000000009'] }) })], applies: false, reasons: ['users'] },
  { rule: 'users: exclude beats include for the same user', policies: [policy('p', { conditions: users({ includeUsers: ['All'], excludeUsers: [ALICE] }) })], applies: false, reasons: ['users'] },
  { rule: 'users: group membership includes', policies: [policy('p', { conditions: users({ includeGroups: [GROUP_STAFF] }) })], context: user({ groups: new Set([GROUP_STAFF]) }), applies: true },
  { rule: 'users: excluded group beats included group', policies: [policy('p', { conditions: users({ includeGroups: [GROUP_STAFF], excludeGroups: [GROUP_BREAKGLASS] }) })], context: user({ groups: new Set([GROUP_STAFF, GROUP_BREAKGLASS]) }), applies: false, reasons: ['users'] },
  { rule: 'users: excluded group beats All users', policies: [policy('p', { conditions: users({ includeUsers: ['All'], excludeGroups: [GROUP_BREAKGLASS] }) })], context: user({ groups: new Set([GROUP_BREAKGLASS]) }), applies: false, reasons: ['users'] },
  { rule: 'users: non-member of included group is not targeted', policies: [policy('p', { conditions: users({ includeGroups: [GROUP_STAFF] }) })], applies: false, reasons: ['users'] },
  { rule: 'users: active role includes', policies: [policy('p', { conditions: users({ includeRoles: [ROLE.globalAdministrator] }) })], context: user({ roles: new Set([ROLE.globalAdministrator]) }), applies: true },
  { rule: 'users: role not held is not targeted', policies: [policy('p', { conditions: users({ includeRoles: [ROLE.globalAdministrator] }) })], context: user({ roles: new Set([ROLE.userAdministrator]) }), applies: false, reasons: ['users'] },
  { rule: 'users: excluded role beats All users', policies: [policy('p', { conditions: users({ includeUsers: ['All'], excludeRoles: [ROLE.directorySynchronizationAccounts] }) })], context: user({ roles: new Set([ROLE.directorySynchronizationAccounts]) }), applies: false, reasons: ['users'] },
  { rule: 'users: GuestsOrExternalUsers keyword includes a guest', policies: [policy('p', { conditions: users({ includeUsers: ['GuestsOrExternalUsers'] }) })], context: user({ externalUserType: 'b2bCollaborationGuest' }), applies: true },
  { rule: 'users: GuestsOrExternalUsers keyword skips a member', policies: [policy('p', { conditions: users({ includeUsers: ['GuestsOrExternalUsers'] }) })], applies: false, reasons: ['users'] },
  { rule: 'users: GuestsOrExternalUsers keyword in excludes removes guests from All', policies: [policy('p', { conditions: users({ includeUsers: ['All'], excludeUsers: ['GuestsOrExternalUsers'] }) })], context: user({ externalUserType: 'internalGuest' }), applies: false, reasons: ['users'] },
  { rule: 'users: display name in place of an id matches nobody and is reported', policies: [policy('p', { conditions: users({ includeUsers: ['Alice Member'] }) })], applies: false, reasons: ['users'], uncertain: ['users'] },
  { rule: 'users: All includes B2B guests', policies: [policy('p')], context: user({ externalUserType: 'b2bCollaborationGuest' }), applies: true },
  {
    rule: 'users: guest type flag list matches one of its types',
    policies: [policy('p', { conditions: users({ includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'internalGuest,b2bCollaborationGuest', externalTenants: { membershipKind: 'all' } } }) })],
    context: user({ externalUserType: 'b2bCollaborationGuest' }),
    applies: true,
  },
  {
    rule: 'users: guest type flag list skips other types',
    policies: [policy('p', { conditions: users({ includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'internalGuest', externalTenants: { membershipKind: 'all' } } }) })],
    context: user({ externalUserType: 'b2bCollaborationMember' }),
    applies: false,
    reasons: ['users'],
  },
  {
    rule: 'users: enumerated external tenants match the home tenant',
    policies: [policy('p', { conditions: users({ includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'b2bCollaborationGuest', externalTenants: { membershipKind: 'enumerated', members: ['tenant-a'] } } }) })],
    context: user({ externalUserType: 'b2bCollaborationGuest', externalTenantId: 'TENANT-A' }),
    applies: true,
  },
  {
    rule: 'users: enumerated external tenants with unknown home tenant are uncertain',
    policies: [policy('p', { conditions: users({ includeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'b2bCollaborationGuest', externalTenants: { membershipKind: 'enumerated', members: ['tenant-a'] } } }) })],
    context: user({ externalUserType: 'b2bCollaborationGuest' }),
    applies: false,
    reasons: ['users'],
    uncertain: ['users'],
  },
  {
    rule: 'users: excluded guest types beat All users',
    policies: [policy('p', { conditions: users({ includeUsers: ['All'], excludeGuestsOrExternalUsers: { guestOrExternalUserTypes: 'serviceProvider,b2bCollaborationGuest', externalTenants: { membershipKind: 'all' } } }) })],
    context: user({ externalUserType: 'b2bCollaborationGuest' }),
    applies: false,
    reasons: ['users'],
  },
  {
    rule: 'users: workload identity policy does not apply to users',
    policies: [policy('p', { conditions: { users: undefined, clientApplications: { includeServicePrincipals: ['ServicePrincipalsInMyTenant'] } } })],
    applies: false,
    reasons: ['users'],
  },

  // Applications
  { rule: 'applications: All includes any resource', policies: [policy('p')], context: { target: { kind: 'app', appId: CUSTOM_APP } }, applies: true },
  { rule: 'applications: None targets nothing', policies: [policy('p', { conditions: { applications: { includeApplications: ['None'] } } })], applies: false, reasons: ['application'] },
  { rule: 'applications: listed app id is included', policies: [policy('p', { conditions: { applications: { includeApplications: [EXCHANGE] } } })], applies: true },
  { rule: 'applications: unlisted app id is not included', policies: [policy('p', { conditions: { applications: { includeApplications: [SHAREPOINT] } } })], applies: false, reasons: ['application'] },
  { rule: 'applications: excluded app beats All', policies: [policy('p', { conditions: { applications: { includeApplications: ['All'], excludeApplications: [EXCHANGE] } } })], applies: false, reasons: ['application'] },
  { rule: 'applications: Office365 includes Exchange Online', policies: [policy('p', { conditions: { applications: { includeApplications: ['Office365'] } } })], applies: true, uncertain: [] },
  { rule: 'applications: Office365 excludes Azure Resource Manager', policies: [policy('p', { conditions: { applications: { includeApplications: ['Office365'] } } })], context: { target: { kind: 'app', appId: ARM } }, applies: false, reasons: ['application'], uncertain: [] },
  { rule: 'applications: Office365 with an unlisted app is uncertain', policies: [policy('p', { conditions: { applications: { includeApplications: ['Office365'] } } })], context: { target: { kind: 'app', appId: CUSTOM_APP } }, applies: false, reasons: ['application'], uncertain: ['application'] },
  { rule: 'applications: excluding Office365 removes SharePoint from All', policies: [policy('p', { conditions: { applications: { includeApplications: ['All'], excludeApplications: ['Office365'] } } })], context: { target: { kind: 'app', appId: SHAREPOINT } }, applies: false, reasons: ['application'] },
  { rule: 'applications: MicrosoftAdminPortals includes the Azure portal with a membership note', policies: [policy('p', { conditions: { applications: { includeApplications: ['MicrosoftAdminPortals'] } } })], context: { target: { kind: 'app', appId: AZURE_PORTAL } }, applies: true, uncertain: ['application'] },
  { rule: 'applications: caller-stated group membership is trusted', policies: [policy('p', { conditions: { applications: { includeApplications: ['MicrosoftAdminPortals'] } } })], context: { target: { kind: 'app', appId: CUSTOM_APP, memberOf: ['MicrosoftAdminPortals'] } }, applies: true, uncertain: [] },
  { rule: 'applications: user action matches its policy', policies: [policy('p', { conditions: { applications: { includeUserActions: ['urn:user:registersecurityinfo'] } } })], context: { target: { kind: 'userAction', action: 'urn:user:registersecurityinfo' } }, applies: true },
  { rule: 'applications: All resources does not cover a user action', policies: [policy('p')], context: { target: { kind: 'userAction', action: 'urn:user:registerdevice' } }, applies: false, reasons: ['userActions'] },
  { rule: 'applications: user action policy does not cover app sign-ins', policies: [policy('p', { conditions: { applications: { includeUserActions: ['urn:user:registersecurityinfo'] } } })], applies: false, reasons: ['application'] },
  { rule: 'applications: authentication context matches', policies: [policy('p', { conditions: { applications: { includeAuthenticationContextClassReferences: ['c1'] } } })], context: { target: { kind: 'authenticationContext', id: 'c1' } }, applies: true },
  { rule: 'applications: other authentication context does not match', policies: [policy('p', { conditions: { applications: { includeAuthenticationContextClassReferences: ['c1'] } } })], context: { target: { kind: 'authenticationContext', id: 'c2' } }, applies: false, reasons: ['authenticationContext'] },
  { rule: 'applications: application filter cannot be evaluated offline', policies: [policy('p', { conditions: { applications: { includeApplications: ['All'], applicationFilter: { mode: 'exclude', rule: 'CustomSecurityAttribute.Set_Name -eq "x"' } } } })], applies: false, reasons: ['application'], uncertain: ['application'] },

  // Client app types
  { rule: 'clientApps: unset means all client app types', policies: [policy('p', { conditions: { clientAppTypes: [] } })], context: { clientAppType: 'other' }, applies: true },
  { rule: 'clientApps: all matches legacy clients', policies: [policy('p')], context: { clientAppType: 'exchangeActiveSync' }, applies: true },
  { rule: 'clientApps: listed type matches', policies: [policy('p', { conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] } })], context: { clientAppType: 'other' }, applies: true },
  { rule: 'clientApps: browser is not a legacy client', policies: [policy('p', { conditions: { clientAppTypes: ['exchangeActiveSync', 'other'] } })], applies: false, reasons: ['clientApps'] },
  { rule: 'clientApps: easSupported is read as exchangeActiveSync', policies: [policy('p', { conditions: { clientAppTypes: ['easSupported'] } })], context: { clientAppType: 'exchangeActiveSync' }, applies: true },
  { rule: 'clientApps: unknown value is reported, not silently matched', policies: [policy('p', { conditions: { clientAppTypes: ['carrierPigeon'] } })], applies: false, reasons: ['clientApps'], uncertain: ['clientApps'] },

  // Platforms
  { rule: 'devicePlatform: unset means all platforms', policies: [policy('p')], context: { platform: 'linux' }, applies: true },
  { rule: 'devicePlatform: listed platform matches', policies: [policy('p', { conditions: { platforms: { includePlatforms: ['android', 'iOS'] } } })], context: { platform: 'iOS' }, applies: true },
  { rule: 'devicePlatform: other platform does not match a list', policies: [policy('p', { conditions: { platforms: { includePlatforms: ['android', 'iOS'] } } })], applies: false, reasons: ['devicePlatform'] },
  { rule: 'devicePlatform: excluded platform beats all', policies: [policy('p', { conditions: { platforms: { includePlatforms: ['all'], excludePlatforms: ['windows'] } } })], applies: false, reasons: ['devicePlatform'] },
  { rule: 'devicePlatform: unknown platform matches all', policies: [policy('p', { conditions: { platforms: { includePlatforms: ['all'], excludePlatforms: ['android', 'iOS', 'windows', 'macOS', 'linux'] } } })], context: { platform: 'unknown' }, applies: true },
  { rule: 'devicePlatform: unknown platform never matches a named list', policies: [policy('p', { conditions: { platforms: { includePlatforms: ['android', 'iOS', 'windows', 'macOS', 'linux', 'windowsPhone'] } } })], context: { platform: 'unknown' }, applies: false, reasons: ['devicePlatform'] },

  // Locations
  { rule: 'location: IPv4 inside a named range matches', policies: [policy('p', { conditions: { locations: { includeLocations: [LOCATION_OFFICE] } } })], context: { ip: '203.0.113.40' }, applies: true },
  { rule: 'location: IPv4 outside the range does not match', policies: [policy('p', { conditions: { locations: { includeLocations: [LOCATION_OFFICE] } } })], context: { ip: '198.51.100.7' }, applies: false, reasons: ['location'] },
  { rule: 'location: IPv6 inside a named range matches', policies: [policy('p', { conditions: { locations: { includeLocations: [LOCATION_V6] } } })], context: { ip: '2001:db8:abcd:12::1' }, applies: true },
  { rule: 'location: AllTrusted exclusion skips trusted ranges', policies: [policy('p', { conditions: { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } } })], context: { ip: '203.0.113.40' }, applies: false, reasons: ['location'] },
  { rule: 'location: AllTrusted exclusion keeps untrusted IPs', policies: [policy('p', { conditions: { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } } })], context: { ip: '2001:db8:abcd:12::1' }, applies: true },
  { rule: 'location: country location matches the country', policies: [policy('p', { conditions: { locations: { includeLocations: [LOCATION_BLOCKED_COUNTRIES] } } })], context: { country: 'RU' }, applies: true },
  { rule: 'location: unknown country matches includeUnknownCountriesAndRegions', policies: [policy('p', { conditions: { locations: { includeLocations: [LOCATION_BLOCKED_COUNTRIES] } } })], context: { country: undefined, ip: '192.0.2.1' }, applies: true },
  { rule: 'location: unknown country does not match a plain country list', policies: [policy('p', { conditions: { locations: { includeLocations: ['All'], excludeLocations: [LOCATION_ALLOWED_COUNTRIES] } } })], context: { country: undefined }, applies: true },
  { rule: 'location: allowed country is excluded from the block', policies: [policy('p', { conditions: { locations: { includeLocations: ['All'], excludeLocations: [LOCATION_ALLOWED_COUNTRIES] } } })], context: { country: 'be' }, applies: false, reasons: ['location'] },
  { rule: 'location: missing named location is uncertain', policies: [policy('p', { conditions: { locations: { includeLocations: ['All'], excludeLocations: ['44444444-0000-4000-8000-000000000000'] } } })], applies: false, reasons: ['location'], uncertain: ['location'] },

  // Device filters
  { rule: 'devices: unregistered device does not match a positive include filter', policies: [policy('p', { conditions: { devices: { deviceFilter: { mode: 'include', rule: 'device.trustType -eq "AzureAD"' } } } })], applies: false, reasons: ['devices'] },
  { rule: 'devices: unregistered device matches a negative include filter', policies: [policy('p', { conditions: { devices: { deviceFilter: { mode: 'include', rule: 'device.trustType -ne "AzureAD"' } } } })], applies: true },
  { rule: 'devices: unregistered device stays in scope of a positive exclude filter', policies: [policy('p', { conditions: { devices: { deviceFilter: { mode: 'exclude', rule: 'device.isCompliant -eq True' } } } })], applies: true },
  { rule: 'devices: compliant device is excluded by an exclude filter', policies: [policy('p', { conditions: { devices: { deviceFilter: { mode: 'exclude', rule: 'device.isCompliant -eq True -and device.trustType -eq "AzureAD"' } } } })], context: { device: { isCompliant: true, trustType: 'AzureAD' } }, applies: false, reasons: ['devices'] },
  { rule: 'devices: -or with parentheses', policies: [policy('p', { conditions: { devices: { deviceFilter: { mode: 'include', rule: '(device.model -startsWith "Surface" -or device.model -in ["X1","T14"]) -and device.trustType -eq "ServerAD"' } } } })], context: { device: { trustType: 'ServerAD', attributes: { model: 'T14' } } }, applies: true },
  { rule: 'devices: -notIn matches a value outside the list', policies: [policy('p', { conditions: { devices: { deviceFilter: { mode: 'include', rule: 'device.extensionAttribute1 -notIn ["kiosk"]' } } } })], context: { device: { attributes: { extensionAttribute1: 'laptop' } } }, applies: true },
  { rule: 'devices: malformed rule cannot be evaluated', policies: [policy('p', { conditions: { devices: { deviceFilter: { mode: 'exclude', rule: 'device.trustType -eq "AzureAD' } } } })], applies: false, reasons: ['invalidCondition'], uncertain: ['invalidCondition'] },

  // Risk
  { rule: 'signInRisk: risk-scoped policy skips a no-risk sign-in', policies: [policy('p', { conditions: { signInRiskLevels: ['high', 'medium'] } })], applies: false, reasons: ['signInRisk'] },
  { rule: 'signInRisk: matching level applies', policies: [policy('p', { conditions: { signInRiskLevels: ['high'] } })], context: { signInRisk: 'high' }, applies: true },
  { rule: 'userRisk: user-risk policy skips a low-risk user', policies: [policy('p', { conditions: { userRiskLevels: ['high'] } })], context: { userRisk: 'low' }, applies: false, reasons: ['userRisk'] },
  { rule: 'insiderRisk: flag list matches elevated', policies: [policy('p', { conditions: { insiderRiskLevels: 'moderate,elevated' } })], context: { insiderRisk: 'elevated' }, applies: true },
  { rule: 'insiderRisk: flag list skips minor', policies: [policy('p', { conditions: { insiderRiskLevels: 'elevated' } })], context: { insiderRisk: 'minor' }, applies: false, reasons: ['insiderRisk'] },

  // Authentication flows
  { rule: 'authenticationFlow: device code policy applies to a device code sign-in', policies: [policy('p', { conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow' } }, grantControls: block })], context: { flow: 'deviceCodeFlow' }, applies: true, access: 'blocked' },
  { rule: 'authenticationFlow: device code policy skips ordinary sign-ins', policies: [policy('p', { conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow' } }, grantControls: block })], applies: false, reasons: ['authenticationFlow'], access: 'granted' },
  { rule: 'authenticationFlow: comma-separated flags cover authentication transfer', policies: [policy('p', { conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow,authenticationTransfer' } }, grantControls: block })], context: { flow: 'authenticationTransfer' }, applies: true, access: 'blocked' },
  { rule: 'authenticationFlow: device code policy skips authentication transfer', policies: [policy('p', { conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow' } }, grantControls: block })], context: { flow: 'authenticationTransfer' }, applies: false, reasons: ['authenticationFlow'] },

  // Several failed conditions are all listed
  { rule: 'reasons: every failed condition is listed', policies: [policy('p', { conditions: { clientAppTypes: ['other'], platforms: { includePlatforms: ['android'] }, signInRiskLevels: ['high'] } })], applies: false, reasons: ['clientApps', 'devicePlatform', 'signInRisk'] },

  // Combining
  { rule: 'combine: block in one enabled policy wins', policies: [policy('p'), policy('q', { grantControls: block })], applies: true, access: 'blocked' },
  { rule: 'combine: report-only block leaves enforced requirements', policies: [policy('p'), policy('q', { state: 'enabledForReportingButNotEnforced', grantControls: block })], access: 'requirements', reportOnlyAccess: 'blocked' },
  { rule: 'combine: no applying policy means granted', policies: [policy('p', { conditions: users({ includeUsers: ['None'] }) })], access: 'granted', reportOnlyAccess: 'granted' },
  { rule: 'combine: session-only policy grants with session controls', policies: [policy('p', { grantControls: null, sessionControls: { signInFrequency: { isEnabled: true, type: 'hours', value: 4 } } })], applies: true, access: 'granted' },
];

describe('evaluatePolicies rule table', () => {
  test('table has at least 60 cases', () => {
    assert.ok(cases.length >= 60, `only ${cases.length} cases`);
  });

  for (const item of cases) {
    test(item.rule, () => {
      const evaluation = evaluatePolicies(item.policies, facts(item.facts), context(item.context));
      const target = evaluation.policies.find((entry) => entry.id === 'p');
      if (item.applies !== undefined) assert.equal(target?.applies, item.applies, `reasons: ${target?.reasons.join(', ')}`);
      if (item.reasons !== undefined) assert.deepEqual(target?.reasons, item.reasons);
      if (item.access !== undefined) assert.equal(evaluation.outcome.access, item.access);
      if (item.reportOnlyAccess !== undefined) assert.equal(evaluation.reportOnly.access, item.reportOnlyAccess);
      if (item.uncertain !== undefined) {
        assert.deepEqual([...new Set(evaluation.uncertain.map((entry) => entry.condition))], item.uncertain);
      }
    });
  }
});

describe('evaluatePolicies outcome shape', () => {
  test('requirements carry operator trees per policy', () => {
    const evaluation = evaluatePolicies(
      [
        policy('mfa'),
        policy('device', { grantControls: { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] } }),
        policy('tou', { grantControls: { operator: 'AND', builtInControls: ['mfa'], termsOfUse: ['agreement-1'] } }),
      ],
      facts(),
      context(),
    );
    assert.equal(evaluation.outcome.access, 'requirements');
    assert.deepEqual(
      evaluation.outcome.requirements.map((tree) => [tree.policyId, tree.operator, tree.controls.map((control) => control.control)]),
      [
        ['mfa', 'OR', ['mfa']],
        ['device', 'OR', ['compliantDevice', 'domainJoinedDevice']],
        ['tou', 'AND', ['mfa', 'termsOfUse:agreement-1']],
      ],
    );
  });

  test('built-in strength is resolved by id', () => {
    const evaluation = evaluatePolicies(
      [policy('p', { grantControls: { operator: 'OR', authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } } })],
      facts(),
      context(),
    );
    const control = evaluation.outcome.requirements[0]?.controls[0];
    assert.equal(control?.control, 'authenticationStrength:00000000-0000-0000-0000-000000000004');
    assert.deepEqual(control?.allowedCombinations, ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor']);
  });

  test('session controls are listed with their policy', () => {
    const evaluation = evaluatePolicies(
      [policy('p', { grantControls: null, sessionControls: { signInFrequency: { isEnabled: true, type: 'hours', value: 4 }, persistentBrowser: { isEnabled: false, mode: 'never' } } })],
      facts(),
      context(),
    );
    assert.deepEqual(evaluation.outcome.sessionControls.map((entry) => [entry.policyId, entry.control]), [['p', 'signInFrequency']]);
  });
});
