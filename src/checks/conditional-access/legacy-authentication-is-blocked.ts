import { COVERAGE_REQUIRES, evaluateCoverageCheck, type CoverageMessage } from '../../conditional-access/check-support.js';
import type { CheckDefinition } from '../types.js';

const ID = 'legacy-authentication-is-blocked';

export const legacyAuthenticationIsBlocked: CheckDefinition<CoverageMessage> = {
  id: ID,
  area: 'conditional-access',
  title: 'Legacy authentication is blocked for all users',
  severity: 'high',
  rationale:
    'Legacy authentication clients (Exchange ActiveSync and other clients such as IMAP, POP, SMTP and older Office) cannot perform MFA, so a stolen or sprayed password works against them. Both client app types, exchangeActiveSync and other, must be blocked; a policy that selects only one leaves the other open.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Protection > Conditional Access > Create new policy.',
      'Users: include All users; exclude only the declared break-glass accounts.',
      'Target resources: All resources.',
      'Conditions > Client apps: Configure = Yes; select Exchange ActiveSync clients and Other clients only.',
      'Grant: Block access. Create it in Report-only, review the sign-in logs for legacy clients, then set it to On.',
    ],
    graph: [
      {
        method: 'POST',
        path: '/identity/conditionalAccess/policies',
        body: {
          displayName: 'Block legacy authentication',
          state: 'enabled',
          conditions: { users: { includeUsers: ['All'], excludeUsers: ['{break-glass-user-id}'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['exchangeActiveSync', 'other'] },
          grantControls: { operator: 'OR', builtInControls: ['block'] },
        },
        note: 'Needs Policy.ReadWrite.ConditionalAccess.',
      },
    ],
  },
  clientText: 'We checked that old mail and sign-in protocols, which cannot ask for a second factor, are switched off.',
  scopeClass: 'hardening-project',
  requires: COVERAGE_REQUIRES,
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication',
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-conditions#client-apps',
  ],
  knownLimitations: [
    'Only an explicit block counts. A policy that requires MFA or a compliant device also stops legacy clients in practice, because they cannot satisfy it, but it is not counted.',
    'Security defaults also block legacy authentication; a tenant that relies on them is assessed by the security defaults check.',
  ],
  messages: {
    covered: { text: 'Legacy authentication (exchangeActiveSync and other) is blocked for all {users} enabled {users|user|users} ({classes} user {classes|class|classes}).' },
    'covered-except-break-glass': { text: 'Legacy authentication is blocked for every enabled user except the declared break-glass accounts ({breakGlass}).' },
    'gaps-found': {
      text: 'Legacy authentication is not blocked for {users} {users|user|users} in {classes} user {classes|class|classes}; {policies} enabled {policies|policy blocks|policies block} it for others.',
      client: 'Some accounts can still sign in through old protocols that cannot ask for a second factor.',
    },
    gap: {
      text: 'Legacy authentication by {accounts} (user class of {classSize} with the same policy assignments) is not blocked: clients {clientAppTypes}; apps {apps}; platforms {platforms}; locations {locations}. Why not: {whyNotCovered}.',
      client: '{accounts} can sign in through old protocols with a password alone.',
    },
    'suspected-break-glass-gap': {
      text: '{user} looks like a break-glass account and legacy authentication is not blocked for it (clients {clientAppTypes}). This would pass if the account is declared as emergency access in the engagement file; otherwise close the gap. Why not: {whyNotCovered}.',
      client: '{user} appears to be an emergency account; please confirm it so we can assess it correctly.',
    },
    'report-only-policy': {
      text: 'Policy "{policy}" would block legacy authentication but is in report-only mode, so it blocks nothing.',
      client: 'A rule that would switch off old protocols is set to monitoring only.',
    },
    'policy-exclusions': {
      text: 'Policy "{policy}" blocks legacy authentication but excludes {exclusions}.',
      client: 'A rule that switches off old protocols has exceptions that are not emergency accounts.',
    },
    uncertain: {
      text: 'Some conditions of legacy authentication policies could not be evaluated offline: {details}. Review them in the Entra What If tool.',
      client: 'Part of the legacy protocol protection could not be verified automatically and needs a manual review.',
    },
    incomplete: {
      text: 'Coverage cannot be decided from this snapshot: {limitations} Collect the missing data (see the skipped resources) and assess again.',
      client: 'We could not confirm this protection because part of your directory data was not available to us; we will check it again once it is.',
    },
  },
  evaluate: (context) => evaluateCoverageCheck(ID, 'legacyAuthentication', context),
};
