import type * as Graph from '@microsoft/microsoft-graph-types';

import { asList } from '../../conditional-access/policy.js';
import { policyEvidence } from '../evidence.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';

const ID = 'token-protection-policy-is-enabled';

type Message = 'enforced' | 'not-enforced' | 'no-policy' | 'report-only' | 'disabled' | 'targets-nobody';

export const tokenProtectionPolicyIsEnabled: CheckDefinition<Message> = {
  id: ID,
  area: 'device-compliance',
  title: 'A Conditional Access policy requires token protection for sign-in sessions',
  severity: 'medium',
  rationale:
    'Token protection binds a sign-in session\'s refresh token to the device it was issued to, so a token copied off that device by malware or a phishing proxy is rejected when replayed elsewhere. It is the control aimed directly at token replay.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Protection > Conditional Access > New policy.',
      'Users: a pilot group first, then all users; Target resources: Office 365 Exchange Online, Office 365 SharePoint Online and Microsoft Teams Services.',
      'Conditions: Device platforms Windows; Client apps Mobile apps and desktop clients.',
      'Session: Require token protection for sign-in sessions; start in report-only, review the sign-in logs, then turn it on.',
    ],
    graph: [
      {
        method: 'POST',
        path: '/identity/conditionalAccess/policies',
        body: {
          displayName: 'Require token protection for Windows desktop sessions',
          state: 'enabledForReportingButNotEnforced',
          conditions: {
            users: { includeGroups: ['{pilot-group-id}'] },
            applications: { includeApplications: ['00000002-0000-0ff1-ce00-000000000000', '00000003-0000-0ff1-ce00-000000000000', 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe'] },
            platforms: { includePlatforms: ['windows'] },
            clientAppTypes: ['mobileAppsAndDesktopClients'],
          },
          sessionControls: { secureSignInSession: { isEnabled: true } },
        },
      },
    ],
  },
  clientText: 'We checked whether sign-in sessions are locked to the device they started on, so a stolen session cannot be reused elsewhere.',
  scopeClass: 'hardening-project',
  requires: [{ resource: 'conditionalAccessPolicies' }],
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-token-protection',
    'https://learn.microsoft.com/graph/api/resources/conditionalaccesssessioncontrols',
  ],
  knownLimitations: [
    'Token protection works only on supported platforms and apps (Windows desktop apps for Exchange, SharePoint and Teams among them); the check confirms an enabled policy exists and targets someone, not that its scope matches Microsoft\'s supported list.',
    'Microsoft recommends companion policies (block unknown platforms, require compliant devices elsewhere) because other platforms bypass token protection; the compliant-device coverage check covers those.',
  ],
  messages: {
    enforced: { text: 'Token protection is enforced by {policies}.' },
    'not-enforced': { text: 'No enabled policy enforces token protection.' },
    'no-policy': {
      text: 'No Conditional Access policy requires token protection (session control "Require token protection for sign-in sessions").',
      client: 'Sign-in sessions are not locked to the device they started on, so a stolen session works from anywhere.',
    },
    'report-only': {
      text: 'Policy "{policy}" requires token protection but is report-only, so nothing is enforced.',
      client: 'The rule that locks sessions to devices ("{policy}") is only monitoring.',
    },
    disabled: {
      text: 'Policy "{policy}" requires token protection but is disabled.',
      client: 'The rule that locks sessions to devices ("{policy}") is switched off.',
    },
    'targets-nobody': {
      text: 'Policy "{policy}" requires token protection and is enabled, but its users condition includes nobody.',
      client: 'The rule that locks sessions to devices ("{policy}") applies to nobody.',
    },
  },
  evaluate({ snapshot }): CheckOutcome<Message> {
    const policies = (snapshot.resources.conditionalAccessPolicies ?? []).filter((policy) => policy.sessionControls?.secureSignInSession?.isEnabled === true);
    const effective = policies.filter((policy) => policy.state === 'enabled' && targetsSomeone(policy));
    if (effective.length > 0) {
      return { state: 'pass', summary: { messageId: 'enforced', data: { policies: effective.map((policy) => policy.displayName ?? policy.id ?? '') } }, findings: [] };
    }
    if (policies.length === 0) {
      const data = {};
      return { state: 'fail', summary: { messageId: 'no-policy', data }, findings: [{ key: ID, messageId: 'no-policy', data, objects: [] }] };
    }

    const findings: Finding<Message>[] = policies.map((policy) => {
      let messageId: Message = 'disabled';
      if (policy.state === 'enabledForReportingButNotEnforced') messageId = 'report-only';
      else if (policy.state === 'enabled') messageId = 'targets-nobody';
      return { key: `${ID}:${policy.id}`, messageId, data: { policy: policy.displayName ?? policy.id ?? '' }, objects: [policyEvidence(policy)] };
    });
    return { state: 'fail', summary: { messageId: 'not-enforced', data: {} }, findings };
  },
};

/** Returns false when the user condition selects no user (`includeUsers: ["None"]` and nothing else). */
function targetsSomeone(policy: Graph.ConditionalAccessPolicy): boolean {
  const users = policy.conditions?.users;
  if (!users) return asList(policy.conditions?.clientApplications?.includeServicePrincipals).length > 0;
  const includeUsers = asList(users.includeUsers).filter((value) => value.toLowerCase() !== 'none');
  return includeUsers.length + asList(users.includeGroups).length + asList(users.includeRoles).length > 0 || users.includeGuestsOrExternalUsers != null;
}
