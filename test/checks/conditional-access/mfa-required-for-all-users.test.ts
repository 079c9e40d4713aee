import type * as Graph from '@microsoft/microsoft-graph-types';

import { mfaRequiredForAllUsers as check } from '../../../src/checks/conditional-access/mfa-required-for-all-users.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { policy } from '../../helpers/tenant.js';
import { alice, BASELINE_POLICIES, breakGlass, carol, DECLARED, EXCLUDE_BREAK_GLASS, guest, mfaForAll, phishingResistantAdmins, staff, tenant, tenantWithoutBreakGlass, upn, withPolicy } from '../../conditional-access/baseline.js';

const ID = check.id;
const mfa = (overrides: Record<string, unknown> = {}, state = 'enabled'): Graph.ConditionalAccessPolicy =>
  policy({ displayName: 'Require MFA for all users', state: state as Graph.ConditionalAccessPolicyState, conditions: { users: EXCLUDE_BREAK_GLASS, ...(overrides['conditions'] as object) } as never, ...(overrides['grantControls'] ? { grantControls: overrides['grantControls'] as never } : {}) });
const gapFor = (user: Graph.User, data: Record<string, unknown> = {}) => ({ messageId: 'gap' as const, key: `${ID}:${user.id}`, data: { user: upn(user), ...data } });
// Bob and Carol hold admin roles, so the phishing-resistant admin policy requires MFA of them.
const members = [gapFor(alice), gapFor(guest)];
const NOT_ADMIN = 'Require phishing-resistant MFA for admins (enabled): the user is not included or is excluded';

runCheckCases(check, [
  {
    name: 'required for all but the declared break-glass account',
    tenant: tenant(),
    engagement: DECLARED,
    expect: { state: 'pass', summary: 'covered-except-break-glass' },
  },
  {
    name: 'required for all in a tenant without exclusions',
    tenant: tenantWithoutBreakGlass(),
    engagement: { client: { name: 'Contoso' } },
    expect: { state: 'pass', summary: 'covered' },
  },
  {
    name: 'MFA authentication strength counts',
    tenant: tenant(withPolicy(mfaForAll, mfa({ grantControls: { operator: 'OR', builtInControls: [], authenticationStrength: { id: '00000000-0000-0000-0000-000000000002' } } }))),
    engagement: DECLARED,
    expect: { state: 'pass', summary: 'covered-except-break-glass' },
  },
  {
    name: 'undeclared break-glass account is a suspected gap',
    tenant: tenant(),
    expect: { state: 'warn', findings: [{ messageId: 'suspected-break-glass-gap', key: `${ID}:${breakGlass.id}` }] },
  },
  {
    name: 'report-only MFA policy does not count',
    tenant: tenant(withPolicy(mfaForAll, mfa({}, 'enabledForReportingButNotEnforced'))),
    engagement: DECLARED,
    expect: { state: 'fail', summary: 'gaps-found', findings: [...members, { messageId: 'report-only-policy', data: { policy: 'Require MFA for all users' } }] },
  },
  {
    name: 'MFA or terms of use is not MFA',
    tenant: tenant(withPolicy(mfaForAll, mfa({ grantControls: { operator: 'OR', builtInControls: ['mfa'], termsOfUse: ['agreement-1'] } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(alice, { whyNotCovered: [NOT_ADMIN] }), gapFor(guest)] },
  },
  {
    name: 'risk-scoped MFA does not count',
    tenant: tenant(withPolicy(mfaForAll, mfa({ conditions: { signInRiskLevels: ['medium', 'high'] } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(alice, { whyNotCovered: ['Require MFA for all users (enabled): the policy applies only at some sign-in risk levels', NOT_ADMIN] }), gapFor(guest)] },
  },
  {
    name: 'platform-scoped MFA does not count',
    tenant: tenant(withPolicy(mfaForAll, mfa({ conditions: { platforms: { includePlatforms: ['windows', 'macOS'], excludePlatforms: [] } } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(alice, { platforms: ['iOS', 'android', 'linux', 'windowsPhone', 'unknown'] }), gapFor(guest)] },
  },
  {
    name: 'MFA waived on trusted networks is a gap there',
    tenant: tenant(withPolicy(mfaForAll, mfa({ conditions: { locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } } })), {
      namedLocations: [{ '@odata.type': '#microsoft.graph.ipNamedLocation', id: 'loc-office', displayName: 'Office', isTrusted: true, ipRanges: [{ cidrAddress: '203.0.113.0/24' }] } as Graph.NamedLocation],
    }),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(alice, { locations: ['an IP address in Office'] }), gapFor(guest)] },
  },
  {
    name: 'device-code-only MFA does not count',
    tenant: tenant(withPolicy(mfaForAll, mfa({ conditions: { authenticationFlows: { transferMethods: 'deviceCodeFlow' } } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(alice, { whyNotCovered: [NOT_ADMIN] }), gapFor(guest)] },
  },
  {
    name: 'excluded group is named',
    tenant: tenant(withPolicy(mfaForAll, mfa({ conditions: { users: { excludeUsers: [breakGlass.id!], excludeGroups: [staff.id!] } } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [gapFor(alice), { messageId: 'policy-exclusions', data: { policy: 'Require MFA for all users', exclusions: ['group Staff'] } }] },
  },
  {
    name: 'admin policy alone leaves members open',
    tenant: tenant([phishingResistantAdmins]),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [...members] },
  },
  {
    name: 'unknown client app value is reported',
    tenant: tenant([...withPolicy(mfaForAll, mfaForAll), policy({ displayName: 'Require MFA on odd clients', conditions: { users: EXCLUDE_BREAK_GLASS, clientAppTypes: ['browser', 'carrierPigeon'] } as never })]),
    engagement: DECLARED,
    expect: { state: 'warn', findings: [{ messageId: 'uncertain', data: { details: ['Require MFA on odd clients: unknown client app types carrierPigeon'] } }] },
  },
  {
    name: 'users not collected',
    tenant: { conditionalAccessPolicies: [mfaForAll] },
    expect: { state: 'skipped', skipReason: 'resource-not-collected' },
  },
  {
    // Regression: with group members forbidden, excluded groups looked empty and the check passed.
    name: 'group members not collected is manual',
    tenant: tenant(BASELINE_POLICIES.map((baseline) => ({ ...baseline, conditions: { ...baseline.conditions, users: { ...baseline.conditions!.users, excludeGroups: [staff.id!] } } }))),
    statuses: { groupMembers: { status: 'forbidden', permission: 'GroupMember.Read.All' } },
    engagement: DECLARED,
    expect: { state: 'manual', summary: 'incomplete', findings: [{ messageId: 'incomplete', key: `${ID}:incomplete-data` }] },
  },
]);

void carol;
