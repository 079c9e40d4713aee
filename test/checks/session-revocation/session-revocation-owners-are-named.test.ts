import { sessionRevocationOwnersAreNamed as check } from '../../../src/checks/session-revocation/session-revocation-owners-are-named.js';
import { runCheckCases } from '../../helpers/check-cases.js';

const client = { name: 'Contoso' };
const revokers = [{ name: 'Priya (MSP on call)', phone: '+44 20 7946 0000' }];
const runbook = (lastTested?: string) => ({ owner: { name: 'Sam Ops' }, ...(lastTested ? { lastTested } : {}) });

runCheckCases(check, [
  {
    name: 'all named and recent',
    tenant: {},
    now: '2026-06-01T00:00:00Z',
    engagement: { client, owners: { sessionRevocation: revokers, runbook: runbook('2026-01-15') } },
    expect: { state: 'pass', summary: 'owners-named' },
  },
  {
    name: 'tested exactly a year ago passes',
    tenant: {},
    now: '2026-06-01T00:00:00Z',
    engagement: { client, owners: { sessionRevocation: revokers, runbook: runbook('2025-06-01') } },
    expect: { state: 'pass' },
  },
  {
    name: 'stale test warns',
    tenant: {},
    now: '2026-06-01T00:00:00Z',
    engagement: { client, owners: { sessionRevocation: revokers, runbook: runbook('2025-05-31') } },
    expect: { state: 'warn', findings: [{ messageId: 'test-overdue', key: 'session-revocation-owners-are-named:runbook-test', data: { days: 366, limit: 365, lastTested: '2025-05-31', owner: 'Sam Ops' } }] },
  },
  {
    name: 'no engagement file',
    tenant: {},
    expect: { state: 'manual', findings: [{ messageId: 'no-engagement', key: 'session-revocation-owners-are-named:engagement' }] },
  },
  {
    name: 'engagement without owners',
    tenant: {},
    engagement: { client },
    expect: { state: 'manual', summary: 'owners-incomplete', findings: [{ messageId: 'no-revokers' }, { messageId: 'no-runbook' }] },
  },
  {
    name: 'runbook never tested',
    tenant: {},
    engagement: { client, owners: { sessionRevocation: revokers, runbook: runbook() } },
    expect: { state: 'manual', findings: [{ messageId: 'never-tested', data: { owner: 'Sam Ops' } }] },
  },
  {
    name: 'future test date',
    tenant: {},
    now: '2026-06-01T00:00:00Z',
    engagement: { client, owners: { sessionRevocation: revokers, runbook: runbook('2026-07-01') } },
    expect: { state: 'manual', findings: [{ messageId: 'test-date-in-future', severity: 'low' }] },
  },
  {
    name: 'stale and no revokers',
    tenant: {},
    now: '2026-06-01T00:00:00Z',
    engagement: { client, owners: { runbook: runbook('2020-01-01') } },
    expect: { state: 'manual', findings: [{ messageId: 'no-revokers' }, { messageId: 'test-overdue' }] },
  },
]);
