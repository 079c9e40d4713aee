import { tenantLicenses } from '../../entra/licenses.js';
import { PRIVILEGED_ROLES } from '../../entra/roles.js';
import type { Snapshot } from '../../snapshot/types.js';
import { roleName, userLabel } from '../evidence.js';
import type { CheckDefinition, CheckOutcome, EvidenceObject, Finding } from '../types.js';
import { declaredBreakGlassIds } from './break-glass.js';

const ID = 'privileged-roles-use-pim-eligibility';

type Message = 'none-permanent' | 'permanent-summary' | 'no-pim-license-summary' | 'license-unknown-summary' | 'permanent-assignment' | 'permanent-without-pim';

interface PermanentHolding {
  principal: EvidenceObject;
  roles: Set<string>;
}

export const privilegedRolesUsePimEligibility: CheckDefinition<Message> = {
  id: ID,
  area: 'privileged-access',
  title: 'Privileged roles are held through PIM eligibility, not permanently',
  severity: 'high',
  rationale:
    'A permanently assigned admin carries the role in every token it gets, so a token stolen on any day is an admin token. With Privileged Identity Management the role is eligible and activated for a few hours when needed, so most stolen tokens carry no admin role.',
  remediation: {
    portal: [
      'Open the Microsoft Entra admin center > Identity governance > Privileged Identity Management > Microsoft Entra roles > Assignments.',
      'For each permanent active assignment named in the findings, select Update and change it to an eligible assignment (keep declared emergency access accounts permanent).',
      'In Settings for each privileged role, require MFA (or an authentication context) and a justification on activation, and keep the activation duration at 8 hours or less.',
    ],
    graph: [
      { method: 'GET', path: "/roleManagement/directory/roleAssignmentScheduleInstances?$filter=assignmentType eq 'Assigned'&$expand=principal", note: 'List active assignments; those without endDateTime are permanent.' },
      {
        method: 'POST',
        path: '/roleManagement/directory/roleEligibilityScheduleRequests',
        body: { action: 'adminAssign', principalId: '{principal-id}', roleDefinitionId: '{role-template-id}', directoryScopeId: '/', justification: 'Move to just-in-time access', scheduleInfo: { startDateTime: '{now}', expiration: { type: 'noExpiration' } } },
        note: 'Make the role eligible first.',
      },
      {
        method: 'POST',
        path: '/roleManagement/directory/roleAssignmentScheduleRequests',
        body: { action: 'adminRemove', principalId: '{principal-id}', roleDefinitionId: '{role-template-id}', directoryScopeId: '/' },
        note: 'Then remove the permanent active assignment.',
      },
    ],
  },
  clientText: 'We checked whether admin accounts hold their powers all the time or only when they switch them on for a task.',
  scopeClass: 'hardening-project',
  requires: [
    { resource: 'roleAssignments' },
    { resource: 'roleAssignmentScheduleInstances', optional: true },
    { resource: 'users', optional: true },
    { resource: 'groups', optional: true },
    { resource: 'subscribedSkus', optional: true },
  ],
  references: [
    'https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-configure',
    'https://learn.microsoft.com/entra/identity/role-based-access-control/best-practices#2-use-privileged-identity-management-to-grant-just-in-time-access',
    'https://learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference',
  ],
  knownLimitations: [
    '"Privileged" follows the roles Microsoft labels PRIVILEGED in the built-in roles reference; Exchange, SharePoint, Teams and Billing Administrator are not labelled there and are not checked here.',
    'Without roleAssignmentScheduleInstances a PIM-activated assignment cannot be told from a permanent one in roleAssignments, so an admin who had activated a role at collection time is reported as permanent; the summary names the data source used.',
    'Active assignments with an end date are not reported, although Microsoft prefers eligibility to time-bound active assignments.',
    'Declared break-glass accounts are exempt, because Microsoft recommends permanent Global Administrator for emergency access accounts.',
    'Service principals are not reported: PIM eligibility is for users and groups.',
    'When subscribedSkus was not collected, whether the tenant can use PIM is unknown, so findings warn rather than fail and the summary says which license data is missing.',
  ],
  messages: {
    'none-permanent': { text: 'No user or group holds a privileged role permanently (data source: {source}).' },
    'permanent-summary': { text: 'Users or groups holding privileged roles permanently: {count} (data source: {source}).' },
    'no-pim-license-summary': {
      text: 'Users or groups holding privileged roles permanently: {count}. PIM needs Entra ID P2 or Entra ID Governance, which the tenant lacks (data source: {source}).',
    },
    'license-unknown-summary': {
      text: 'Users or groups holding privileged roles permanently: {count}. Whether the tenant has Entra ID P2 or Entra ID Governance for PIM is unknown, because subscribedSkus was {skuStatus} (data source: {source}).',
    },
    'permanent-assignment': {
      text: '{principal} holds {roles} permanently; make the assignment PIM-eligible so the role is active only when activated.',
      client: '{principal} has admin powers all the time instead of switching them on when needed.',
    },
    'permanent-without-pim': {
      text: '{principal} holds {roles} permanently. The tenant has neither Entra ID P2 nor Entra ID Governance, so just-in-time activation is not available; keep such assignments to a minimum or buy one of these licenses.',
      client: '{principal} has admin powers all the time. Switching them on only when needed requires a license upgrade (Entra ID P2 or Entra ID Governance).',
    },
  },
  evaluate({ snapshot, engagement }): CheckOutcome<Message> {
    const { holdings, source } = permanentHoldings(snapshot);
    const exempt = declaredBreakGlassIds(snapshot, engagement);
    const reported = [...holdings.values()]
      .filter((holding) => !exempt.has(holding.principal.id.toLowerCase()))
      .sort((a, b) => (a.principal.displayName ?? '').localeCompare(b.principal.displayName ?? ''));

    if (reported.length === 0) return { state: 'pass', summary: { messageId: 'none-permanent', data: { source } }, findings: [] };

    // Unknown licenses (subscribedSkus forbidden or not collected) must not turn this into a failed
    // control: the finding stays, at warning level, and the summary names the missing data.
    const licenses = tenantLicenses(snapshot);
    const pimAvailable = !licenses.known || licenses.has.has('entraIdP2') || licenses.has.has('entraIdGovernance');
    const messageId = pimAvailable ? 'permanent-assignment' : 'permanent-without-pim';
    const findings: Finding<Message>[] = reported.map((holding) => ({
      key: `${ID}:${holding.principal.id}`,
      messageId,
      data: { principal: holding.principal.displayName ?? holding.principal.id, roles: [...holding.roles].map((role) => roleName(snapshot, role)).sort() },
      ...(pimAvailable ? {} : { severity: 'medium' as const }),
      objects: [holding.principal],
    }));
    const data = { count: reported.length, source };
    if (!licenses.known) {
      const skuStatus = snapshot.statusOf('subscribedSkus').status;
      return { state: 'warn', summary: { messageId: 'license-unknown-summary', data: { ...data, skuStatus } }, findings };
    }
    return pimAvailable
      ? { state: 'fail', summary: { messageId: 'permanent-summary', data }, findings }
      : { state: 'warn', summary: { messageId: 'no-pim-license-summary', data }, findings };
  },
};

/**
 * Permanent tenant-wide holdings of privileged roles, per principal. Schedule instances tell a
 * permanent assignment (`Assigned` without an end) from a PIM activation; plain role assignments
 * cannot, so they are all read as permanent.
 */
function permanentHoldings(snapshot: Snapshot): { holdings: Map<string, PermanentHolding>; source: string } {
  const holdings = new Map<string, PermanentHolding>();
  const add = (principalId: string | null | undefined, roleId: string | null | undefined): void => {
    if (!principalId || !roleId) return;
    const role = roleId.toLowerCase();
    if (!PRIVILEGED_ROLES.has(role)) return;
    const principal = principalEvidence(snapshot, principalId);
    if (!principal) return;
    const key = principal.id.toLowerCase();
    let holding = holdings.get(key);
    if (!holding) holdings.set(key, (holding = { principal, roles: new Set() }));
    holding.roles.add(role);
  };
  const tenantWide = (scope: string | null | undefined): boolean => scope === undefined || scope === null || scope === '/';

  const instances = snapshot.resources.roleAssignmentScheduleInstances;
  if (snapshot.statusOf('roleAssignmentScheduleInstances').status === 'collected' && instances) {
    for (const instance of instances) {
      if (instance.assignmentType?.toLowerCase() !== 'assigned' || instance.endDateTime) continue;
      // Inherited instances repeat a group's assignment for its members; the group is reported once.
      if (instance.memberType?.toLowerCase() === 'inherited' || !tenantWide(instance.directoryScopeId)) continue;
      add(instance.principalId, instance.roleDefinitionId);
    }
    return { holdings, source: 'PIM assignment schedule instances' };
  }

  for (const assignment of snapshot.resources.roleAssignments ?? []) {
    if (tenantWide(assignment.directoryScopeId)) add(assignment.principalId, assignment.roleDefinitionId);
  }
  return { holdings, source: 'role assignments, which do not tell PIM activations from permanent assignments' };
}

function principalEvidence(snapshot: Snapshot, principalId: string): EvidenceObject | undefined {
  const user = snapshot.directory.userById(principalId);
  if (user) return { type: 'user', id: user.id ?? principalId, displayName: userLabel(user) };
  const group = snapshot.directory.groupById(principalId);
  if (group) return { type: 'group', id: group.id ?? principalId, displayName: `group ${group.displayName ?? principalId}` };
  const servicePrincipal = snapshot.resources.servicePrincipals?.some((candidate) => candidate.id?.toLowerCase() === principalId.toLowerCase());
  if (servicePrincipal) return undefined;
  // Users and groups were not collected (or the principal is missing from them): name it by id.
  return { type: 'directoryObject', id: principalId, displayName: null };
}
