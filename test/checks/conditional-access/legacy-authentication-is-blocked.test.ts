import type * as Graph from '@microsoft/microsoft-graph-types';

import { legacyAuthenticationIsBlocked as check } from '../../../src/checks/conditional-access/legacy-authentication-is-blocked.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { policy } from '../../helpers/tenant.js';
import { alice, BASELINE_POLICIES, blockLegacy, bob, breakGlass, carol, DECLARED, EXCLUDE_BREAK_GLASS, guest, legacyExceptions, staff, tenant, tenantWithoutBreakGlass, upn, withPolicy } from '../../conditional-access/baseline.js';

const ID = check.id;
const legacyBlock = (conditions: Record<string, unknown>, state = 'enabled'): Graph.ConditionalAccessPolicy =>
  policy({ displayName: 'Block legacy authentication', state: state as Graph.ConditionalAccessPolicyState, conditions: { users: EXCLUDE_BREAK_GLASS, clientAppTypes: ['exchangeActiveSync', 'other'], ...conditions } as never, grantControls: { operator: 'OR', builtInControls: ['block'] } });
const gapFor = (user: Graph.User, data: Record<string, unknown> = {}) => ({ messageId: 'gap' as const, key: `${ID}:${user.id}`, data: { user: upn(user), ...data } });
const everyone = (data: Record<string, unknown> = {}) => [gapFor(alice, data), gapFor(bob, data), gapFor(carol, data), gapFor(guest, data)];

runCheckCases(check, [
  {
    name: 'blocked for all but the declared break-glass account',
    tenant: tenant(),
    engagement: DECLARED,
    expect: { state: 'pass', summary: 'covered-except-break-glass' },
  },
  {
    name: 'blocked for all in a tenant without exclusions',
    tenant: tenantWithoutBreakGlass(),
    engagement: { client: { name: 'Contoso' } },
    expect: { state: 'pass', summary: 'covered' },
  },
  {
    name: 'older easSupported spelling still counts',
    tenant: tenant(withPolicy(blockLegacy, legacyBlock({ clientAppTypes: ['easSupported', 'other'] }))),
    engagement: DECLARED,
    expect: { state: 'pass', summary: 'covered-except-break-glass' },
  },
  {
    name: 'undeclared break-glass account is a suspected gap',
    tenant: tenant(),
    expect: { state: 'warn', findings: [{ messageId: 'suspected-break-glass-gap', key: `${ID}:${breakGlass.id}` }] },
  },
  {
    name: 'missing other client type leaves other clients open',
    tenant: tenant(withPolicy(blockLegacy, legacyBlock({ clientAppTypes: ['exchangeActiveSync'] }))),
    engagement: DECLARED,
    expect: { state: 'fail', summary: 'gaps-found', findings: everyone({ clientAppTypes: ['other'] }) },
  },
  {
    name: 'missing exchangeActiveSync leaves ActiveSync open',
    tenant: tenant(withPolicy(blockLegacy, legacyBlock({ clientAppTypes: ['other'] }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone({ clientAppTypes: ['exchangeActiveSync'] }) },
  },
  {
    name: 'report-only block does not count',
    tenant: tenant(withPolicy(blockLegacy, legacyBlock({}, 'enabledForReportingButNotEnforced'))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: [...everyone(), { messageId: 'report-only-policy', data: { policy: 'Block legacy authentication' } }] },
  },
  {
    name: 'excluded group keeps legacy mail open for its members',
    tenant: tenant(withPolicy(blockLegacy, legacyBlock({ users: { excludeUsers: [breakGlass.id!], excludeGroups: [legacyExceptions.id!] } }))),
    engagement: DECLARED,
    expect: {
      state: 'fail',
      findings: [
        gapFor(carol, { whyNotCovered: ['Block legacy authentication (enabled): the user is not included or is excluded'] }),
        { messageId: 'policy-exclusions', data: { exclusions: ['group Legacy mail exceptions'] } },
      ],
    },
  },
  {
    name: 'MFA for legacy clients is not a block',
    tenant: tenant(withPolicy(blockLegacy, { ...legacyBlock({}), grantControls: { operator: 'OR', builtInControls: ['mfa'] } })),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone({ whyNotCovered: ['no policy would close this gap'] }) },
  },
  {
    name: 'second block on a missing named location is reported',
    tenant: tenant([...withPolicy(blockLegacy, blockLegacy), legacyBlock({ locations: { includeLocations: ['5f0d0000-0000-4000-8000-000000000001'] } })]),
    engagement: DECLARED,
    expect: { state: 'warn', findings: [{ messageId: 'uncertain', data: { details: ['Block legacy authentication: named location 5f0d0000-0000-4000-8000-000000000001 is not in the snapshot'] } }] },
  },
  {
    name: 'policies not collected',
    tenant: { users: [alice] },
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
