import type * as Graph from '@microsoft/microsoft-graph-types';

import { ROLE } from '../../entra/roles.js';
import { userEvidence, userLabel } from '../evidence.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { registrationsByUserId } from './registrations.js';

const ID = 'users-have-mfa-registered';

/**
 * `methodsRegistered` values that can satisfy an MFA prompt. Email and security questions only
 * reset passwords, and a Temporary Access Pass is a short-lived bootstrap, so none of them counts.
 * Values from learn.microsoft.com/graph/api/resources/userregistrationdetails.
 */
const MFA_METHODS: ReadonlySet<string> = new Set([
  'microsoftAuthenticatorPush',
  'microsoftAuthenticatorPasswordless',
  'softwareOneTimePasscode',
  'hardwareOneTimePasscode',
  'mobilePhone',
  'alternateMobilePhone',
  'officePhone',
  'sms',
  'fido2SecurityKey',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
  'passKeyDeviceBoundWindowsHello',
  'passKeySynced',
  'windowsHelloForBusiness',
  'macOsSecureEnclaveKey',
]);

type Message = 'no-members' | 'all-registered' | 'users-missing' | 'no-mfa-method' | 'no-registration-record';

export const usersHaveMfaRegistered: CheckDefinition<Message> = {
  id: ID,
  area: 'mfa-strength',
  title: 'Every enabled member user has an MFA method registered',
  severity: 'high',
  rationale:
    'A user with no MFA method registered can only prove who they are with a password. Until they register, a policy that requires MFA either blocks them or, where registration is allowed at sign-in, lets whoever has the password register their own phone or passkey first. A phished or reused password then gives the attacker a session token and a lasting second factor.',
  remediation: {
    portal: [
      'For each account named in the findings, confirm it is still needed; disable sign-in for shared and resource accounts (meeting rooms, scanners) that do not need a password sign-in.',
      'Ask each remaining person to register at https://aka.ms/mysecurityinfo from the office or a managed device, or issue a one-time Temporary Access Pass (Microsoft Entra admin center > Users > the user > Authentication methods) and have them register a passkey or Microsoft Authenticator with it.',
      'Protect registration itself: a Conditional Access policy on the user action "Register security information" that requires a managed device or a trusted location.',
    ],
    graph: [
      {
        method: 'GET',
        path: "/reports/authenticationMethods/userRegistrationDetails?$filter=isMfaRegistered eq false and userType eq 'member'",
        note: 'Lists the member users without an MFA method; needs AuditLog.Read.All and Entra ID P1.',
      },
      { method: 'POST', path: '/users/{user-id}/authentication/temporaryAccessPassMethods', body: { lifetimeInMinutes: 60, isUsableOnce: true }, note: 'One-time pass so the user can register a method.' },
      { method: 'PATCH', path: '/users/{user-id}', body: { accountEnabled: false }, note: 'For a resource or shared account that should not sign in with a password.' },
    ],
  },
  clientText: 'We checked that every staff account has a second sign-in step (such as the Authenticator app or a security key) set up, so a stolen password alone does not open it.',
  scopeClass: 'included-support',
  requires: [
    { resource: 'users' },
    { resource: 'userRegistrationDetails' },
    { resource: 'roleAssignments', optional: true },
  ],
  license: 'entraIdP1',
  references: [
    'https://learn.microsoft.com/graph/api/resources/userregistrationdetails',
    'https://learn.microsoft.com/entra/identity/authentication/howto-authentication-methods-activity',
    'https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass',
    'https://learn.microsoft.com/entra/identity/authentication/concept-mfa-registration',
  ],
  knownLimitations: [
    'Only enabled member users are checked. Guests are left out: with cross-tenant access settings that trust their home tenant\'s MFA they register and answer MFA at home, and the registration report of this tenant does not show those methods. Guests are covered by the Conditional Access MFA check instead.',
    'The Entra Connect sync account (holder of Directory Synchronization Accounts) is left out: it cannot answer MFA, and Microsoft\'s MFA policy templates exclude it. Without roleAssignments it is recognised by its name "On-Premises Directory Synchronization Service Account".',
    'A user counts as registered when isMfaRegistered is true, or, when the report leaves that field out, when methodsRegistered holds a method that answers MFA (email, security questions and Temporary Access Pass do not). Whether the authentication methods policy still allows the method is not checked, which the CIS "MFA capable" control also asks.',
    'Enabled shared and resource accounts (Teams Rooms, scanners) are named like people: they can sign in with a password, so either disable their sign-in or confirm that Conditional Access limits them.',
  ],
  messages: {
    'no-members': { text: 'No enabled member user was found, so there is nothing to check.' },
    'all-registered': { text: 'Every enabled member user has an MFA method registered ({count} {count|user|users}).' },
    'users-missing': { text: '{missing} of {count} enabled member {count|user|users} {missing|has|have} no MFA method registered, or no entry in the registration report.' },
    'no-mfa-method': {
      text: '{account} has no MFA method registered (isMfaRegistered false; methods: {methods}); a password alone signs in wherever MFA is not required, and whoever holds it can register the first method.',
      client: '{account} has no second sign-in step set up, so a stolen password alone could open the account and let the thief add their own phone.',
    },
    'no-registration-record': {
      text: '{account} has no entry in the authentication methods registration report, so whether it has an MFA method is unknown.',
      client: 'We could not see whether {account} has a second sign-in step set up; please confirm it does.',
    },
  },
  evaluate({ snapshot }): CheckOutcome<Message> {
    const registrations = registrationsByUserId(snapshot);
    const syncAccounts = new Set([...snapshot.directory.activeHoldersOf(ROLE.directorySynchronizationAccounts)].map((id) => id.toLowerCase()));

    const members = (snapshot.resources.users ?? [])
      .filter((user) => user.accountEnabled !== false && isMember(user, registrations) && !isSyncAccount(user, syncAccounts))
      .sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? '') || (a.id ?? '').localeCompare(b.id ?? ''));
    if (members.length === 0) return { state: 'pass', summary: { messageId: 'no-members', data: {} }, findings: [] };

    const findings: Finding<Message>[] = [];
    for (const user of members) {
      const key = `${ID}:${user.id}`;
      const account = userLabel(user);
      const objects = [userEvidence(user)];
      const details = registrations.get((user.id ?? '').toLowerCase());
      if (!details) {
        findings.push({ key, messageId: 'no-registration-record', data: { account }, severity: 'medium', objects });
        continue;
      }
      if (hasMfa(details)) continue;
      findings.push({ key, messageId: 'no-mfa-method', data: { account, methods: [...(details.methodsRegistered ?? [])] }, objects });
    }

    if (findings.length === 0) return { state: 'pass', summary: { messageId: 'all-registered', data: { count: members.length } }, findings };
    const known = findings.some((finding) => finding.messageId === 'no-mfa-method');
    return { state: known ? 'fail' : 'warn', summary: { messageId: 'users-missing', data: { missing: findings.length, count: members.length } }, findings };
  },
};

/** Member, not guest: the user's own userType, else the registration report's, else member (Graph's default for created users). */
function isMember(user: Graph.User, registrations: ReadonlyMap<string, Graph.UserRegistrationDetails>): boolean {
  const type = user.userType ?? registrations.get((user.id ?? '').toLowerCase())?.userType ?? 'member';
  return String(type).toLowerCase() === 'member';
}

/** Tells whether a user is the Entra Connect account: a Directory Synchronization Accounts holder, or named as Entra Connect names it. */
function isSyncAccount(user: Graph.User, syncAccounts: ReadonlySet<string>): boolean {
  if (syncAccounts.has((user.id ?? '').toLowerCase())) return true;
  return user.displayName === 'On-Premises Directory Synchronization Service Account';
}

function hasMfa(details: Graph.UserRegistrationDetails): boolean {
  if (typeof details.isMfaRegistered === 'boolean') return details.isMfaRegistered;
  return (details.methodsRegistered ?? []).some((method) => MFA_METHODS.has(method));
}
