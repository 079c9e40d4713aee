import { COVERAGE_REQUIRES, evaluateCoverageCheck, type CoverageMessage } from '../../conditional-access/check-support.js';
import type { CheckDefinition } from '../types.js';

const ID = 'device-code-flow-is-blocked';

export const deviceCodeFlowIsBlocked: CheckDefinition<CoverageMessage> = {
  id: ID,
  area: 'device-code-flow',
  title: 'Device code flow is blocked for all users and all resources',
  severity: 'high',
  rationale:
    'Device code phishing kits send a user a real Microsoft sign-in code; when the user enters it, the attacker receives the refresh token. A Conditional Access policy that blocks the device code flow for all users and all resources stops the attack, and Microsoft marks sessions started this way so later token requests are blocked too.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Protection > Conditional Access > Create new policy.',
      'Users: include All users; exclude only the declared break-glass accounts (and, if needed, a named group for devices such as meeting-room consoles, reviewed regularly).',
      'Target resources: All resources, with no exclusions.',
      'Conditions > Authentication flows: Configure = Yes, select Device code flow.',
      'Grant: Block access. Create the policy in Report-only, review the sign-in logs for legitimate device code use, then set it to On.',
    ],
    graph: [
      {
        method: 'POST',
        path: '/identity/conditionalAccess/policies',
        body: {
          displayName: 'Block device code flow',
          state: 'enabled',
          conditions: {
            users: { includeUsers: ['All'], excludeUsers: ['{break-glass-user-id}'] },
            applications: { includeApplications: ['All'] },
            clientAppTypes: ['all'],
            authenticationFlows: { transferMethods: 'deviceCodeFlow' },
          },
          grantControls: { operator: 'OR', builtInControls: ['block'] },
        },
        note: 'Needs Policy.ReadWrite.ConditionalAccess; create it with state enabledForReportingButNotEnforced first if the tenant may use device code sign-ins.',
      },
    ],
  },
  clientText: 'We checked that the sign-in method used by current device-code phishing kits is blocked for every account.',
  scopeClass: 'hardening-project',
  requires: COVERAGE_REQUIRES,
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows',
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows',
  ],
  knownLimitations: [
    'Device code sign-ins are tested from desktop and mobile clients only, the client type public clients use for this flow.',
    'Accounts excluded for devices that need the flow (for example meeting-room consoles) are reported as gaps; accept them as a risk by finding key when they are intended.',
    'Membership of the Office365 and MicrosoftAdminPortals app groups comes from dated tables in tokengap, because Microsoft does not publish their app ids.',
  ],
  messages: {
    covered: { text: 'An enabled policy blocks device code flow for all {users} enabled {users|user|users} ({classes} user {classes|class|classes}) on every resource tested.' },
    'covered-except-break-glass': { text: 'Device code flow is blocked for every enabled user except the declared break-glass accounts ({breakGlass}), which are excluded on purpose.' },
    'gaps-found': {
      text: 'Device code flow is not blocked for {users} {users|user|users} in {classes} user {classes|class|classes}; {policies} enabled {policies|policy blocks|policies block} it for others.',
      client: 'Some accounts can still be phished with the device-code technique used by current phishing kits.',
    },
    gap: {
      text: 'Device code sign-ins by {accounts} (user class of {classSize} with the same policy assignments) are not blocked: apps {apps}; platforms {platforms}; locations {locations}; devices {devices}. Why not: {whyNotCovered}.',
      client: '{accounts} can be phished with a device code.',
    },
    'suspected-break-glass-gap': {
      text: '{user} looks like a break-glass account and has no device code block (apps {apps}). This would pass if the account is declared as emergency access in the engagement file; otherwise close the gap. Why not: {whyNotCovered}.',
      client: '{user} appears to be an emergency account; please confirm it so we can assess it correctly.',
    },
    'report-only-policy': {
      text: 'Policy "{policy}" would block device code flow but is in report-only mode, so it blocks nothing.',
      client: 'A rule that would block device-code phishing is switched to monitoring only.',
    },
    'policy-exclusions': {
      text: 'Policy "{policy}" blocks device code flow but excludes {exclusions}.',
      client: 'A rule that blocks device-code phishing has exceptions that are not emergency accounts.',
    },
    uncertain: {
      text: 'Some conditions of device code blocking policies could not be evaluated offline: {details}. Review them in the Entra What If tool.',
      client: 'Part of the device-code protection could not be verified automatically and needs a manual review.',
    },
    incomplete: {
      text: 'Coverage cannot be decided from this snapshot: {limitations} Collect the missing data (see the skipped resources) and assess again.',
      client: 'We could not confirm this protection because part of your directory data was not available to us; we will check it again once it is.',
    },
  },
  evaluate: (context) => evaluateCoverageCheck(ID, 'deviceCodeFlow', context),
};
