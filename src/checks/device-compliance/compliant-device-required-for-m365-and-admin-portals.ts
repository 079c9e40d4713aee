import { COVERAGE_REQUIRES, evaluateCoverageCheck, type CoverageMessage } from '../../conditional-access/check-support.js';
import type { CheckDefinition } from '../types.js';

const ID = 'compliant-device-required-for-m365-and-admin-portals';

export const compliantDeviceRequiredForM365AndAdminPortals: CheckDefinition<CoverageMessage> = {
  id: ID,
  area: 'device-compliance',
  title: 'Exchange, SharePoint, Teams and admin portals require a compliant or hybrid-joined device',
  severity: 'medium',
  rationale:
    'A token stolen by phishing is replayed from the attacker\'s own machine. Requiring a compliant (Intune-managed) or hybrid-joined device for Exchange Online, SharePoint Online, Teams and the admin portals means a sign-in from an unregistered or unmanaged device is refused, whatever credentials it carries.',
  remediation: {
    portal: [
      'Make sure managed devices report compliance (Intune compliance policies) or are hybrid joined before enforcing.',
      'Open the Microsoft Entra admin center > Protection > Conditional Access > Create new policy.',
      'Users: include All users; exclude only the declared break-glass accounts.',
      'Target resources: select Office 365 and Microsoft Admin Portals (or All resources).',
      'Grant: Require device to be marked as compliant, or Require Microsoft Entra hybrid joined device (Require one of the selected controls).',
      'Create it in Report-only, review which users sign in from unmanaged devices, then set it to On.',
    ],
    graph: [
      {
        method: 'POST',
        path: '/identity/conditionalAccess/policies',
        body: {
          displayName: 'Require compliant or hybrid-joined device for Microsoft 365 and admin portals',
          state: 'enabled',
          conditions: { users: { includeUsers: ['All'], excludeUsers: ['{break-glass-user-id}'] }, applications: { includeApplications: ['Office365', 'MicrosoftAdminPortals'] }, clientAppTypes: ['all'] },
          grantControls: { operator: 'OR', builtInControls: ['compliantDevice', 'domainJoinedDevice'] },
        },
        note: 'Needs Policy.ReadWrite.ConditionalAccess; compliance needs Intune.',
      },
    ],
  },
  clientText: 'We checked that email, files, Teams and admin portals can only be opened from company-managed devices.',
  scopeClass: 'hardening-project',
  requires: COVERAGE_REQUIRES,
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-all-users-device-compliance',
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-conditional-access-grant#require-device-to-be-marked-as-compliant',
  ],
  knownLimitations: [
    'The admin portals are represented by the Azure portal app; Microsoft does not publish the app ids of the Microsoft Admin Portals group.',
    'Sign-ins are tested from an unregistered device and from a registered device that is not compliant; a policy that exempts some managed devices by filter is not a gap.',
    'Whether devices actually report compliance in Intune is not assessed here.',
  ],
  messages: {
    covered: { text: 'Exchange, SharePoint, Teams and the admin portals require a compliant or hybrid-joined device for all {users} enabled {users|user|users} ({classes} user {classes|class|classes}).' },
    'covered-except-break-glass': { text: 'A compliant or hybrid-joined device is required for every enabled user except the declared break-glass accounts ({breakGlass}).' },
    'gaps-found': {
      text: '{users} {users|user|users} in {classes} user {classes|class|classes} can reach Microsoft 365 or admin portals from an unmanaged device; {policies} enabled {policies|policy requires|policies require} a managed device for others.',
      client: 'Some accounts can open email, files or admin portals from any device, including an attacker\'s.',
    },
    gap: {
      text: '{accounts} (user class of {classSize} with the same policy assignments) can reach {apps} from an unmanaged device: clients {clientAppTypes}; platforms {platforms}; locations {locations}; devices {devices}. Why not: {whyNotCovered}.',
      client: '{accounts} can open company data from unmanaged devices.',
    },
    'suspected-break-glass-gap': {
      text: '{user} looks like a break-glass account and is not required to use a managed device (apps {apps}). This would pass if the account is declared as emergency access in the engagement file; otherwise close the gap. Why not: {whyNotCovered}.',
      client: '{user} appears to be an emergency account; please confirm it so we can assess it correctly.',
    },
    'report-only-policy': {
      text: 'Policy "{policy}" would require a compliant or hybrid-joined device but is in report-only mode, so it enforces nothing.',
      client: 'A rule that would require company-managed devices is set to monitoring only.',
    },
    'policy-exclusions': {
      text: 'Policy "{policy}" requires a compliant or hybrid-joined device but excludes {exclusions}.',
      client: 'A rule that requires company-managed devices has exceptions that are not emergency accounts.',
    },
    uncertain: {
      text: 'Some conditions of device requirement policies could not be evaluated offline: {details}. Review them in the Entra What If tool.',
      client: 'Part of the managed-device protection could not be verified automatically and needs a manual review.',
    },
    incomplete: {
      text: 'Coverage cannot be decided from this snapshot: {limitations} Collect the missing data (see the skipped resources) and assess again.',
      client: 'We could not confirm this protection because part of your directory data was not available to us; we will check it again once it is.',
    },
  },
  evaluate: (context) => evaluateCoverageCheck(ID, 'compliantDevice', context),
};
