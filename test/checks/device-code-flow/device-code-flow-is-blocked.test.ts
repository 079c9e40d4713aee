import type * as Graph from '@microsoft/microsoft-graph-types';

import { deviceCodeFlowIsBlocked as check } from '../../../src/checks/device-code-flow/device-code-flow-is-blocked.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { policy, user } from '../../helpers/tenant.js';
import { alice, BASELINE_POLICIES, blockDeviceCode, bob, breakGlass, carol, DECLARED, EXCLUDE_BREAK_GLASS, guest, staff, tenant, tenantWithoutBreakGlass, upn, withPolicy } from '../../conditional-access/baseline.js';

const ID = check.id;
const block: Graph.ConditionalAccessGrantControls = { operator: 'OR', builtInControls: ['block'] };
const deviceCodeBlock = (conditions: Record<string, unknown>, state = 'enabled'): Graph.ConditionalAccessPolicy =>
  policy({ displayName: 'Block device code flow', state: state as Graph.ConditionalAccessPolicyState, conditions: { users: EXCLUDE_BREAK_GLASS, authenticationFlows: { transferMethods: 'deviceCodeFlow' }, ...conditions } as never, grantControls: block });
const gapFor = (user: Graph.User) => ({ messageId: 'gap' as const, key: `${ID}:${user.id}`, data: { user: upn(user) } });
const everyone = [gapFor(alice), gapFor(bob), gapFor(carol), gapFor(guest)];
const office = { '@odata.type': '#microsoft.graph.ipNamedLocation', id: 'loc-office', displayName: 'Office', isTrusted: true, ipRanges: [{ cidrAddress: '203.0.113.0/24' }] } as Graph.NamedLocation;
// Eleven members with no group or role, so a user class can be larger than the ten accounts a finding names.
const extras = Array.from({ length: 11 }, (_, index) => user({ displayName: `Extra ${String(index + 1).padStart(2, '0')}` }));

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
    name: 'combined flag string blocks both flows',
    tenant: tenant(withPolicy(blockDeviceCode, deviceCodeBlock({ authenticationFlows: { transferMethods: 'deviceCodeFlow,authenticationTransfer' } }))),
    engagement: DECLARED,
    expect: { state: 'pass', summary: 'covered-except-break-glass' },
  },
  {
    name: 'undeclared break-glass account is a suspected gap',
    tenant: tenant(),
    expect: { state: 'warn', summary: 'covered', findings: [{ messageId: 'suspected-break-glass-gap', key: `${ID}:${breakGlass.id}`, data: { user: upn(breakGlass) } }] },
  },
  {
    name: 'report-only block does not count',
    tenant: tenant(withPolicy(blockDeviceCode, deviceCodeBlock({}, 'enabledForReportingButNotEnforced'))),
    engagement: DECLARED,
    expect: { state: 'fail', summary: 'gaps-found', findings: [...everyone, { messageId: 'report-only-policy', data: { policy: 'Block device code flow' } }] },
  },
  {
    // Enabling a block that spares the office would leave office sign-ins open, so it is no fix.
    name: 'partial report-only block is not named',
    tenant: tenant(
      withPolicy(blockDeviceCode, policy({ displayName: 'Block outside the office', state: 'enabledForReportingButNotEnforced', conditions: { users: EXCLUDE_BREAK_GLASS, locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } } as never, grantControls: block })),
      { namedLocations: [office] },
    ),
    engagement: DECLARED,
    expect: { state: 'fail', summary: 'gaps-found', findings: everyone },
  },
  {
    name: 'class names ten accounts then counts',
    tenant: tenant(withPolicy(blockDeviceCode, null), { users: [alice, bob, carol, breakGlass, guest, ...extras] }),
    engagement: DECLARED,
    expect: {
      state: 'fail',
      findings: [
        // Without a device code policy Staff membership does not matter, so Alice shares the extras' class.
        { messageId: 'gap', key: `${ID}:${alice.id}`, data: { classSize: 12, accounts: `${[alice, ...extras.slice(0, 9)].map(upn).join(', ')} and 2 more` } },
        gapFor(bob),
        gapFor(carol),
        gapFor(guest),
      ],
    },
  },
  {
    name: 'no device code policy at all',
    tenant: tenant(withPolicy(blockDeviceCode, null)),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone.map((finding) => ({ ...finding, data: { ...finding.data, whyNotCovered: ['no policy would close this gap'] } })) },
  },
  {
    name: 'excluded group leaves its members open',
    tenant: tenant(withPolicy(blockDeviceCode, deviceCodeBlock({ users: { excludeUsers: [breakGlass.id!], excludeGroups: [staff.id!] } }))),
    engagement: DECLARED,
    expect: {
      state: 'fail',
      findings: [
        { ...gapFor(alice), data: { user: upn(alice), whyNotCovered: ['Block device code flow (enabled): the user is not included or is excluded'] } },
        gapFor(carol),
        { messageId: 'policy-exclusions', data: { policy: 'Block device code flow', exclusions: ['group Staff'] } },
      ],
    },
  },
  {
    name: 'excluded app leaves that app open',
    tenant: tenant(withPolicy(blockDeviceCode, deviceCodeBlock({ applications: { includeApplications: ['All'], excludeApplications: ['00000002-0000-0ff1-ce00-000000000000'] } }))),
    engagement: DECLARED,
    expect: {
      state: 'fail',
      findings: [
        ...everyone.map((finding) => ({ ...finding, data: { ...finding.data, apps: ['Office 365 Exchange Online'] } })),
        { messageId: 'policy-exclusions', data: { exclusions: ['app Office 365 Exchange Online'] } },
      ],
    },
  },
  {
    name: 'risk-scoped block does not count',
    tenant: tenant(withPolicy(blockDeviceCode, deviceCodeBlock({ signInRiskLevels: ['high', 'medium'] }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone.map((finding) => ({ ...finding, data: { ...finding.data, whyNotCovered: ['Block device code flow (enabled): the policy applies only at some sign-in risk levels'] } })) },
  },
  {
    name: 'platform-scoped block leaves other platforms',
    tenant: tenant(withPolicy(blockDeviceCode, deviceCodeBlock({ platforms: { includePlatforms: ['android', 'iOS'], excludePlatforms: [] } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone.map((finding) => ({ ...finding, data: { ...finding.data, platforms: ['windows', 'macOS', 'linux', 'windowsPhone', 'unknown'] } })) },
  },
  {
    name: 'location-scoped block leaves other locations',
    tenant: tenant(withPolicy(blockDeviceCode, deviceCodeBlock({ locations: { includeLocations: ['All'], excludeLocations: ['AllTrusted'] } })), {
      namedLocations: [{ '@odata.type': '#microsoft.graph.ipNamedLocation', id: 'loc-office', displayName: 'Office', isTrusted: true, ipRanges: [{ cidrAddress: '203.0.113.0/24' }] } as Graph.NamedLocation],
    }),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone.map((finding) => ({ ...finding, data: { ...finding.data, locations: ['an IP address in Office'] } })) },
  },
  {
    name: 'malformed device filter makes the block not count',
    tenant: tenant(withPolicy(blockDeviceCode, deviceCodeBlock({ devices: { deviceFilter: { mode: 'exclude', rule: 'device.trustType -eq "AzureAD' } } }))),
    engagement: DECLARED,
    expect: { state: 'fail', findings: everyone.map((finding) => ({ ...finding, data: { ...finding.data, whyNotCovered: ['Block device code flow (enabled): a condition cannot be evaluated'] } })) },
  },
  {
    name: 'second block with an unreadable condition is reported',
    tenant: tenant([...withPolicy(blockDeviceCode, blockDeviceCode), policy({ displayName: 'Block device code on kiosks', conditions: { users: EXCLUDE_BREAK_GLASS, authenticationFlows: { transferMethods: 'deviceCodeFlow' }, devices: { deviceFilter: { mode: 'include', rule: 'device.model -like "Kiosk*"' } } } as never, grantControls: block })]),
    engagement: DECLARED,
    expect: { state: 'warn', findings: [{ messageId: 'uncertain', data: { details: ['Block device code on kiosks: invalid device filter rule at character 14: unknown operator -like in rule "device.model -like \\"Kiosk*\\""'] } }] },
  },
  {
    name: 'policies not collected',
    tenant: { users: [alice] },
    statuses: { conditionalAccessPolicies: { status: 'forbidden', permission: 'Policy.Read.All' } },
    expect: { state: 'skipped', skipReason: 'permission-missing' },
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
