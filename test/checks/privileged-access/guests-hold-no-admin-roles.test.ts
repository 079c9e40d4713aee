import { guestsHoldNoAdminRoles as check } from '../../../src/checks/privileged-access/guests-hold-no-admin-roles.js';
import { ROLE } from '../../../src/entra/roles.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { group, idFor, members, roleAssignment, user } from '../../helpers/tenant.js';

const guest = user({ displayName: 'Partner Pat', userType: 'Guest', userPrincipalName: 'pat_partner.com#EXT#@contoso.onmicrosoft.com', creationType: 'Invitation' });
const externalMember = user({ displayName: 'Vendor Val', userType: 'Member', userPrincipalName: 'val_vendor.com#EXT#@contoso.onmicrosoft.com' });
const internal = user({ displayName: 'Ana' });
const admins = group({ displayName: 'Exchange admins', isAssignableToRole: true });

runCheckCases(check, [
  {
    name: 'guest Global Administrator fails',
    tenant: { users: [guest, internal], roleAssignments: [roleAssignment(guest.id!, ROLE.globalAdministrator), roleAssignment(internal.id!, ROLE.globalAdministrator)] },
    expect: {
      state: 'fail',
      summary: 'guest-admins',
      findings: [{ messageId: 'guest-admin', key: `guests-hold-no-admin-roles:${guest.id}`, data: { kind: 'b2bCollaborationGuest', roles: ['Global Administrator'] } }],
    },
  },
  {
    name: 'external member with eligible role',
    tenant: {
      users: [externalMember],
      roleAssignments: [],
      roleEligibilitySchedules: [{ id: idFor('eligible'), principalId: externalMember.id!, roleDefinitionId: ROLE.userAdministrator, directoryScopeId: '/' }],
    },
    expect: { state: 'fail', findings: [{ messageId: 'guest-admin', data: { account: 'Vendor Val (val_vendor.com#EXT#@contoso.onmicrosoft.com)', kind: 'b2bCollaborationMember', roles: ['User Administrator (eligible)'] } }] },
  },
  {
    name: 'guest admin through a group',
    tenant: { users: [guest], groups: [admins], groupMembers: { [admins.id!]: members(guest) }, roleAssignments: [roleAssignment(admins.id!, ROLE.exchangeAdministrator)] },
    expect: { state: 'fail', findings: [{ messageId: 'guest-admin', data: { roles: ['Exchange Administrator'] } }] },
  },
  {
    name: 'guest with a reader role passes',
    tenant: { users: [guest], roleAssignments: [roleAssignment(guest.id!, ROLE.directoryReaders)] },
    expect: { state: 'pass', summary: 'no-guest-admins' },
  },
  {
    name: 'internal admins pass',
    tenant: { users: [internal, guest], roleAssignments: [roleAssignment(internal.id!, ROLE.globalAdministrator)] },
    expect: { state: 'pass' },
  },
  {
    name: 'users not collected',
    tenant: { roleAssignments: [] },
    expect: { state: 'skipped', skipReason: 'resource-not-collected' },
  },
]);
