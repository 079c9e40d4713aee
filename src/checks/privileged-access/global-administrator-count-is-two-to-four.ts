import { ROLE } from '../../entra/roles.js';
import { sample, userEvidence, userLabel } from '../evidence.js';
import type { CheckDefinition, CheckOutcome } from '../types.js';
import { roleHolders, sortedHolders } from './holders.js';

const ID = 'global-administrator-count-is-two-to-four';
const MINIMUM = 2;
const MAXIMUM = 4;

type Message = 'within-range' | 'too-many' | 'too-few';

export const globalAdministratorCountIsTwoToFour: CheckDefinition<Message> = {
  id: ID,
  area: 'privileged-access',
  title: 'Two to four Global Administrators',
  severity: 'high',
  rationale:
    'Every Global Administrator is an account whose stolen session token gives an attacker the whole tenant. Microsoft recommends fewer than five Global Administrators, and at least two so that one lost or locked account does not lock the organization out.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Identity > Roles & admins > Global Administrator.',
      'For each account that does not need tenant-wide control, assign a least-privileged role (for example User Administrator or Exchange Administrator) and remove Global Administrator.',
      'If fewer than two accounts remain, create a second cloud-only emergency access account and assign it Global Administrator.',
    ],
    graph: [
      { method: 'GET', path: "/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'&$expand=principal", note: 'List the active Global Administrator assignments.' },
      { method: 'DELETE', path: '/roleManagement/directory/roleAssignments/{assignment-id}', note: 'Remove one assignment after a replacement role is assigned.' },
    ],
  },
  clientText: 'We counted the accounts that have full control of your Microsoft 365 tenant. Microsoft recommends two to four.',
  scopeClass: 'included-support',
  requires: [
    { resource: 'users' },
    { resource: 'roleAssignments' },
    { resource: 'roleEligibilitySchedules', optional: true },
    { resource: 'roleAssignmentScheduleInstances', optional: true },
    { resource: 'groupMembers', optional: true },
  ],
  references: [
    'https://learn.microsoft.com/entra/identity/role-based-access-control/best-practices#5-limit-the-number-of-global-administrators-to-less-than-5',
    'https://learn.microsoft.com/entra/identity/role-based-access-control/security-emergency-access',
  ],
  knownLimitations: [
    'Disabled accounts are not counted, because they cannot sign in.',
    'PIM-eligible holders are counted only when roleEligibilitySchedules was collected; without it, only active holders are counted.',
    'Service principals holding Global Administrator are not counted; they are not people, but they are just as powerful and should be reviewed.',
  ],
  messages: {
    'within-range': { text: '{count} {count|account holds|accounts hold} Global Administrator (active or PIM-eligible): {names}.' },
    'too-many': {
      text: '{count} accounts hold Global Administrator (active or PIM-eligible); Microsoft recommends at most four: {names}.',
      client: '{count} accounts have full control of your tenant; Microsoft recommends at most four. Each one is a target for token theft.',
    },
    'too-few': {
      text: 'Only {count} {count|account holds|accounts hold} Global Administrator: {names}. Microsoft recommends at least two, so a lost or locked account does not lock the tenant out.',
      client: '{count|Only one account|No account} can fully manage your tenant. {count|If it is lost or locked, nobody can administer the tenant.|Nobody can administer the tenant until an account is given this role.}',
    },
  },
  evaluate({ snapshot }): CheckOutcome<Message> {
    const holders = sortedHolders(roleHolders(snapshot, [ROLE.globalAdministrator], true)).filter((holder) => holder.user.accountEnabled !== false);
    const names = sample(holders.map((holder) => userLabel(holder.user)), 20);
    const data = { count: holders.length, names };
    const objects = holders.map((holder) => userEvidence(holder.user));

    if (holders.length > MAXIMUM) {
      return { state: 'fail', summary: { messageId: 'too-many', data }, findings: [{ key: ID, messageId: 'too-many', data, objects }] };
    }
    if (holders.length < MINIMUM) {
      return { state: 'warn', summary: { messageId: 'too-few', data }, findings: [{ key: ID, messageId: 'too-few', data, severity: 'medium', objects }] };
    }
    return { state: 'pass', summary: { messageId: 'within-range', data }, findings: [] };
  },
};
