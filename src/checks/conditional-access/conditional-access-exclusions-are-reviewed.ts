import type * as Graph from '@microsoft/microsoft-graph-types';

import { asList } from '../../conditional-access/policy.js';
import type { Snapshot } from '../../snapshot/types.js';
import { objectName, policyEvidence, roleName } from '../evidence.js';
import { declaredBreakGlassIds } from '../privileged-access/break-glass.js';
import { nameList } from '../messages.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { appName, groupName, locationName, stateName, userName } from './describe.js';

const ID = 'conditional-access-exclusions-are-reviewed';

type Message = 'no-exclusions' | 'exclusions-summary' | 'policy-exclusions';

export const conditionalAccessExclusionsAreReviewed: CheckDefinition<Message> = {
  id: ID,
  area: 'conditional-access',
  title: 'Every Conditional Access exclusion is named and reviewed',
  severity: 'medium',
  rationale:
    'Attackers look for the accounts, groups, apps and locations a policy leaves out: a phishing kit only needs one excluded user, a sign-in from an excluded location, or an excluded app that can mint tokens. Each exclusion should be known, small and intended; only declared break-glass accounts are expected everywhere.',
  remediation: {
    portal: [
      'Open each policy named in the findings in the Microsoft Entra admin center > Protection > Conditional Access.',
      'Under Users > Exclude, Target resources > Exclude, Conditions > Locations and Device platforms > Exclude, remove every exclusion nobody can justify.',
      'Put the exclusions that stay into one reviewed group per purpose and review its members with an access review.',
    ],
    graph: [
      {
        method: 'PATCH',
        path: '/identity/conditionalAccess/policies/{policy-id}',
        body: { conditions: { users: { excludeUsers: [], excludeGroups: ['{break-glass-group-id}'] } } },
        note: 'PATCH replaces each list, so send the exclusions to keep.',
      },
    ],
  },
  clientText: 'We listed every person, group, app and place that your sign-in rules leave out, so you can confirm each one is intended.',
  scopeClass: 'fixed-fee-assessment',
  requires: [
    { resource: 'conditionalAccessPolicies' },
    { resource: 'users', optional: true },
    { resource: 'groups', optional: true },
    { resource: 'groupMembers', optional: true },
    { resource: 'namedLocations', optional: true },
    { resource: 'servicePrincipals', optional: true },
    { resource: 'roleDefinitions', optional: true },
  ],
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-users-groups#exclude-users',
    'https://learn.microsoft.com/entra/identity/conditional-access/plan-conditional-access#user-exclusions',
  ],
  knownLimitations: [
    'Disabled policies are not listed, because their exclusions have no effect.',
    'Exclusions that consist only of declared break-glass accounts, or of groups whose users are all declared break-glass accounts, are expected and not reported.',
    'Whether an exclusion is justified needs a person, so the state is manual when any exclusion exists.',
    'Group sizes count users through nested groups as of the snapshot; dynamic group rules are not read.',
  ],
  messages: {
    'no-exclusions': { text: 'No enabled or report-only policy excludes anything beyond declared break-glass accounts.' },
    'exclusions-summary': { text: 'Policies with exclusions to review: {count}.' },
    'policy-exclusions': {
      text: 'Policy "{policy}" ({state}) excludes {exclusions}.',
      client: 'The sign-in rule "{policy}" leaves out {clientExclusions}. Please confirm {exclusions|it is|each is} intended.',
    },
  },
  evaluate({ snapshot, engagement }): CheckOutcome<Message> {
    const breakGlass = declaredBreakGlassIds(snapshot, engagement);
    const findings: Finding<Message>[] = [];
    for (const policy of snapshot.resources.conditionalAccessPolicies ?? []) {
      if (policy.state === 'disabled') continue;
      const exclusions = exclusionsOf(snapshot, policy, breakGlass);
      if (exclusions.length === 0) continue;
      findings.push({
        key: `${ID}:${policy.id}`,
        messageId: 'policy-exclusions',
        data: {
          policy: policy.displayName ?? policy.id ?? '',
          state: stateName(policy),
          exclusions: exclusions.map((exclusion) => exclusion.text),
          clientExclusions: nameList(exclusions.map((exclusion) => exclusion.client), exclusions.length),
        },
        objects: [policyEvidence(policy)],
      });
    }
    if (findings.length === 0) return { state: 'pass', summary: { messageId: 'no-exclusions', data: {} }, findings };
    return { state: 'manual', summary: { messageId: 'exclusions-summary', data: { count: findings.length } }, findings };
  },
};

/** One exclusion: exact text for the technician, plain words for the client. */
interface Exclusion {
  text: string;
  client: string;
}

/** Lists every exclusion of a policy, leaving out declared break-glass accounts and groups of only them. */
function exclusionsOf(snapshot: Snapshot, policy: Graph.ConditionalAccessPolicy, breakGlass: ReadonlySet<string>): Exclusion[] {
  const conditions = policy.conditions;
  const users = conditions?.users;
  const exclusions: Exclusion[] = [];
  const add = (text: string, client: string): void => {
    exclusions.push({ text, client });
  };

  for (const id of asList(users?.excludeUsers)) {
    if (!breakGlass.has(id.toLowerCase())) add(`user ${userName(snapshot, id)}`, `the account ${userName(snapshot, id)}`);
  }
  for (const id of asList(users?.excludeGroups)) {
    const members = [...snapshot.directory.transitiveUsersOf(id)];
    const onlyBreakGlass = members.length > 0 && members.every((member) => breakGlass.has(member.toLowerCase()));
    if (!onlyBreakGlass) add(`group ${groupName(snapshot, id)}`, `the group ${groupName(snapshot, id)}`);
  }
  for (const id of asList(users?.excludeRoles)) add(`role ${roleName(snapshot, id)}`, `everyone holding the admin role ${roleName(snapshot, id)}`);
  const guests = users?.excludeGuestsOrExternalUsers;
  if (guests) add(`guest and external user types ${asList(guests.guestOrExternalUserTypes).join(', ')}`, 'some kinds of guests and outside accounts');

  for (const id of asList(conditions?.applications?.excludeApplications)) add(`resource ${appName(snapshot, id)}`, `the app ${appName(snapshot, id)}`);
  for (const id of asList(conditions?.locations?.excludeLocations)) add(`location ${locationName(snapshot, id)}`, `sign-ins from ${locationName(snapshot, id)}`);
  for (const platform of asList(conditions?.platforms?.excludePlatforms)) add(`platform ${platform}`, `${PLATFORM_NAMES[platform] ?? platform} devices`);
  for (const id of asList(conditions?.clientApplications?.excludeServicePrincipals)) {
    add(`workload identity ${objectName(snapshot, id, 'servicePrincipals')}`, `the app identity ${objectName(snapshot, id, 'servicePrincipals')}`);
  }
  const filter = conditions?.devices?.deviceFilter;
  if (filter?.rule && String(filter.mode).toLowerCase() === 'exclude') add(`devices matching ${filter.rule}`, 'devices picked by a filter rule');
  return exclusions;
}

/** Device platform names as people write them. */
const PLATFORM_NAMES: Readonly<Record<string, string>> = {
  android: 'Android',
  iOS: 'iPhone and iPad',
  windows: 'Windows',
  windowsPhone: 'Windows Phone',
  macOS: 'Mac',
  linux: 'Linux',
  unknown: 'unrecognised',
};
