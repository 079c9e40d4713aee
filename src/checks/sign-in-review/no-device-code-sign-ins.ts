import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';

const ID = 'no-device-code-sign-ins';

type Message = 'none-found' | 'device-code-users' | 'device-code-user' | 'protocol-missing' | 'no-events' | 'summary-missing';

export const noDeviceCodeSignIns: CheckDefinition<Message> = {
  id: ID,
  area: 'sign-in-review',
  title: 'No device-code sign-ins in the review period',
  severity: 'high',
  rationale:
    'Device-code phishing (Storm-2372, the Kali365 kit named by the FBI in May 2026) makes a user enter an attacker\'s code on the real Microsoft page, which hands the attacker tokens for mail and files without a password or MFA prompt. ' +
    'Listing who used device code flow is the first step Microsoft recommends before blocking it, and every unexpected use is a possible compromise.',
  remediation: {
    portal: [
      'Confirm with each listed user whether they started the sign-in (a CLI tool, a meeting-room device) or entered a code someone sent them.',
      'For any sign-in the user did not start: revoke the user\'s sessions (Users > the user > Revoke sessions) and follow the token-theft runbook.',
      'Create a Conditional Access policy: Users All (exclude break-glass accounts and the users who need device code), Target resources All, Conditions > Authentication flows > Device code flow, Grant Block; start in report-only.',
    ],
    graph: [
      {
        method: 'POST',
        path: '/identity/conditionalAccess/policies',
        body: {
          displayName: 'Block device code flow',
          state: 'enabledForReportingButNotEnforced',
          conditions: {
            users: { includeUsers: ['All'], excludeUsers: ['{break-glass-id}'] },
            applications: { includeApplications: ['All'] },
            clientAppTypes: ['all'],
            authenticationFlows: { transferMethods: 'deviceCodeFlow' },
          },
          grantControls: { operator: 'OR', builtInControls: ['block'] },
        },
      },
      { method: 'POST', path: '/users/{user-id}/revokeSignInSessions', note: 'Only for a user whose device-code sign-in was not their own.' },
    ],
  },
  clientText: 'We listed everyone who signed in with a device code, the method used in current phishing campaigns, so each use can be confirmed or stopped.',
  scopeClass: 'fixed-fee-assessment',
  requires: [{ resource: 'signIns' }],
  references: [
    'https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows',
    'https://learn.microsoft.com/entra/identity/conditional-access/policy-block-authentication-flows',
    'https://www.microsoft.com/en-us/security/blog/2025/02/13/storm-2372-conducts-device-code-phishing-campaign/',
  ],
  knownLimitations: [
    'A log without authenticationProtocol (a Graph v1.0 export or an older Sentinel table) cannot show device-code sign-ins; the check then asks for a beta export instead of passing.',
    'Only successful sign-ins count; blocked attempts are reported by the sign-in review as device-code-blocked.',
  ],
  messages: {
    'none-found': { text: 'None of the {events} {events|sign-in|sign-ins} over {days} {days|day|days} used device code flow.' },
    'device-code-users': { text: '{users} {users|user|users} signed in with device code flow ({signIns} {signIns|sign-in|sign-ins}).', client: '{users} {users|person|people} signed in with a device code.' },
    'device-code-user': {
      text: '{user} signed in with device code flow {signIns} {signIns|time|times} between {first} and {last}, to {apps}, from {ips}.',
      client: '{user} signed in with a device code; please confirm it was them.',
    },
    'protocol-missing': {
      text: 'The sign-in logs do not carry authenticationProtocol, so device-code sign-ins cannot be ruled out; {fields} are missing.',
      client: 'The sign-in records we received cannot show device-code sign-ins.',
    },
    'no-events': { text: 'The sign-in log files hold no user sign-ins, so device-code use cannot be reviewed.' },
    'summary-missing': { text: 'The sign-in logs were not read for this assessment.' },
  },
  evaluate({ signInSummary: summary }): CheckOutcome<Message> {
    if (!summary) return { state: 'manual', summary: { messageId: 'summary-missing', data: {} }, findings: [{ key: ID, messageId: 'summary-missing', data: {}, objects: [] }] };
    if (summary.eventCount === 0) return { state: 'manual', summary: { messageId: 'no-events', data: {} }, findings: [{ key: `${ID}:empty`, messageId: 'no-events', data: {}, objects: [] }] };

    const findings: Finding<Message>[] = summary.deviceCode.users.map((user) => ({
      key: `${ID}:${user.userId ?? user.user}`,
      messageId: 'device-code-user' as const,
      data: {
        user: user.user,
        signIns: user.signIns,
        first: user.first,
        last: user.last,
        apps: user.apps.map((app) => `${app.appDisplayName ?? app.appId ?? 'unknown app'} (${app.signIns})`),
        ips: user.ips,
      },
      objects: [{ type: 'user', id: user.userId ?? user.user, displayName: user.displayName }],
    }));
    if (findings.length > 0) {
      return { state: 'fail', summary: { messageId: 'device-code-users', data: { users: findings.length, signIns: summary.deviceCode.signIns } }, findings };
    }
    // A v1.0 log has no device-code sign-ins only because it cannot show them.
    if (!summary.carriesAuthenticationProtocol) {
      return {
        state: 'manual',
        summary: { messageId: 'protocol-missing', data: { fields: summary.missingBetaFields } },
        findings: [{ key: `${ID}:fields`, messageId: 'protocol-missing', data: { fields: summary.missingBetaFields }, objects: [] }],
      };
    }
    return { state: 'pass', summary: { messageId: 'none-found', data: { events: summary.eventCount, days: summary.period.days } }, findings };
  },
};
