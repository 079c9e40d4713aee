import { evaluateCoverageCheck, type CoverageMessage } from '../../conditional-access/check-support.js';
import type { CheckDefinition } from '../types.js';

const ID = 'mfa-required-for-all-users';

export const mfaRequiredForAllUsers: CheckDefinition<CoverageMessage> = {
  id: ID,
  area: 'conditional-access',
  title: 'MFA is required for all users on all resources',
  severity: 'high',
  rationale:
    'A password alone is enough to take over any account that is not asked for multifactor authentication. The requirement must hold for every user, resource, client, platform and location: a policy that applies only at some sign-in risk, on some platforms, from some locations or for some flows leaves every other sign-in open. "MFA or terms of use" lets a user pass by accepting the terms, so it is not MFA.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Protection > Conditional Access > Create new policy.',
      'Users: include All users; exclude only the declared break-glass accounts.',
      'Target resources: All resources, with no exclusions.',
      'Leave Conditions unset (no risk, platform, location or flow conditions).',
      'Grant: Require multifactor authentication, or Require authentication strength "Multifactor authentication"; do not offer it as one choice among controls that are not MFA.',
      'Create it in Report-only, review the impact, then set it to On.',
    ],
    graph: [
      {
        method: 'POST',
        path: '/identity/conditionalAccess/policies',
        body: {
          displayName: 'Require MFA for all users',
          state: 'enabled',
          conditions: { users: { includeUsers: ['All'], excludeUsers: ['{break-glass-user-id}'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
          grantControls: { operator: 'OR', builtInControls: ['mfa'] },
        },
        note: 'Needs Policy.ReadWrite.ConditionalAccess.',
      },
    ],
  },
  clientText: 'We checked that every account is asked for a second factor, whatever app, device or place it signs in from.',
  scopeClass: 'hardening-project',
  requires: [
    { resource: 'conditionalAccessPolicies' },
    { resource: 'users' },
    { resource: 'groupMembers', optional: true },
    { resource: 'roleAssignments', optional: true },
    { resource: 'namedLocations', optional: true },
    { resource: 'authenticationStrengthPolicies', optional: true },
  ],
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-mfa-strength',
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-policies',
  ],
  knownLimitations: [
    'Legacy authentication clients are left to the legacy authentication check, because they cannot perform MFA at all.',
    'A sign-in from a trusted location that a policy excludes is reported as a gap, since the exclusion waives MFA there.',
    'Security defaults are not counted here; a tenant that relies on them instead of Conditional Access is assessed by the security defaults check.',
    'A custom authentication strength counts as MFA only when every combination it allows has two factors.',
  ],
  messages: {
    covered: { text: 'Every sign-in tested for all {users} enabled {users|user|users} ({classes} user {classes|class|classes}) requires MFA or is blocked.' },
    'covered-except-break-glass': { text: 'MFA is required for every enabled user except the declared break-glass accounts ({breakGlass}), which are excluded on purpose.' },
    'gaps-found': {
      text: '{users} {users|user|users} in {classes} user {classes|class|classes} can sign in without MFA; {policies} enabled {policies|policy requires|policies require} MFA for others.',
      client: 'Some accounts can be signed into with a password alone.',
    },
    gap: {
      text: '{accounts} (user class of {classSize} with the same policy assignments) can sign in without MFA: apps {apps}; clients {clientAppTypes}; platforms {platforms}; locations {locations}; devices {devices}. Why not: {whyNotCovered}.',
      client: '{accounts} can be signed into with a password alone.',
    },
    'suspected-break-glass-gap': {
      text: '{user} looks like a break-glass account and is not asked for MFA (apps {apps}). This would pass if the account is declared as emergency access in the engagement file; otherwise close the gap. Why not: {whyNotCovered}.',
      client: '{user} appears to be an emergency account; please confirm it so we can assess it correctly.',
    },
    'report-only-policy': {
      text: 'Policy "{policy}" would require MFA but is in report-only mode, so it enforces nothing.',
      client: 'A rule that would require a second factor is switched to monitoring only.',
    },
    'policy-exclusions': {
      text: 'Policy "{policy}" requires MFA but excludes {exclusions}.',
      client: 'A rule that requires a second factor has exceptions that are not emergency accounts.',
    },
    uncertain: {
      text: 'Some conditions of MFA policies could not be evaluated offline: {details}. Review them in the Entra What If tool.',
      client: 'Part of the MFA protection could not be verified automatically and needs a manual review.',
    },
    incomplete: {
      text: 'Coverage cannot be decided from this snapshot: {limitations} Collect the missing data (see the skipped resources) and assess again.',
      client: 'We could not confirm this protection because part of your directory data was not available to us; we will check it again once it is.',
    },
  },
  evaluate: (context) => evaluateCoverageCheck(ID, 'mfa', context),
};
