import { sample, userEvidence, userLabel } from '../evidence.js';
import { nameList } from '../messages.js';
import type { CheckDefinition, CheckOutcome } from '../types.js';

const ID = 'synced-users-have-an-on-premises-revocation-step';

type Message = 'no-synced-users' | 'synced-users';

export const syncedUsersHaveAnOnPremisesRevocationStep: CheckDefinition<Message> = {
  id: ID,
  area: 'session-revocation',
  title: 'The revocation runbook covers users synced from on-premises Active Directory',
  severity: 'medium',
  rationale:
    'For a user synced from on-premises Active Directory, disabling the account or resetting the password in Entra ID is not enough: the next sync can undo it, and the old password still works on-premises. Microsoft\'s revoke-access guidance has the technician disable the account and reset the password twice in Active Directory, then revoke the Entra sessions.',
  remediation: {
    portal: [
      'Add an on-premises step to the session-revocation runbook: in Active Directory Users and Computers (or PowerShell), disable the account and reset its password twice.',
      'Then force a sync (Start-ADSyncSyncCycle -PolicyType Delta on the Entra Connect server) or wait for the next cycle, and revoke the sessions in Entra ID.',
      'Name who holds the on-premises rights to do this outside office hours.',
    ],
    graph: [
      { method: 'GET', path: '/users?$filter=onPremisesSyncEnabled eq true&$count=true&$select=id,displayName,userPrincipalName', note: 'Needs the header ConsistencyLevel: eventual.' },
      { method: 'POST', path: '/users/{user-id}/revokeSignInSessions', note: 'Run after the on-premises disable and password reset have synced.' },
    ],
  },
  clientText: 'We checked whether some accounts come from your own servers, which means cutting off a stolen session needs a step on those servers too.',
  scopeClass: 'included-support',
  requires: [{ resource: 'users' }],
  references: ['https://learn.microsoft.com/entra/identity/users/users-revoke-access#on-premises-environment'],
  knownLimitations: [
    'The check cannot read the runbook, so when synced users exist the result is manual: confirm the runbook has the Active Directory step.',
    'Only enabled users are counted; users of other sync engines that do not set onPremisesSyncEnabled are not recognised.',
  ],
  messages: {
    'no-synced-users': { text: 'No enabled user is synced from on-premises Active Directory, so revocation happens in Entra ID alone.' },
    'synced-users': {
      text: '{count} enabled {count|user is|users are} synced from on-premises Active Directory (for example {examples}); the revocation runbook needs an Active Directory step (disable the account, reset the password twice, sync).',
      client: '{count} of your accounts {count|comes|come} from your own servers ({accounts}); cutting off a stolen session for {count|it|them} needs a step on those servers.',
    },
  },
  evaluate({ snapshot }): CheckOutcome<Message> {
    const synced = (snapshot.resources.users ?? [])
      .filter((user) => user.onPremisesSyncEnabled === true && user.accountEnabled !== false)
      .sort((a, b) => (a.displayName ?? '').localeCompare(b.displayName ?? ''));
    if (synced.length === 0) return { state: 'pass', summary: { messageId: 'no-synced-users', data: {} }, findings: [] };
    const labels = synced.map(userLabel);
    const data = { count: synced.length, examples: sample(labels, 5), accounts: nameList(labels) };
    return {
      state: 'manual',
      summary: { messageId: 'synced-users', data },
      findings: [{ key: ID, messageId: 'synced-users', data, objects: synced.map(userEvidence) }],
    };
  },
};
