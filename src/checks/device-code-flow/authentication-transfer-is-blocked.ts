import { COVERAGE_REQUIRES, evaluateCoverageCheck, type CoverageMessage } from '../../conditional-access/check-support.js';
import type { CheckDefinition } from '../types.js';

const ID = 'authentication-transfer-is-blocked';

export const authenticationTransferIsBlocked: CheckDefinition<CoverageMessage> = {
  id: ID,
  area: 'device-code-flow',
  title: 'Authentication transfer is blocked for all users and all resources',
  severity: 'medium',
  rationale:
    'Authentication transfer moves a signed-in session from a computer to a phone by a QR code. An attacker who tricks a user into scanning or relaying that code gets a session without knowing the password. Microsoft lets Conditional Access block the flow for all users and all resources, and marks sessions started this way so later token requests are blocked too.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Protection > Conditional Access > Create new policy.',
      'Users: include All users; exclude only the declared break-glass accounts.',
      'Target resources: All resources, with no exclusions.',
      'Conditions > Authentication flows: Configure = Yes, select Authentication transfer.',
      'Grant: Block access. Create the policy in Report-only, review the sign-in logs for legitimate use, then set it to On.',
    ],
    graph: [
      {
        method: 'POST',
        path: '/identity/conditionalAccess/policies',
        body: {
          displayName: 'Block authentication transfer',
          state: 'enabled',
          conditions: {
            users: { includeUsers: ['All'], excludeUsers: ['{break-glass-user-id}'] },
            applications: { includeApplications: ['All'] },
            clientAppTypes: ['all'],
            authenticationFlows: { transferMethods: 'authenticationTransfer' },
          },
          grantControls: { operator: 'OR', builtInControls: ['block'] },
        },
        note: 'Needs Policy.ReadWrite.ConditionalAccess; create it with state enabledForReportingButNotEnforced first if users move sessions to phones this way.',
      },
    ],
  },
  clientText: 'We checked that signed-in sessions cannot be handed from a computer to another device by QR code.',
  scopeClass: 'hardening-project',
  requires: COVERAGE_REQUIRES,
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows',
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows',
  ],
  knownLimitations: [
    'Authentication transfer is tested from desktop and mobile clients only, the client type that starts the transfer.',
    'Membership of the Office365 and MicrosoftAdminPortals app groups comes from dated tables in tokengap, because Microsoft does not publish their app ids.',
  ],
  messages: {
    covered: { text: 'An enabled policy blocks authentication transfer for all {users} enabled {users|user|users} ({classes} user {classes|class|classes}) on every resource tested.' },
    'covered-except-break-glass': { text: 'Authentication transfer is blocked for every enabled user except the declared break-glass accounts ({breakGlass}), which are excluded on purpose.' },
    'gaps-found': {
      text: 'Authentication transfer is not blocked for {users} {users|user|users} in {classes} user {classes|class|classes}; {policies} enabled {policies|policy blocks|policies block} it for others.',
      client: 'Some accounts can hand their signed-in session to another device by QR code.',
    },
    gap: {
      text: 'Authentication transfers by {accounts} (user class of {classSize} with the same policy assignments) are not blocked: apps {apps}; platforms {platforms}; locations {locations}; devices {devices}. Why not: {whyNotCovered}.',
      client: '{accounts} can hand their session to another device by QR code.',
    },
    'suspected-break-glass-gap': {
      text: '{user} looks like a break-glass account and has no authentication transfer block (apps {apps}). This would pass if the account is declared as emergency access in the engagement file; otherwise close the gap. Why not: {whyNotCovered}.',
      client: '{user} appears to be an emergency account; please confirm it so we can assess it correctly.',
    },
    'report-only-policy': {
      text: 'Policy "{policy}" would block authentication transfer but is in report-only mode, so it blocks nothing.',
      client: 'A rule that would block session transfer by QR code is switched to monitoring only.',
    },
    'policy-exclusions': {
      text: 'Policy "{policy}" blocks authentication transfer but excludes {exclusions}.',
      client: 'A rule that blocks session transfer by QR code has exceptions that are not emergency accounts.',
    },
    uncertain: {
      text: 'Some conditions of authentication transfer blocking policies could not be evaluated offline: {details}. Review them in the Entra What If tool.',
      client: 'Part of the session-transfer protection could not be verified automatically and needs a manual review.',
    },
    incomplete: {
      text: 'Coverage cannot be decided from this snapshot: {limitations} Collect the missing data (see the skipped resources) and assess again.',
      client: 'We could not confirm this protection because part of your directory data was not available to us; we will check it again once it is.',
    },
  },
  evaluate: (context) => evaluateCoverageCheck(ID, 'authenticationTransfer', context),
};
