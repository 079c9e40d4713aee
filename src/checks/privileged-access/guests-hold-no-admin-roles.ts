import { externalUserTypeOf } from '../../conditional-access/evaluate.js';
import { PHISHING_RESISTANT_ADMIN_ROLES, PRIVILEGED_ROLES } from '../../entra/roles.js';
import { roleName, userEvidence, userLabel } from '../evidence.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { roleHolders, sortedHolders } from './holders.js';

const ID = 'guests-hold-no-admin-roles';

type Message = 'no-guest-admins' | 'guest-admins' | 'guest-admin';

/** Roles Microsoft labels privileged, plus those its phishing-resistant MFA template protects. */
const ADMIN_ROLES: ReadonlySet<string> = new Set([...PRIVILEGED_ROLES, ...PHISHING_RESISTANT_ADMIN_ROLES]);

export const guestsHoldNoAdminRoles: CheckDefinition<Message> = {
  id: ID,
  area: 'privileged-access',
  title: 'Guests and external users hold no admin roles',
  severity: 'high',
  rationale:
    'A guest signs in with an account that another organization controls: its password policy, MFA and session lifetime are outside your reach, and revoking its sessions in your tenant does not revoke them at home. An admin role on such an account puts your tenant in the hands of that organization.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Identity > Users > the guest named in the finding > Assigned roles.',
      'Remove each admin role (and its PIM eligibility); if the person needs admin access, create an internal account for them with phishing-resistant MFA.',
    ],
    graph: [
      { method: 'GET', path: "/roleManagement/directory/roleAssignments?$filter=principalId eq '{user-id}'", note: 'List the guest\'s active role assignments.' },
      { method: 'DELETE', path: '/roleManagement/directory/roleAssignments/{assignment-id}' },
    ],
  },
  clientText: 'We checked whether any outside account (a guest from another organization) has admin rights in your tenant.',
  scopeClass: 'included-support',
  requires: [
    { resource: 'users' },
    { resource: 'roleAssignments' },
    { resource: 'roleEligibilitySchedules', optional: true },
    { resource: 'groupMembers', optional: true },
  ],
  references: [
    'https://learn.microsoft.com/entra/external-id/user-properties',
    'https://learn.microsoft.com/entra/identity/role-based-access-control/best-practices#9-do-not-assign-admin-roles-to-guest-users',
    'https://learn.microsoft.com/entra/identity/users/users-revoke-access',
  ],
  knownLimitations: [
    'A user counts as external when its userType is Guest, its UPN contains #EXT#, it was created by invitation or has an externalUserState; an external member created another way is not recognised.',
    'Admin roles are the roles Microsoft labels privileged plus the 15 roles of its phishing-resistant MFA template; custom roles are not checked.',
  ],
  messages: {
    'no-guest-admins': { text: 'No guest or external user holds an admin role.' },
    'guest-admins': { text: 'Guest or external users holding admin roles: {count}.' },
    'guest-admin': {
      text: '{account} is an external account ({kind}) and holds {roles}.',
      client: 'The outside account {account} has admin rights in your tenant.',
    },
  },
  evaluate({ snapshot }): CheckOutcome<Message> {
    const findings: Finding<Message>[] = [];
    for (const holder of sortedHolders(roleHolders(snapshot, ADMIN_ROLES, true))) {
      const kind = externalUserTypeOf(holder.user);
      if (kind === null) continue;
      const roles = [...holder.roles].map(([role, held]) => `${roleName(snapshot, role)}${held === 'eligible' ? ' (eligible)' : ''}`).sort();
      findings.push({ key: `${ID}:${holder.user.id}`, messageId: 'guest-admin', data: { account: userLabel(holder.user), kind, roles }, objects: [userEvidence(holder.user)] });
    }
    if (findings.length === 0) return { state: 'pass', summary: { messageId: 'no-guest-admins', data: {} }, findings };
    return { state: 'fail', summary: { messageId: 'guest-admins', data: { count: findings.length } }, findings };
  },
};
