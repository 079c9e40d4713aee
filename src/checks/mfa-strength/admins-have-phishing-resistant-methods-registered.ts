import type * as Graph from '@microsoft/microsoft-graph-types';

import { PHISHING_RESISTANT_ADMIN_ROLES } from '../../entra/roles.js';
import { roleHolders, sortedHolders } from '../privileged-access/holders.js';
import { roleName, userEvidence, userLabel } from '../evidence.js';
import { nameList } from '../messages.js';
import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';
import { registrationsByUserId } from './registrations.js';

const ID = 'admins-have-phishing-resistant-methods-registered';

/**
 * `methodsRegistered` values that satisfy Microsoft's built-in "Phishing-resistant MFA"
 * authentication strength (passkeys/FIDO2, Windows Hello for Business, platform credential on
 * macOS). Values from the userRegistrationDetails reference:
 * learn.microsoft.com/graph/api/resources/userregistrationdetails; which methods are
 * phishing-resistant: learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths.
 * `microsoftAuthenticatorPasswordless` (phone sign-in) is passwordless but not phishing-resistant.
 */
export const PHISHING_RESISTANT_METHODS: ReadonlySet<string> = new Set([
  'fido2SecurityKey',
  'passKeyDeviceBound',
  'passKeyDeviceBoundAuthenticator',
  'passKeyDeviceBoundWindowsHello',
  'passKeySynced',
  'windowsHelloForBusiness',
  'macOsSecureEnclaveKey',
]);

/** Plain names of the registration report's method values, for findings a technician reads aloud. */
const METHOD_NAMES: Readonly<Record<string, string>> = {
  microsoftAuthenticatorPush: 'Authenticator push',
  microsoftAuthenticatorPasswordless: 'Authenticator phone sign-in',
  softwareOneTimePasscode: 'authenticator app code',
  hardwareOneTimePasscode: 'hardware token code',
  mobilePhone: 'SMS or voice call',
  alternateMobilePhone: 'voice call (alternate phone)',
  officePhone: 'voice call (office phone)',
  sms: 'SMS',
  email: 'email',
  securityQuestion: 'security questions',
  temporaryAccessPass: 'Temporary Access Pass',
};

type Message = 'no-admins' | 'all-covered' | 'admins-missing' | 'no-phishing-resistant-method' | 'no-methods' | 'no-registration-record';

export const adminsHavePhishingResistantMethodsRegistered: CheckDefinition<Message> = {
  id: ID,
  area: 'mfa-strength',
  title: 'Every admin has a phishing-resistant method registered',
  severity: 'high',
  rationale:
    'Device-code and adversary-in-the-middle phishing kits relay push approvals, SMS codes and app codes, so an admin who can only use those methods hands over a session token. A passkey, FIDO2 key or Windows Hello for Business is bound to the real sign-in page and cannot be relayed. An admin must have one registered before a policy can require it.',
  remediation: {
    portal: [
      'Enable Passkey (FIDO2) and Windows Hello for Business in the Microsoft Entra admin center > Protection > Authentication methods > Policies.',
      'Have each admin named in the findings register a passkey or FIDO2 security key at https://aka.ms/mysecurityinfo (issue a Temporary Access Pass if they cannot sign in with MFA first).',
      'Then require the built-in "Phishing-resistant MFA" authentication strength for the admin roles with a Conditional Access policy.',
    ],
    graph: [
      { method: 'GET', path: '/reports/authenticationMethods/userRegistrationDetails?$filter=isAdmin eq true', note: 'List admins with their registered methods.' },
      { method: 'POST', path: '/users/{user-id}/authentication/temporaryAccessPassMethods', body: { lifetimeInMinutes: 60, isUsableOnce: true }, note: 'Issue a one-time pass so the admin can register a passkey.' },
    ],
  },
  clientText: 'We checked that every administrator can sign in with a method phishing kits cannot relay, such as a passkey or security key.',
  scopeClass: 'hardening-project',
  requires: [
    { resource: 'users' },
    { resource: 'roleAssignments' },
    { resource: 'userRegistrationDetails' },
    { resource: 'roleEligibilitySchedules', optional: true },
    { resource: 'groupMembers', optional: true },
  ],
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-admin-phish-resistant-mfa',
    'https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths',
    'https://learn.microsoft.com/graph/api/resources/userregistrationdetails',
  ],
  knownLimitations: [
    'Admins are holders of the 15 roles in Microsoft\'s phishing-resistant MFA policy template, active or PIM-eligible, directly or through a role-assignable group; disabled accounts are left out.',
    'Counted as phishing-resistant: fido2SecurityKey, passKeyDeviceBound, passKeyDeviceBoundAuthenticator, passKeyDeviceBoundWindowsHello, passKeySynced, windowsHelloForBusiness and macOsSecureEnclaveKey. Synced passkeys count because Microsoft treats passkeys as phishing-resistant, although they are not bound to one device.',
    'Certificate-based authentication does not appear in methodsRegistered, so an admin who signs in only with a smart card is reported as missing a method; confirm such admins by hand.',
    'The registration report is refreshed by Microsoft periodically, so a method registered in the last hours may not be listed yet.',
  ],
  messages: {
    'no-admins': { text: 'No enabled user holds one of the 15 admin roles of Microsoft\'s phishing-resistant MFA template.' },
    'all-covered': { text: 'Every admin has a phishing-resistant method registered ({count} {count|admin|admins}).' },
    'admins-missing': { text: '{missing} of {count} {count|admin|admins} {missing|has|have} no phishing-resistant method registered.' },
    'no-phishing-resistant-method': {
      text: '{account} ({roles}) has no phishing-resistant method registered; only {methods}.',
      client: 'The administrator {account} can only sign in with {methodList}, which phishing kits can relay.',
    },
    'no-methods': {
      text: '{account} ({roles}) has no MFA method registered.',
      client: 'The administrator {account} has no second sign-in factor at all.',
    },
    'no-registration-record': {
      text: '{account} ({roles}) has no entry in the authentication methods registration report, so its methods are unknown.',
      client: 'We could not see how the administrator {account} signs in; please confirm they use a passkey or security key.',
    },
  },
  evaluate({ snapshot }): CheckOutcome<Message> {
    const registrations = registrationsByUserId(snapshot);

    const holders = sortedHolders(roleHolders(snapshot, PHISHING_RESISTANT_ADMIN_ROLES, true)).filter((holder) => holder.user.accountEnabled !== false);
    if (holders.length === 0) return { state: 'pass', summary: { messageId: 'no-admins', data: {} }, findings: [] };

    const findings: Finding<Message>[] = [];
    for (const holder of holders) {
      const account = userLabel(holder.user);
      const roles = [...holder.roles.keys()].map((role) => roleName(snapshot, role)).sort();
      const key = `${ID}:${holder.user.id}`;
      const objects = [userEvidence(holder.user)];
      const details = registrations.get((holder.user.id ?? '').toLowerCase());
      if (!details) {
        findings.push({ key, messageId: 'no-registration-record', data: { account, roles }, severity: 'medium', objects });
        continue;
      }
      const methods = details.methodsRegistered ?? [];
      if (methods.some((method) => PHISHING_RESISTANT_METHODS.has(method))) continue;
      if (methods.length === 0) {
        findings.push({ key, messageId: 'no-methods', data: { account, roles }, severity: 'critical', objects });
      } else {
        const names = methods.map((method) => METHOD_NAMES[method] ?? method);
        findings.push({ key, messageId: 'no-phishing-resistant-method', data: { account, roles, methods: names, methodList: nameList(names, names.length) }, objects });
      }
    }

    if (findings.length === 0) return { state: 'pass', summary: { messageId: 'all-covered', data: { count: holders.length } }, findings };
    const known = findings.some((finding) => finding.messageId !== 'no-registration-record');
    return { state: known ? 'fail' : 'warn', summary: { messageId: 'admins-missing', data: { missing: findings.length, count: holders.length } }, findings };
  },
};
