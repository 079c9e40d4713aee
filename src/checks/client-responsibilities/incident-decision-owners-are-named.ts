import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';

const ID = 'incident-decision-owners-are-named';

type Message = 'all-named' | 'items-missing' | 'no-engagement' | 'no-reporting-channel' | 'no-disruptive-action-approver' | 'no-legal-decision-owner';

export const incidentDecisionOwnersAreNamed: CheckDefinition<Message> = {
  id: ID,
  area: 'client-responsibilities',
  title: 'The client has named a reporting channel and the owners of incident decisions',
  severity: 'low',
  rationale:
    'Some steps of a token-theft response are the client\'s, not the MSP\'s. Users need one place to report a strange code prompt. Someone must approve blocking a user or wiping a device, and someone must decide legal, breach-notification and insurance questions. Without names, those decisions stall the response.',
  remediation: {
    portal: [
      'Agree with the client where users report a suspicious sign-in prompt or code request, and record it in owners.userReportingChannel.',
      'Record who approves disruptive actions in owners.disruptiveActionApprover.',
      'Record who decides legal, breach-notification and insurance questions in owners.legalAndBreachDecisions.',
    ],
    graph: [],
  },
  clientText: 'We checked that your organization has named where staff report suspicious sign-ins and who makes the decisions an incident needs.',
  scopeClass: 'included-support',
  requires: [],
  references: [
    'https://learn.microsoft.com/security/operations/incident-response-playbook-token-theft',
    'https://learn.microsoft.com/entra/identity/users/users-revoke-access',
  ],
  knownLimitations: ['The answers come from the engagement file; the check cannot confirm that the named people agreed to the role or can be reached.'],
  messages: {
    'all-named': { text: 'Users report to {channel}; {approver} approves disruptive actions; {legal} decides legal and breach questions.' },
    'items-missing': { text: 'Client responsibilities not named in the engagement file: {count}.' },
    'no-engagement': {
      text: 'No engagement file was given, so the reporting channel and the owners of incident decisions are unknown; pass --engagement FILE.',
      client: 'We need to know where your staff report suspicious sign-ins and who decides during an incident.',
    },
    'no-reporting-channel': {
      text: 'The engagement file names no channel for users to report suspicious sign-in prompts or code requests (owners.userReportingChannel).',
      client: 'Your staff have no named place to report a suspicious sign-in prompt.',
    },
    'no-disruptive-action-approver': {
      text: 'The engagement file names nobody who approves disruptive actions such as blocking a user (owners.disruptiveActionApprover).',
      client: 'Nobody is named to approve blocking an account or device during an incident.',
    },
    'no-legal-decision-owner': {
      text: 'The engagement file names nobody who decides legal, breach-notification and insurance questions (owners.legalAndBreachDecisions).',
      client: 'Nobody is named to decide legal and breach-notification questions during an incident.',
    },
  },
  evaluate({ engagement }): CheckOutcome<Message> {
    if (!engagement) {
      return { state: 'manual', summary: { messageId: 'no-engagement', data: {} }, findings: [{ key: `${ID}:engagement`, messageId: 'no-engagement', data: {}, objects: [] }] };
    }
    const owners = engagement.owners;
    const findings: Finding<Message>[] = [];
    if (!owners.userReportingChannel) findings.push({ key: `${ID}:reporting-channel`, messageId: 'no-reporting-channel', data: {}, objects: [] });
    if (!owners.disruptiveActionApprover) findings.push({ key: `${ID}:disruptive-actions`, messageId: 'no-disruptive-action-approver', data: {}, objects: [] });
    if (!owners.legalAndBreachDecisions) findings.push({ key: `${ID}:legal-and-breach`, messageId: 'no-legal-decision-owner', data: {}, objects: [] });

    if (findings.length > 0) return { state: 'manual', summary: { messageId: 'items-missing', data: { count: findings.length } }, findings };
    const data = { channel: owners.userReportingChannel!, approver: owners.disruptiveActionApprover!.name, legal: owners.legalAndBreachDecisions!.name };
    return { state: 'pass', summary: { messageId: 'all-named', data }, findings };
  },
};
