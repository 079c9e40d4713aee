import { policyEvidence } from '../evidence.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { describePolicy, describePolicyForClient } from './describe.js';

const ID = 'conditional-access-policies-are-enforced';

type Message = 'all-enforced' | 'not-enforced-summary' | 'report-only-policy' | 'disabled-policy';

export const conditionalAccessPoliciesAreEnforced: CheckDefinition<Message> = {
  id: ID,
  area: 'conditional-access',
  title: 'Conditional Access policies are enforced, not report-only or disabled',
  severity: 'medium',
  rationale:
    'A report-only policy is evaluated and logged but never enforced, and a disabled policy is not evaluated at all. Either can look like protection in the portal while stolen tokens and phishing sign-ins pass through. Each one should be switched on after its report-only results are reviewed, or deleted.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Protection > Conditional Access > Policies and filter by state.',
      'For each report-only policy, review its results in the sign-in logs (Report-only tab) or the Conditional Access insights workbook, then set Enable policy to On.',
      'Delete disabled policies that are no longer wanted, so the policy list shows what is enforced.',
    ],
    graph: [
      { method: 'PATCH', path: '/identity/conditionalAccess/policies/{policy-id}', body: { state: 'enabled' }, note: 'Needs Policy.ReadWrite.ConditionalAccess.' },
      { method: 'DELETE', path: '/identity/conditionalAccess/policies/{policy-id}', note: 'Removes a disabled policy that is no longer wanted.' },
    ],
  },
  clientText: 'We checked for sign-in rules that are set up but only monitoring, or switched off, so they do not protect anyone.',
  scopeClass: 'hardening-project',
  requires: [
    { resource: 'conditionalAccessPolicies' },
    { resource: 'users', optional: true },
    { resource: 'groups', optional: true },
    { resource: 'namedLocations', optional: true },
    { resource: 'servicePrincipals', optional: true },
  ],
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-report-only',
    'https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy',
  ],
  knownLimitations: [
    'The check cannot tell a policy parked on purpose from one forgotten; a report-only policy under evaluation is still listed, so the technician can confirm a date to enable it.',
    'Microsoft-managed policies that Microsoft created in report-only mode are listed like any other policy.',
  ],
  messages: {
    'all-enforced': { text: 'Every Conditional Access policy is enabled ({count} {count|policy|policies}).' },
    'not-enforced-summary': { text: '{reportOnly} report-only and {disabled} disabled of {count} Conditional Access {count|policy|policies}.' },
    'report-only-policy': {
      text: 'Policy "{policy}" is report-only, so it is logged but not enforced. It would enforce: {enforces}.',
      client: 'The sign-in rule "{policy}" only records what it would do, so it protects nobody; switched on, it would {wouldDo}.',
    },
    'disabled-policy': {
      text: 'Policy "{policy}" is disabled. It would enforce: {enforces}.',
      client: 'The sign-in rule "{policy}" is switched off; switched on, it would {wouldDo}.',
    },
  },
  evaluate({ snapshot }): CheckOutcome<Message> {
    const policies = snapshot.resources.conditionalAccessPolicies ?? [];
    const findings: Finding<Message>[] = [];
    let reportOnly = 0;
    let disabled = 0;
    for (const policy of policies) {
      if (policy.state === 'enabled') continue;
      const isReportOnly = policy.state === 'enabledForReportingButNotEnforced';
      if (isReportOnly) reportOnly += 1;
      else disabled += 1;
      findings.push({
        key: `${ID}:${policy.id}`,
        messageId: isReportOnly ? 'report-only-policy' : 'disabled-policy',
        data: { policy: policy.displayName ?? policy.id ?? '', enforces: describePolicy(snapshot, policy), wouldDo: describePolicyForClient(snapshot, policy) },
        ...(isReportOnly ? {} : { severity: 'low' as const }),
        objects: [policyEvidence(policy)],
      });
    }
    if (findings.length === 0) return { state: 'pass', summary: { messageId: 'all-enforced', data: { count: policies.length } }, findings };
    return { state: 'warn', summary: { messageId: 'not-enforced-summary', data: { reportOnly, disabled, count: policies.length } }, findings };
  },
};
