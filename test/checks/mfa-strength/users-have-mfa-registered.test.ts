import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type * as Graph from '@microsoft/microsoft-graph-types';

import { usersHaveMfaRegistered as check } from '../../../src/checks/mfa-strength/users-have-mfa-registered.js';
import { CHECKS } from '../../../src/checks/registry.js';
import { ROLE } from '../../../src/entra/roles.js';
import { assessSnapshot } from '../../../src/assess.js';
import { DEMO_ENGAGEMENT_FILE, DEMO_SNAPSHOT_DIR } from '../../../src/cli/assess.js';
import { runCase, runCheckCases } from '../../helpers/check-cases.js';
import { roleAssignment, user } from '../../helpers/tenant.js';

const ana = user({ displayName: 'Ana' });
const ben = user({ displayName: 'Ben' });
const room = user({ displayName: 'Boardroom' });
const guest = user({ displayName: 'Gus Guest', userType: 'Guest' });
const leaver = user({ displayName: 'Lea Leaver', accountEnabled: false });
const sync = user({ displayName: 'On-Premises Directory Synchronization Service Account', userPrincipalName: 'Sync_DC01_abc@contoso.onmicrosoft.com' });
const syncByRole = user({ displayName: 'Renamed sync account' });

function registration(account: Graph.User, methodsRegistered: string[], isMfaRegistered?: boolean): Graph.UserRegistrationDetails {
  return { id: account.id!, userPrincipalName: account.userPrincipalName!, methodsRegistered, ...(isMfaRegistered === undefined ? {} : { isMfaRegistered }) };
}

const KEY = 'users-have-mfa-registered';

runCheckCases(check, [
  {
    name: 'members with Authenticator and a passkey pass',
    tenant: { users: [ana, ben], userRegistrationDetails: [registration(ana, ['microsoftAuthenticatorPush'], true), registration(ben, ['passKeyDeviceBound'], true)] },
    expect: { state: 'pass', summary: 'all-registered' },
  },
  {
    name: 'member without a method fails and is named',
    tenant: { users: [ana, room], userRegistrationDetails: [registration(ana, ['mobilePhone'], true), registration(room, [], false)] },
    expect: {
      state: 'fail',
      summary: 'users-missing',
      findings: [{ messageId: 'no-mfa-method', key: `${KEY}:${room.id}`, severity: 'high', data: { account: 'Boardroom (boardroom@contoso.onmicrosoft.com)', methods: [] } }],
    },
  },
  {
    name: 'email and security questions do not count as MFA',
    tenant: { users: [ana], userRegistrationDetails: [registration(ana, ['email', 'securityQuestion'], false)] },
    expect: { state: 'fail', findings: [{ messageId: 'no-mfa-method', data: { methods: ['email', 'securityQuestion'] } }] },
  },
  {
    name: 'methods decide when isMfaRegistered is absent',
    tenant: { users: [ana, ben], userRegistrationDetails: [registration(ana, ['softwareOneTimePasscode']), registration(ben, ['temporaryAccessPass', 'email'])] },
    expect: { state: 'fail', findings: [{ messageId: 'no-mfa-method', key: `${KEY}:${ben.id}` }] },
  },
  {
    name: 'guests, disabled users and the sync account are left out',
    tenant: {
      users: [ana, guest, leaver, sync, syncByRole],
      roleAssignments: [roleAssignment(syncByRole.id!, ROLE.directorySynchronizationAccounts)],
      userRegistrationDetails: [registration(ana, ['fido2SecurityKey'], true), registration(guest, [], false), registration(leaver, [], false)],
    },
    expect: { state: 'pass', summary: 'all-registered' },
  },
  {
    name: 'guest known only from the report is left out',
    tenant: {
      users: [ana, { ...guest, userType: undefined }],
      userRegistrationDetails: [registration(ana, ['sms'], true), { ...registration(guest, [], false), userType: 'guest' }],
    },
    expect: { state: 'pass' },
  },
  {
    name: 'member missing from the report warns',
    tenant: { users: [ana, ben], userRegistrationDetails: [registration(ana, ['sms'], true)] },
    expect: { state: 'warn', findings: [{ messageId: 'no-registration-record', key: `${KEY}:${ben.id}`, severity: 'medium', data: { account: 'Ben (ben@contoso.onmicrosoft.com)' } }] },
  },
  {
    name: 'tenant of guests only has nothing to check',
    tenant: { users: [guest], userRegistrationDetails: [] },
    expect: { state: 'pass', summary: 'no-members' },
  },
  {
    name: 'registration report not collected',
    tenant: { users: [ana] },
    expect: { state: 'skipped', skipReason: 'resource-not-collected' },
  },
  {
    name: 'report refused without Entra ID P1',
    tenant: { users: [ana], userRegistrationDetails: [] },
    statuses: { userRegistrationDetails: { status: 'unlicensed', license: 'entraIdP1' } },
    expect: { state: 'skipped', skipReason: 'license-missing' },
  },
]);

describe('users-have-mfa-registered text', () => {
  it('counts one user in the singular and names the account for the client', () => {
    const result = runCase(check, { name: 'one', tenant: { users: [room], userRegistrationDetails: [registration(room, [], false)] }, expect: { state: 'fail' } });
    assert.equal(result.summary, '1 of 1 enabled member user has no MFA method registered, or no entry in the registration report.');
    assert.equal(
      result.findings[0]!.clientText,
      'Boardroom (boardroom@contoso.onmicrosoft.com) has no second sign-in step set up, so a stolen password alone could open the account and let the thief add their own phone.',
    );
  });

  it('is registered after the phishing-resistant method check', () => {
    const ids = CHECKS.map((candidate) => candidate.id);
    assert.equal(ids.indexOf(KEY), ids.indexOf('admins-have-phishing-resistant-methods-registered') + 1);
  });

  it('names Hannah Weiss, who has no method, in the demo assessment', async () => {
    // The same inputs as `tokengap assess --demo`, through the same assessment code.
    const report = await assessSnapshot({ snapshotDir: DEMO_SNAPSHOT_DIR, engagementPath: DEMO_ENGAGEMENT_FILE, now: new Date('2026-12-04T12:00:00Z') });
    const result = report.results.find((candidate) => candidate.checkId === KEY);
    assert.equal(result?.state, 'fail');
    const named = result.findings.filter((finding) => finding.messageId === 'no-mfa-method').map((finding) => String(finding.data.account));
    assert.ok(named.includes('Hannah Weiss (hannah.weiss@harborpoint.example)'), `named: ${named.join('; ')}`);
    assert.ok(result.findings.some((finding) => finding.clientText.startsWith('Hannah Weiss (hannah.weiss@harborpoint.example) has no second sign-in step')));
    // The Entra Connect account and the guest are out of scope; the disabled intern cannot sign in.
    assert.ok(!named.some((account) => account.startsWith('On-Premises Directory Synchronization')), `named: ${named.join('; ')}`);
    assert.ok(!named.some((account) => account.includes('#EXT#')), `named: ${named.join('; ')}`);
    assert.ok(!named.some((account) => account.includes('isaac.morgan')), `named: ${named.join('; ')}`);
  });
});
