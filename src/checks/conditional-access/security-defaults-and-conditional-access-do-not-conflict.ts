import { tenantLicenses } from '../../entra/licenses.js';
import { policyEvidence } from '../evidence.js';
import type { CheckDefinition, CheckOutcome, EvidenceObject } from '../types.js';

const ID = 'security-defaults-and-conditional-access-do-not-conflict';

type Message = 'conditional-access-only' | 'security-defaults-only' | 'both-on' | 'neither-on' | 'policies-unknown';

export const securityDefaultsAndConditionalAccessDoNotConflict: CheckDefinition<Message> = {
  id: ID,
  area: 'conditional-access',
  title: 'Exactly one of security defaults and Conditional Access protects sign-ins',
  severity: 'high',
  rationale:
    'Security defaults give every tenant baseline MFA and block legacy authentication; Conditional Access replaces them in tenants with Entra ID P1, and Microsoft requires security defaults to be turned off when it does. With both on, the policies and the defaults fight; with neither on, nothing requires MFA or blocks legacy authentication.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Identity > Overview > Properties > Manage security defaults.',
      'If the tenant has Entra ID P1 and enabled Conditional Access policies for MFA and legacy authentication, set Security defaults to Disabled.',
      'If there is no enabled Conditional Access policy, either enable security defaults or create the baseline policies (MFA for all users, block legacy authentication) first.',
    ],
    graph: [
      { method: 'GET', path: '/policies/identitySecurityDefaultsEnforcementPolicy' },
      { method: 'PATCH', path: '/policies/identitySecurityDefaultsEnforcementPolicy', body: { isEnabled: false }, note: 'Only after the Conditional Access baseline is enabled.' },
    ],
  },
  clientText: 'We checked that one clear set of sign-in protections is switched on, rather than two that conflict or none at all.',
  scopeClass: 'included-support',
  requires: [{ resource: 'identitySecurityDefaultsEnforcementPolicy' }, { resource: 'conditionalAccessPolicies', optional: true }, { resource: 'subscribedSkus', optional: true }],
  references: [
    'https://learn.microsoft.com/entra/fundamentals/security-defaults',
    'https://learn.microsoft.com/graph/api/resources/identitysecuritydefaultsenforcementpolicy',
  ],
  knownLimitations: [
    'Only enabled policies count as Conditional Access being on; report-only policies do not enforce anything.',
    'The check does not judge whether the enabled policies cover what security defaults did; the MFA and legacy authentication coverage checks do.',
    'When Conditional Access policies were not collected and the tenant has Entra ID P1 (or its licenses are unknown), the result is manual.',
  ],
  messages: {
    'conditional-access-only': { text: 'Security defaults are off and {count} Conditional Access {count|policy is|policies are} enabled.' },
    'security-defaults-only': { text: 'Security defaults are on and no Conditional Access policy is enabled.' },
    'both-on': {
      text: 'Security defaults are on while {count} Conditional Access {count|policy is|policies are} enabled: {policies}. Microsoft requires security defaults to be off when Conditional Access is used.',
      client: 'Two sets of sign-in protections are switched on at once, which Microsoft does not support.',
    },
    'neither-on': {
      text: 'Security defaults are off and no Conditional Access policy is enabled{licenseNote}, so nothing requires MFA or blocks legacy authentication.',
      client: 'Neither Microsoft\'s baseline protections nor custom sign-in rules are switched on.',
    },
    'policies-unknown': {
      text: 'Security defaults are off, and Conditional Access policies were not collected, so whether any policy protects sign-ins is unknown.',
      client: 'We could not see your sign-in rules; please confirm they are switched on.',
    },
  },
  evaluate({ snapshot }): CheckOutcome<Message> {
    const defaultsOn = snapshot.resources.identitySecurityDefaultsEnforcementPolicy?.isEnabled === true;
    const defaultsObject: EvidenceObject = { type: 'identitySecurityDefaultsEnforcementPolicy', id: snapshot.resources.identitySecurityDefaultsEnforcementPolicy?.id ?? '00000000-0000-0000-0000-000000000000', displayName: 'Security defaults' };

    let policies = snapshot.resources.conditionalAccessPolicies;
    if (snapshot.statusOf('conditionalAccessPolicies').status !== 'collected' || policies === undefined) {
      // A tenant without Entra ID P1 cannot have Conditional Access policies, so they count as none.
      const licenses = tenantLicenses(snapshot);
      if (licenses.known && !licenses.has.has('entraIdP1')) policies = [];
      else if (defaultsOn) return { state: 'pass', summary: { messageId: 'security-defaults-only', data: {} }, findings: [] };
      else {
        const data = {};
        return { state: 'manual', summary: { messageId: 'policies-unknown', data }, findings: [{ key: ID, messageId: 'policies-unknown', data, objects: [defaultsObject] }] };
      }
    }

    const enabled = policies.filter((policy) => policy.state === 'enabled');
    if (defaultsOn && enabled.length > 0) {
      const data = { count: enabled.length, policies: enabled.map((policy) => policy.displayName ?? policy.id ?? '') };
      return { state: 'fail', summary: { messageId: 'both-on', data }, findings: [{ key: ID, messageId: 'both-on', data, severity: 'medium', objects: [defaultsObject, ...enabled.map(policyEvidence)] }] };
    }
    if (!defaultsOn && enabled.length === 0) {
      const licenses = tenantLicenses(snapshot);
      const data = { licenseNote: licenses.known && !licenses.has.has('entraIdP1') ? ' (the tenant has no Entra ID P1, so security defaults are its only option)' : '' };
      return { state: 'fail', summary: { messageId: 'neither-on', data }, findings: [{ key: ID, messageId: 'neither-on', data, severity: 'critical', objects: [defaultsObject] }] };
    }
    if (defaultsOn) return { state: 'pass', summary: { messageId: 'security-defaults-only', data: {} }, findings: [] };
    return { state: 'pass', summary: { messageId: 'conditional-access-only', data: { count: enabled.length } }, findings: [] };
  },
};
