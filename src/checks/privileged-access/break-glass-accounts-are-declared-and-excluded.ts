import type * as Graph from '@microsoft/microsoft-graph-types';

import { ROLE } from '../../entra/roles.js';
import { policyEvidence, userEvidence, userLabel } from '../evidence.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { breakGlassSigns, lockOutPoliciesFor } from './break-glass.js';

const ID = 'break-glass-accounts-are-declared-and-excluded';

type Message =
  | 'accounts-ready'
  | 'accounts-need-attention'
  | 'declared-not-found'
  | 'heuristic-candidate'
  | 'none-identified'
  | 'too-few-accounts'
  | 'not-excluded'
  | 'not-global-admin'
  | 'synced-account'
  | 'account-disabled';

/** Findings of these messages make the check fail; the others make it warn. */
const FAILING: ReadonlySet<Message> = new Set(['declared-not-found', 'not-excluded', 'synced-account', 'account-disabled']);

export const breakGlassAccountsAreDeclaredAndExcluded: CheckDefinition<Message> = {
  id: ID,
  area: 'privileged-access',
  title: 'Break-glass accounts are declared, cloud-only and excluded from Conditional Access lockout',
  severity: 'medium',
  rationale:
    'Emergency access (break-glass) accounts let the organization back in when Conditional Access, MFA or federation fails. Microsoft recommends at least two cloud-only accounts with permanent Global Administrator, excluded from Conditional Access policies that could lock them out, and an alert on every sign-in they make.',
  remediation: {
    portal: [
      'List the break-glass accounts in the engagement file (`breakGlassAccounts`, object id or UPN) so every check knows them.',
      'Make each a cloud-only account (not synced from on-premises) with a permanent Global Administrator assignment and a phishing-resistant method such as a FIDO2 security key.',
      'Create a group for them and add it to the excluded users of every Conditional Access policy that blocks or requires a grant control (Entra admin center > Protection > Conditional Access > each policy > Users > Exclude).',
      'Alert on every sign-in of these accounts (for example an Azure Monitor alert on the sign-in logs); the tokengap sign-in review lists their sign-ins.',
    ],
    graph: [
      {
        method: 'PATCH',
        path: '/identity/conditionalAccess/policies/{policy-id}',
        body: { conditions: { users: { excludeGroups: ['{break-glass-group-id}'] } } },
        note: 'Send the full excludeGroups list: PATCH replaces the array.',
      },
    ],
  },
  clientText: 'We checked the emergency accounts that let your organization back in if normal sign-in breaks.',
  scopeClass: 'hardening-project',
  requires: [
    { resource: 'users' },
    { resource: 'conditionalAccessPolicies', optional: true },
    { resource: 'roleAssignments', optional: true },
    { resource: 'groupMembers', optional: true },
  ],
  references: [
    'https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access',
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-mfa-strength#user-exclusions',
  ],
  knownLimitations: [
    'Without declared accounts the check guesses from names (break glass, emergency) and from cloud-only Global Administrators excluded from at least half of the enabled policies; a guess is reported as a warning to confirm, never as a pass.',
    'Only enabled policies count for lockout; report-only policies cannot block a sign-in.',
    'A policy that requires phishing-resistant MFA is still reported when it applies to a break-glass account, even if the account has a FIDO2 key; accept that finding if the key is stored safely.',
    'Fewer than two declared accounts is a warning; a declared account missing from the tenant fails and is not counted.',
    'Whether sign-ins of these accounts raise an alert cannot be read from Graph configuration; the sign-in review covers their sign-ins.',
  ],
  messages: {
    'accounts-ready': {
      text: 'Break-glass accounts ({mode}): {accounts}; each is cloud-only, enabled and excluded from every enabled policy that could lock it out. Alerting on their sign-ins is not visible in the configuration; the sign-in review lists them.',
    },
    'accounts-need-attention': { text: 'Break-glass accounts ({mode}): {accounts}; {count} {count|problem|problems} found.' },
    'declared-not-found': {
      text: 'The engagement file declares {declared} as a break-glass account, but no such user is in the snapshot.',
      client: 'An emergency account listed for your organization ({declared}) does not exist in the tenant.',
    },
    'heuristic-candidate': {
      text: '{account} looks like a break-glass account ({signs}) but is not declared; confirm it and add it to breakGlassAccounts in the engagement file.',
      client: '{account} appears to be an emergency account; please confirm so we can check it properly.',
    },
    'none-identified': {
      text: 'No break-glass account is declared in the engagement file and none was recognised in the tenant; Microsoft recommends two cloud-only emergency access accounts.',
      client: 'We found no emergency account to get back into your tenant if normal sign-in breaks.',
    },
    'too-few-accounts': {
      text: 'Only {count} break-glass account is declared; Microsoft recommends at least two, so one lost key or locked account still leaves a way in.',
      client: 'Your organization has only one emergency account; Microsoft recommends two.',
    },
    'not-excluded': {
      text: 'Break-glass account {account} is not excluded from {count} enabled {count|policy|policies} that {count|blocks or requires|block or require} or require a grant control: {policies}.',
      client: 'The emergency account {account} could be locked out by {count} sign-in {count|rule|rules}.',
    },
    'not-global-admin': {
      text: 'Break-glass account {account} has no active Global Administrator assignment, so it cannot repair the tenant in an emergency.',
      client: 'The emergency account {account} does not have the admin rights it would need in an emergency.',
    },
    'synced-account': {
      text: 'Break-glass account {account} is synced from on-premises Active Directory; an outage or compromise of AD or the sync would take it down too.',
      client: 'The emergency account {account} depends on your on-premises servers, so it fails when they do.',
    },
    'account-disabled': {
      text: 'Break-glass account {account} is disabled and cannot sign in.',
      client: 'The emergency account {account} is switched off.',
    },
  },
  evaluate({ snapshot, engagement }): CheckOutcome<Message> {
    const findings: Finding<Message>[] = [];
    const accounts: Graph.User[] = [];
    const declared = engagement?.breakGlassAccounts ?? [];
    let mode: string;

    if (declared.length > 0) {
      mode = 'declared in the engagement file';
      for (const value of declared) {
        const user = snapshot.directory.findUser(value);
        if (user) accounts.push(user);
        else findings.push({ key: `${ID}:${value}`, messageId: 'declared-not-found', data: { declared: value }, objects: [] });
      }
      if (accounts.length === 1) findings.push({ key: ID, messageId: 'too-few-accounts', data: { count: 1 }, severity: 'low', objects: [] });
    } else {
      mode = 'found by heuristics, not declared';
      for (const user of snapshot.resources.users ?? []) {
        const signs = breakGlassSigns(snapshot, user);
        if (signs.length === 0) continue;
        accounts.push(user);
        findings.push({ key: `${ID}:${user.id}/candidate`, messageId: 'heuristic-candidate', data: { account: userLabel(user), signs }, objects: [userEvidence(user)] });
      }
      if (accounts.length === 0) {
        const data = {};
        findings.push({ key: ID, messageId: 'none-identified', data, objects: [] });
        return { state: 'warn', summary: { messageId: 'none-identified', data }, findings };
      }
    }

    const rolesKnown = snapshot.statusOf('roleAssignments').status === 'collected';
    const policiesKnown = snapshot.statusOf('conditionalAccessPolicies').status === 'collected';
    for (const user of accounts) findings.push(...accountProblems(snapshot, user, rolesKnown, policiesKnown));

    const labels = accounts.map(userLabel);
    const problems = findings.filter((finding) => finding.messageId !== 'heuristic-candidate').length;
    if (findings.length === 0) return { state: 'pass', summary: { messageId: 'accounts-ready', data: { mode, accounts: labels } }, findings };
    // Problems of guessed accounts only warn: the account may not be a break-glass account at all.
    const state = declared.length > 0 && findings.some((finding) => FAILING.has(finding.messageId)) ? 'fail' : 'warn';
    return { state, summary: { messageId: 'accounts-need-attention', data: { mode, accounts: labels, count: problems } }, findings };
  },
};

function accountProblems(snapshot: Parameters<typeof lockOutPoliciesFor>[0], user: Graph.User, rolesKnown: boolean, policiesKnown: boolean): Finding<Message>[] {
  const account = userLabel(user);
  const objects = [userEvidence(user)];
  const findings: Finding<Message>[] = [];
  if (user.accountEnabled === false) findings.push({ key: `${ID}:${user.id}/disabled`, messageId: 'account-disabled', data: { account }, objects });
  if (user.onPremisesSyncEnabled === true) findings.push({ key: `${ID}:${user.id}/synced`, messageId: 'synced-account', data: { account }, objects });
  if (rolesKnown && !snapshot.directory.activeTenantRolesOf(user.id ?? '').has(ROLE.globalAdministrator)) {
    findings.push({ key: `${ID}:${user.id}/role`, messageId: 'not-global-admin', data: { account }, severity: 'low', objects });
  }
  if (policiesKnown) {
    const policies = lockOutPoliciesFor(snapshot, user);
    if (policies.length > 0) {
      findings.push({
        key: `${ID}:${user.id}`,
        messageId: 'not-excluded',
        data: { account, count: policies.length, policies: policies.map((policy) => policy.displayName ?? policy.id ?? '') },
        objects: [...objects, ...policies.map(policyEvidence)],
      });
    }
  }
  return findings;
}
