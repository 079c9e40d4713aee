import { evaluateCoverageCheck, type CoverageMessage } from '../../conditional-access/check-support.js';
import type { CheckDefinition } from '../types.js';

const ID = 'admin-roles-require-phishing-resistant-mfa';

export const adminRolesRequirePhishingResistantMfa: CheckDefinition<CoverageMessage> = {
  id: ID,
  area: 'mfa-strength',
  title: 'Admin roles require phishing-resistant MFA',
  severity: 'high',
  rationale:
    'Adversary-in-the-middle kits relay push, SMS and one-time codes and steal the session token; only phishing-resistant methods (FIDO2 security keys, Windows Hello for Business, certificate-based MFA) bind the sign-in to the real site. Microsoft\'s template requires the built-in "Phishing-resistant MFA" authentication strength for 15 admin roles on all resources; a policy that lists only some of the roles leaves the others open.',
  remediation: {
    portal: [
      'Register a phishing-resistant method (FIDO2 security key, Windows Hello for Business or certificate-based authentication) for every admin first.',
      'Open the Microsoft Entra admin center > Protection > Conditional Access > Create new policy from template "Require phishing-resistant multifactor authentication for administrators", or create it by hand.',
      'Users: Directory roles: select all 15 roles of the template (Global, Application, Authentication, Billing, Cloud Application, Conditional Access, Exchange, Helpdesk, Password, Privileged Authentication, Privileged Role, Security, SharePoint, Teams and User Administrator); exclude only the declared break-glass accounts.',
      'Target resources: All resources.',
      'Grant: Require authentication strength > Phishing-resistant MFA. Start in Report-only, then set it to On.',
    ],
    graph: [
      {
        method: 'POST',
        path: '/identity/conditionalAccess/policies',
        body: {
          displayName: 'Require phishing-resistant MFA for administrators',
          state: 'enabled',
          conditions: { users: { includeRoles: ['{the 15 role template ids}'], excludeUsers: ['{break-glass-user-id}'] }, applications: { includeApplications: ['All'] }, clientAppTypes: ['all'] },
          grantControls: { operator: 'OR', authenticationStrength: { id: '00000000-0000-0000-0000-000000000004' } },
        },
        note: 'Needs Policy.ReadWrite.ConditionalAccess.',
      },
    ],
  },
  clientText: 'We checked that administrator accounts must sign in with a method that phishing sites cannot relay, such as a security key.',
  scopeClass: 'hardening-project',
  requires: [
    { resource: 'conditionalAccessPolicies' },
    { resource: 'users' },
    { resource: 'roleAssignments' },
    { resource: 'roleAssignmentScheduleInstances', optional: true },
    { resource: 'groupMembers', optional: true },
    { resource: 'namedLocations', optional: true },
    { resource: 'authenticationStrengthPolicies', optional: true },
  ],
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-admin-phish-resistant-mfa',
    'https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths',
  ],
  knownLimitations: [
    'Only active, tenant-wide role assignments are counted, as Conditional Access counts them; PIM-eligible admins are covered only while their role is active, and administrative-unit-scoped admins are not matched by role conditions.',
    'A custom authentication strength counts only when every combination it allows is FIDO2, Windows Hello for Business or multifactor certificate; FIDO2 key restrictions (AAGUIDs) are not assessed.',
    'Whether each admin has registered a phishing-resistant method is assessed by the method registration check, not here.',
  ],
  messages: {
    covered: { text: 'Every sign-in tested for the holders of the 15 admin roles requires the phishing-resistant strength or is blocked ({users} enabled {users|user|users}, {classes} user {classes|class|classes}).' },
    'covered-except-break-glass': { text: 'Phishing-resistant MFA is required for every admin except the declared break-glass accounts ({breakGlass}).' },
    'gaps-found': {
      text: '{users} {users|admin|admins} in {classes} user {classes|class|classes} can sign in without phishing-resistant MFA; {policies} enabled {policies|policy requires|policies require} it for others.',
      client: 'Some administrator accounts can sign in with methods that phishing sites can relay.',
    },
    gap: {
      text: '{classSize|Admin|Admins} {accounts} (user class of {classSize} with the same policy assignments) can sign in without phishing-resistant MFA: apps {apps}; clients {clientAppTypes}; platforms {platforms}; locations {locations}; devices {devices}. Why not: {whyNotCovered}.',
      client: '{classSize|The administrator|The administrators} {accounts} can sign in with methods that phishing sites can relay.',
    },
    'suspected-break-glass-gap': {
      text: '{user} looks like a break-glass account and is not required to use phishing-resistant MFA (apps {apps}). This would pass if the account is declared as emergency access in the engagement file; otherwise close the gap. Why not: {whyNotCovered}.',
      client: '{user} appears to be an emergency account; please confirm it so we can assess it correctly.',
    },
    'report-only-policy': {
      text: 'Policy "{policy}" would require phishing-resistant MFA but is in report-only mode, so it enforces nothing.',
      client: 'A rule that would require security keys for administrators is set to monitoring only.',
    },
    'policy-exclusions': {
      text: 'Policy "{policy}" requires phishing-resistant MFA but excludes {exclusions}.',
      client: 'A rule that requires security keys for administrators has exceptions that are not emergency accounts.',
    },
    uncertain: {
      text: 'Some conditions of phishing-resistant MFA policies could not be evaluated offline: {details}. Review them in the Entra What If tool.',
      client: 'Part of the administrator sign-in protection could not be verified automatically and needs a manual review.',
    },
    incomplete: {
      text: 'Coverage cannot be decided from this snapshot: {limitations} Collect the missing data (see the skipped resources) and assess again.',
      client: 'We could not confirm this protection because part of your directory data was not available to us; we will check it again once it is.',
    },
  },
  evaluate: (context) => evaluateCoverageCheck(ID, 'adminPhishingResistant', context),
};
