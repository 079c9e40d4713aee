import type * as Graph from '@microsoft/microsoft-graph-types';

import { APP_GROUP_TABLES } from '../../src/conditional-access/app-groups.js';
import type { EvaluationFacts, SignInContext } from '../../src/conditional-access/types.js';

export const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
export const SHAREPOINT = '00000003-0000-0ff1-ce00-000000000000';
export const AZURE_PORTAL = 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c';
export const ARM = '797f4846-ba00-4fd7-ba43-dac1f8f63013';
export const CUSTOM_APP = 'aaaaaaaa-0000-4000-8000-000000000001';

export const ALICE = '11111111-0000-4000-8000-000000000001';
export const GROUP_STAFF = '22222222-0000-4000-8000-000000000001';
export const GROUP_BREAKGLASS = '22222222-0000-4000-8000-000000000002';
export const LOCATION_OFFICE = '33333333-0000-4000-8000-000000000001';
export const LOCATION_BLOCKED_COUNTRIES = '33333333-0000-4000-8000-000000000002';
export const LOCATION_ALLOWED_COUNTRIES = '33333333-0000-4000-8000-000000000003';
export const LOCATION_V6 = '33333333-0000-4000-8000-000000000004';

/** Builds a policy that applies to everyone everywhere and requires MFA, to be narrowed by overrides. */
export function policy(id: string, overrides: { state?: string; conditions?: Record<string, unknown>; grantControls?: unknown; sessionControls?: unknown } = {}): Graph.ConditionalAccessPolicy {
  return {
    id,
    displayName: `Policy ${id}`,
    state: (overrides.state ?? 'enabled') as Graph.ConditionalAccessPolicyState,
    conditions: {
      users: { includeUsers: ['All'] },
      applications: { includeApplications: ['All'] },
      clientAppTypes: ['all'],
      ...(overrides.conditions ?? {}),
    } as Graph.ConditionalAccessConditionSet,
    grantControls: (overrides.grantControls === undefined ? { operator: 'OR', builtInControls: ['mfa'] } : overrides.grantControls) as Graph.ConditionalAccessGrantControls,
    sessionControls: (overrides.sessionControls ?? null) as Graph.ConditionalAccessSessionControls,
  };
}

export const NAMED_LOCATIONS: Graph.NamedLocation[] = [
  {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id: LOCATION_OFFICE,
    displayName: 'Head office',
    isTrusted: true,
    ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '203.0.113.0/24' }],
  } as Graph.NamedLocation,
  {
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    id: LOCATION_BLOCKED_COUNTRIES,
    displayName: 'Blocked countries',
    countriesAndRegions: ['KP', 'RU'],
    includeUnknownCountriesAndRegions: true,
  } as Graph.NamedLocation,
  {
    '@odata.type': '#microsoft.graph.countryNamedLocation',
    id: LOCATION_ALLOWED_COUNTRIES,
    displayName: 'Allowed countries',
    countriesAndRegions: ['NL', 'BE'],
    includeUnknownCountriesAndRegions: false,
  } as Graph.NamedLocation,
  {
    '@odata.type': '#microsoft.graph.ipNamedLocation',
    id: LOCATION_V6,
    displayName: 'IPv6 office',
    isTrusted: false,
    ipRanges: [{ '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: '2001:db8:abcd::/48' }],
  } as Graph.NamedLocation,
];

export function facts(overrides: Partial<EvaluationFacts> = {}): EvaluationFacts {
  return { namedLocations: NAMED_LOCATIONS, authenticationStrengths: [], appGroups: APP_GROUP_TABLES, ...overrides };
}

/** Builds a browser sign-in to Exchange Online by an internal member with no groups or roles. */
export function context(overrides: Partial<SignInContext> = {}): SignInContext {
  return {
    user: { id: ALICE, groups: new Set(), roles: new Set(), externalUserType: null },
    target: { kind: 'app', appId: EXCHANGE },
    clientAppType: 'browser',
    platform: 'windows',
    country: 'NL',
    device: null,
    ...overrides,
  };
}
