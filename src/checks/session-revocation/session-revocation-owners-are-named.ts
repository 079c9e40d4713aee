import type { CheckDefinition, CheckOutcome, Finding } from '../types.js';

const ID = 'session-revocation-owners-are-named';

/**
 * A runbook untested for longer than this is overdue. NOTE: twelve months is this project's
 * judgement (an annual exercise, as most incident-response plans require), not a Microsoft rule.
 */
export const RUNBOOK_TEST_MAX_AGE_DAYS = 365;

type Message = 'owners-named' | 'owners-incomplete' | 'no-engagement' | 'no-revokers' | 'no-runbook' | 'never-tested' | 'test-overdue' | 'test-date-in-future';

const DAY_MS = 24 * 60 * 60 * 1000;

export const sessionRevocationOwnersAreNamed: CheckDefinition<Message> = {
  id: ID,
  area: 'session-revocation',
  title: 'Session revocation has named owners and a runbook tested in the last 12 months',
  severity: 'medium',
  rationale:
    'When a token is stolen, the attacker keeps access until someone revokes the user\'s sessions, resets credentials and checks devices. If nobody is named to do that, or the steps were never rehearsed, the first hours of an incident are lost finding out who may act and how.',
  remediation: {
    portal: [
      'Name the people allowed to revoke sessions in the engagement file (owners.sessionRevocation).',
      'Name the runbook owner and where the runbook lives (owners.runbook.owner, owners.runbook.location).',
      'Rehearse the runbook on a test account (Entra admin center > Users > the user > Revoke sessions) and record the date in owners.runbook.lastTested.',
    ],
    graph: [{ method: 'POST', path: '/users/{user-id}/revokeSignInSessions', note: 'The call the runbook rehearses, on a test account; needs User.RevokeSessions.All.' }],
  },
  clientText: 'We checked who in your organization may cut off a stolen session, who owns the steps, and when they were last practised.',
  scopeClass: 'included-support',
  requires: [],
  references: [
    'https://learn.microsoft.com/entra/identity/users/users-revoke-access',
    'https://learn.microsoft.com/graph/api/user-revokesigninsessions',
  ],
  knownLimitations: [
    'The answers come from the engagement file; the check cannot see whether the named people really hold the rights to revoke sessions.',
    `A runbook counts as overdue when its last test is more than ${RUNBOOK_TEST_MAX_AGE_DAYS} days before the assessment date.`,
  ],
  messages: {
    'owners-named': { text: 'Session revocation: {revokers}; runbook owner {owner}, last tested {lastTested}.' },
    'owners-incomplete': { text: 'Session-revocation items missing or out of date in the engagement file: {count}.' },
    'no-engagement': {
      text: 'No engagement file was given, so who may revoke sessions and who owns the runbook is unknown; pass --engagement FILE.',
      client: 'We need to know who in your organization may cut off a stolen session.',
    },
    'no-revokers': {
      text: 'The engagement file names nobody who may revoke sessions (owners.sessionRevocation).',
      client: 'Nobody is named to cut off a stolen session.',
    },
    'no-runbook': {
      text: 'The engagement file names no runbook owner (owners.runbook).',
      client: 'Nobody owns the written steps for cutting off a stolen session.',
    },
    'never-tested': {
      text: 'The runbook owned by {owner} has no last test date (owners.runbook.lastTested).',
      client: 'The steps for cutting off a stolen session have never been practised.',
    },
    'test-overdue': {
      text: 'The runbook owned by {owner} was last tested on {lastTested}, {days} days before this assessment (limit {limit} days).',
      client: 'The steps for cutting off a stolen session were last practised on {lastTested}, over a year ago.',
    },
    'test-date-in-future': {
      text: 'The runbook test date {lastTested} is after the assessment date; correct owners.runbook.lastTested.',
      client: 'The recorded practice date ({lastTested}) is in the future and needs correcting.',
    },
  },
  evaluate({ engagement, now }): CheckOutcome<Message> {
    if (!engagement) {
      return { state: 'manual', summary: { messageId: 'no-engagement', data: {} }, findings: [{ key: `${ID}:engagement`, messageId: 'no-engagement', data: {}, objects: [] }] };
    }
    const owners = engagement.owners;
    const findings: Finding<Message>[] = [];
    if (owners.sessionRevocation.length === 0) findings.push({ key: `${ID}:revokers`, messageId: 'no-revokers', data: {}, objects: [] });

    const runbook = owners.runbook;
    let fails = false;
    if (!runbook) findings.push({ key: `${ID}:runbook`, messageId: 'no-runbook', data: {}, objects: [] });
    else if (!runbook.lastTested) findings.push({ key: `${ID}:runbook-test`, messageId: 'never-tested', data: { owner: runbook.owner.name }, objects: [] });
    else {
      const days = Math.floor((now.getTime() - Date.parse(`${runbook.lastTested}T00:00:00Z`)) / DAY_MS);
      if (days < 0) findings.push({ key: `${ID}:runbook-test`, messageId: 'test-date-in-future', data: { lastTested: runbook.lastTested }, severity: 'low', objects: [] });
      else if (days > RUNBOOK_TEST_MAX_AGE_DAYS) {
        fails = true;
        findings.push({ key: `${ID}:runbook-test`, messageId: 'test-overdue', data: { owner: runbook.owner.name, lastTested: runbook.lastTested, days, limit: RUNBOOK_TEST_MAX_AGE_DAYS }, objects: [] });
      }
    }

    if (findings.length === 0) {
      const data = { revokers: owners.sessionRevocation.map((contact) => contact.name), owner: runbook!.owner.name, lastTested: runbook!.lastTested! };
      return { state: 'pass', summary: { messageId: 'owners-named', data }, findings };
    }
    // Missing entries need a person to supply them, so they are manual; a known but stale test date only warns.
    const onlyStale = fails && findings.length === 1;
    return { state: onlyStale ? 'warn' : 'manual', summary: { messageId: 'owners-incomplete', data: { count: findings.length } }, findings };
  },
};
