import type * as Graph from '@microsoft/microsoft-graph-types';

import { adminsHavePhishingResistantMethodsRegistered as check } from '../../../src/checks/mfa-strength/admins-have-phishing-resistant-methods-registered.js';
import { ROLE } from '../../../src/entra/roles.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { idFor, roleAssignment, user } from '../../helpers/tenant.js';

const ana = user({ displayName: 'Ana' });
const ben = user({ displayName: 'Ben' });
const cai = user({ displayName: 'Cai' });

function registration(account: Graph.User, methodsRegistered: string[]): Graph.UserRegistrationDetails {
  return { id: account.id!, userPrincipalName: account.userPrincipalName!, methodsRegistered };
}

const KEY = 'admins-have-phishing-resistant-methods-registered';

runCheckCases(check, [
  {
    name: 'security key and Windows Hello pass',
    tenant: {
      users: [ana, ben],
      roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator), roleAssignment(ben.id!, ROLE.securityAdministrator)],
      userRegistrationDetails: [registration(ana, ['microsoftAuthenticatorPush', 'fido2SecurityKey']), registration(ben, ['windowsHelloForBusiness'])],
    },
    expect: { state: 'pass', summary: 'all-covered' },
  },
  {
    name: 'Authenticator passkey counts',
    tenant: { users: [ana], roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator)], userRegistrationDetails: [registration(ana, ['passKeyDeviceBoundAuthenticator'])] },
    expect: { state: 'pass' },
  },
  {
    name: 'push and SMS admin fails',
    tenant: {
      users: [ana, ben],
      roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator), roleAssignment(ben.id!, ROLE.globalAdministrator)],
      userRegistrationDetails: [registration(ana, ['microsoftAuthenticatorPush', 'mobilePhone']), registration(ben, ['fido2SecurityKey'])],
    },
    expect: {
      state: 'fail',
      summary: 'admins-missing',
      findings: [{ messageId: 'no-phishing-resistant-method', key: `${KEY}:${ana.id}`, data: { roles: ['Global Administrator'], methods: ['Authenticator push', 'SMS or voice call'] } }],
    },
  },
  {
    name: 'phone sign-in is not phishing-resistant',
    tenant: { users: [ana], roleAssignments: [roleAssignment(ana.id!, ROLE.privilegedRoleAdministrator)], userRegistrationDetails: [registration(ana, ['microsoftAuthenticatorPasswordless'])] },
    expect: { state: 'fail', findings: [{ messageId: 'no-phishing-resistant-method', data: { methods: ['Authenticator phone sign-in'] } }] },
  },
  {
    name: 'one role of fifteen is enough',
    tenant: {
      users: [ana, ben],
      roleAssignments: [roleAssignment(ana.id!, ROLE.teamsAdministrator), roleAssignment(ben.id!, ROLE.intuneAdministrator)],
      userRegistrationDetails: [registration(ana, ['sms']), registration(ben, ['sms'])],
    },
    expect: { state: 'fail', findings: [{ messageId: 'no-phishing-resistant-method', key: `${KEY}:${ana.id}`, data: { roles: ['Teams Administrator'], methods: ['SMS'] } }] },
  },
  {
    name: 'eligible admin is checked',
    tenant: {
      users: [cai],
      roleAssignments: [],
      roleEligibilitySchedules: [{ id: idFor('eligible:cai'), principalId: cai.id!, roleDefinitionId: ROLE.exchangeAdministrator, directoryScopeId: '/' }],
      userRegistrationDetails: [registration(cai, ['softwareOneTimePasscode'])],
    },
    expect: { state: 'fail', findings: [{ messageId: 'no-phishing-resistant-method', data: { roles: ['Exchange Administrator'], methods: ['authenticator app code'] } }] },
  },
  {
    name: 'admin without any method',
    tenant: { users: [ana], roleAssignments: [roleAssignment(ana.id!, ROLE.helpdeskAdministrator)], userRegistrationDetails: [registration(ana, [])] },
    expect: { state: 'fail', findings: [{ messageId: 'no-methods', severity: 'critical' }] },
  },
  {
    name: 'admin missing from the report warns',
    tenant: { users: [ana], roleAssignments: [roleAssignment(ana.id!, ROLE.userAdministrator)], userRegistrationDetails: [] },
    expect: { state: 'warn', findings: [{ messageId: 'no-registration-record', severity: 'medium', data: { account: 'Ana (ana@contoso.onmicrosoft.com)' } }] },
  },
  {
    name: 'disabled admin is left out',
    tenant: { users: [{ ...ana, accountEnabled: false }], roleAssignments: [roleAssignment(ana.id!, ROLE.globalAdministrator)], userRegistrationDetails: [registration(ana, ['sms'])] },
    expect: { state: 'pass', summary: 'no-admins' },
  },
  {
    name: 'registration report unlicensed',
    tenant: { users: [ana], roleAssignments: [] },
    statuses: { userRegistrationDetails: { status: 'unlicensed', license: 'Entra ID P1' } },
    expect: { state: 'skipped', skipReason: 'license-missing' },
  },
]);
