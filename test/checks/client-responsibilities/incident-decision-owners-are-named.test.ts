import { incidentDecisionOwnersAreNamed as check } from '../../../src/checks/client-responsibilities/incident-decision-owners-are-named.js';
import { runCheckCases } from '../../helpers/check-cases.js';

const client = { name: 'Contoso' };

runCheckCases(check, [
  {
    name: 'everything named passes',
    tenant: {},
    engagement: {
      client,
      owners: {
        userReportingChannel: 'security@contoso.com',
        disruptiveActionApprover: { name: 'Dana (COO)' },
        legalAndBreachDecisions: { name: 'Lee (General Counsel)' },
      },
    },
    expect: { state: 'pass', summary: 'all-named' },
  },
  {
    name: 'no engagement file',
    tenant: {},
    expect: { state: 'manual', findings: [{ messageId: 'no-engagement', key: 'incident-decision-owners-are-named:engagement' }] },
  },
  {
    name: 'empty owners lists all three',
    tenant: {},
    engagement: { client },
    expect: {
      state: 'manual',
      summary: 'items-missing',
      findings: [
        { messageId: 'no-reporting-channel', key: 'incident-decision-owners-are-named:reporting-channel' },
        { messageId: 'no-disruptive-action-approver', key: 'incident-decision-owners-are-named:disruptive-actions' },
        { messageId: 'no-legal-decision-owner', key: 'incident-decision-owners-are-named:legal-and-breach' },
      ],
    },
  },
  {
    name: 'revokers alone are not approvers',
    tenant: {},
    engagement: { client, owners: { sessionRevocation: [{ name: 'Priya' }], userReportingChannel: 'Teams channel #security' } },
    expect: { state: 'manual', findings: [{ messageId: 'no-disruptive-action-approver' }, { messageId: 'no-legal-decision-owner' }] },
  },
]);
