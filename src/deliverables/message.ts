import { severityRank, type CheckResult, type ControlArea, type EvidenceObject } from '../checks/types.js';
import type { Engagement } from '../engagement/schema.js';
import { PROJECT_TITLES } from './catalog.js';
import { formatHours, formatMoney, formatMoneyRange, listNames } from './format.js';
import type { LicenseLine } from './licenses.js';
import type { Roadmap } from './roadmap.js';
import { COMPROMISE_CHECK_ID } from '../report/compromise.js';
import type { CheckMetadata } from '../report/schema.js';
import { attentionCounts, isSevere } from '../report/summary.js';
import { plural } from '../report/text.js';
import { isPolicy, namedObjects, principalCount, type OpenFinding, type RiskEntry } from './risks.js';

/** Scope of each area, in words for the client's owner or office manager. */
const AREA_PLAIN: Record<ControlArea, string> = {
  'privileged-access': 'who holds admin roles',
  'mfa-strength': 'how your admins prove who they are when they sign in',
  'device-code-flow': 'the "enter this code" sign-in that recent phishing kits abuse',
  'conditional-access': 'the sign-in rules that require MFA',
  'sign-in-review': 'your recent sign-in logs',
  'session-revocation': 'how quickly a stolen sign-in session can be shut down',
  'device-compliance': 'whether only managed devices can open email and files',
  'client-responsibilities': 'the decisions only your team can make',
  licensing: 'whether your Microsoft licenses allow these protections',
};

export interface ClientMessage {
  subject: string;
  paragraphs: { heading?: string; text?: string; items?: string[] }[];
}

/** Returns true when the text already names the object: its display name, id or the UPN in its name. */
function isNamedIn(text: string, object: EvidenceObject): boolean {
  const name = object.displayName ?? '';
  const upn = /\(([^()\s]+@[^()\s]+)\)/.exec(name)?.[1];
  return (name !== '' && text.includes(name)) || text.includes(object.id) || (upn !== undefined && text.includes(upn));
}

/** Builds one line per open check: its client texts, then the accounts and policies they name. */
function gapSentence(result: CheckResult, findings: readonly OpenFinding[]): string {
  const texts = [...new Set(findings.map((entry) => entry.finding.clientText.trim()).filter((text) => text !== ''))];
  // Many texts usually mean one per object ("Alex signs in with SMS only"): show the first and
  // name the other objects after it instead of repeating the sentence.
  const manyTexts = texts.length > 2;
  let sentence = texts.join(' ');
  if (texts.length === 0) sentence = result.summary;
  else if (manyTexts) sentence = texts[0]!;

  const objects = namedObjects(findings.map((entry) => entry.finding)).filter((object) => !isNamedIn(sentence, object));
  const label = (object: EvidenceObject) => object.displayName ?? object.id;
  const people = objects.filter((object) => !isPolicy(object)).map(label);
  // A check may name only the first few accounts: count the ones it left out too.
  const allPeople = namedObjects(findings.map((entry) => entry.finding)).filter((object) => !isPolicy(object)).length;
  const peopleTotal = people.length + Math.max(0, principalCount(findings.map((entry) => entry.finding)) - allPeople);
  // A sentence about one policy names it already; the other policies in its evidence are context.
  const namesPolicy = namedObjects(findings.map((entry) => entry.finding)).some((object) => isPolicy(object) && isNamedIn(sentence, object));
  const policies = namesPolicy ? [] : objects.filter(isPolicy).map(label);
  if (people.length > 0) sentence += manyTexts ? ` The same applies to ${listNames(people, 4, peopleTotal)}.` : ` Accounts and groups: ${listNames(people, 4, peopleTotal)}.`;
  if (policies.length > 0) sentence += ` Policies: ${listNames(policies)}.`;
  return sentence;
}

/**
 * Writes the client message from the findings: what was checked, each open gap with the admins,
 * policies and groups it names, what is in good shape, and the decisions the client must make.
 */
export function buildClientMessage(
  clientName: string,
  assessedOn: string,
  results: readonly CheckResult[],
  open: readonly OpenFinding[],
  roadmap: Roadmap,
  licenses: readonly LicenseLine[],
  risks: readonly RiskEntry[],
  engagement: Engagement,
  checks: Readonly<Record<string, CheckMetadata>> = {},
): ClientMessage {
  const currency = engagement.currency;
  const suppressed = new Set(roadmap.suppressedKeys);
  const assessedAreas = [...new Set(results.filter((result) => result.state !== 'skipped').map((result) => result.area))];
  const paragraphs: ClientMessage['paragraphs'] = [];

  paragraphs.push({
    text: `On ${assessedOn} we reviewed how people sign in to ${clientName}'s Microsoft 365, looking at ${listNames(assessedAreas.map((area) => AREA_PLAIN[area]), 9)}.`,
  });

  // A probably stolen session comes first, with the one action that stops it.
  const compromised = open.filter((entry) => entry.result.checkId === COMPROMISE_CHECK_ID);
  const contact = engagement.owners.sessionRevocation[0]?.name;
  if (compromised.length > 0) {
    const who = contact ? `${contact} can do this today as soon as you agree` : 'we can do this today as soon as you agree';
    paragraphs.push({ heading: 'Urgent: probably stolen session', items: compromised.map((entry) => entry.finding.clientText) });
    paragraphs.push({
      text:
        `Revoking the sessions signs ${compromised.length === 1 ? 'this user' : 'these users'} out on every device; ${compromised.length === 1 ? 'they sign' : 'each signs'} in again with MFA, ` +
        `and we reset the password and check the mailbox rules at the same time. We recommend revoking now; ${who}.`,
    });
  }

  const compromisedIds = new Set(compromised.flatMap((entry) => entry.finding.objects.map((object) => object.id.toLowerCase())));
  const compromisedUpns = compromised.map((entry) => String(entry.finding.data.user ?? '').toLowerCase()).filter((upn) => upn !== '');
  // The log may name a user by UPN where the directory evidence uses the object id.
  const isCompromised = (object: EvidenceObject) =>
    compromisedIds.has(object.id.toLowerCase()) || compromisedUpns.some((upn) => (object.displayName ?? '').toLowerCase().includes(upn) || object.id.toLowerCase() === upn);

  // Client decisions (who approves, who reports) are listed once, under the decisions. The gaps
  // are counted as the report summary counts them (see attentionCounts): one per check.
  const isClientDecision = (result: CheckResult) => result.state === 'manual' && result.area === 'client-responsibilities';
  const isCompromise = (result: CheckResult) => result.checkId === COMPROMISE_CHECK_ID;
  const attention = attentionCounts(results);
  const openResults = [
    ...new Set(open.filter((entry) => !suppressed.has(entry.finding.key) && !isClientDecision(entry.result) && !isCompromise(entry.result)).map((entry) => entry.result)),
  ].sort((a, b) => Number(isSevere(b)) - Number(isSevere(a)) || severityRank(b.severity) - severityRank(a.severity));
  const decisionChecks = new Set(open.filter((entry) => isClientDecision(entry.result)).map((entry) => entry.result)).size;
  const acceptedChecks = [...new Set(open.filter((entry) => suppressed.has(entry.finding.key)).map((entry) => entry.result))].filter(
    (result) => !openResults.includes(result),
  ).length;
  if (openResults.length > 0) {
    const items = openResults.map((result) => {
      const entries = open.filter((entry) => entry.result === result && !suppressed.has(entry.finding.key));
      // A sign-in lead about a user already reported as compromised is part of that incident.
      const leadUsers = namedObjects(entries.map((entry) => entry.finding)).filter((object) => !isPolicy(object));
      if (result.area === 'sign-in-review' && leadUsers.length > 0 && leadUsers.every(isCompromised)) {
        return `${result.summary.replace(/[.\s]+$/, '')}: part of the stolen session above, so there is nothing separate to confirm.`;
      }
      const sentence = gapSentence(result, entries);
      // When part of this check is an accepted risk, the sentence states it so the accepted part is not read as open.
      const acceptedHere = open.some((entry) => entry.result === result && suppressed.has(entry.finding.key));
      return acceptedHere ? `${sentence} (This is apart from the risk you accepted, listed below.)` : sentence;
    });
    const elsewhere = [
      compromised.length > 0 ? 'the stolen session above' : '',
      decisionChecks > 0 ? `${plural(decisionChecks, 'decision')} listed further down` : '',
      acceptedChecks > 0 ? `${plural(acceptedChecks, 'risk')} you accepted` : '',
    ].filter((part) => part !== '');
    const text =
      `Our report finds that ${attention.checks} of the ${plural(results.length, 'check')} need attention, ${attention.severe} of them rated high or critical` +
      (elsewhere.length > 0 ? `; besides the ${plural(openResults.length, 'gap')} below, that count includes ${listNames(elsewhere)}.` : '.');
    paragraphs.push({ heading: `What needs attention (${plural(openResults.length, 'gap')})`, text, items });
  } else {
    paragraphs.push({ heading: 'What needs attention', text: `We found no open gap in the ${plural(results.length, 'check')} we ran.` });
  }

  // Sign-ins that only need confirming (a device-code sign-in without signs of theft).
  const signInFindings = open.filter((entry) => entry.result.area === 'sign-in-review' && !isCompromise(entry.result) && entry.finding.objects.length > 0);
  const toConfirm = namedObjects(signInFindings.map((entry) => entry.finding)).filter((object) => object.type === 'user' && !isCompromised(object));
  if (toConfirm.length > 0) {
    const one = toConfirm.length === 1;
    paragraphs.push({
      text: `The sign-in logs show sign-ins we want to confirm with ${listNames(toConfirm.map((user) => user.displayName ?? user.id))}. This is not proof of a break-in; we will ask ${one ? 'them' : 'each of them'} before taking any action.`,
    });
  }

  const passing = results.filter((result) => result.state === 'pass');
  if (passing.length > 0) {
    // The client text says what was checked in plain words; the check title is for technicians.
    paragraphs.push({ heading: 'In good shape', items: passing.slice(0, 5).map((result) => checks[result.checkId]?.clientText || result.title) });
  }

  const accepted = risks.filter((entry) => entry.match);
  if (accepted.length > 0) {
    paragraphs.push({
      heading: 'Risks you accepted',
      items: accepted.map((entry) => {
        const what = (entry.match!.finding.clientText || entry.match!.result.title).replace(/[.\s]+$/, '');
        if (entry.status === 'evidence-grew') return `${what}: accepted by ${entry.risk.approver} on ${entry.risk.acceptedOn} for ${plural(entry.risk.evidence?.objectCount ?? 0, 'item')}, but it now covers ${entry.objectCount}. We need your decision again.`;
        if (entry.status === 'review-overdue') return `${what}: accepted by ${entry.risk.approver}; the agreed review date (${entry.risk.reviewBy}) has passed.`;
        return `${what}: accepted by ${entry.risk.approver} until ${entry.risk.reviewBy}.`;
      }),
    });
  }

  const decisions: string[] = [];
  for (const project of roadmap.projects) {
    const fromAllowance = project.lines.some((line) => line.funding === 'emergency-allowance');
    const covered = fromAllowance ? 'covered by the emergency-response allowance' : 'covered by your monthly support';
    let cost = `estimated ${formatMoneyRange(currency, project.billable)}`;
    if (project.unpriced > 0) cost = 'price to follow';
    else if (project.billable.max === 0) cost = covered;
    decisions.push(`Approve the project "${PROJECT_TITLES[project.project]}" (${formatHours(project.hours)}, ${cost}).`);
  }
  for (const license of licenses) {
    const price = license.monthly === null ? '' : `, ${formatMoney(currency, license.monthly)} per month for ${plural(license.users ?? 0, 'user')}`;
    decisions.push(`Decide whether to buy ${license.name}${price}; it adds ${license.features.split(',')[0]}.`);
  }
  for (const entry of open.filter((item) => isClientDecision(item.result) && !suppressed.has(item.finding.key))) {
    decisions.push(entry.finding.clientText || entry.result.title);
  }
  if (decisions.length > 0) paragraphs.push({ heading: 'What we need you to decide', items: [...new Set(decisions)] });

  const severe = openResults.filter(isSevere).length;
  let closing: string;
  if (severe > 0) {
    const gaps = severe === 1 ? 'gap is' : 'gaps are';
    closing = `${severe} of these ${gaps} rated high or critical, so we suggest deciding on ${severe === 1 ? 'it' : 'them'} this month.`;
    if (contact) closing += ` ${contact} can walk you through the details.`;
  } else if (decisions.length > 0) {
    closing = 'Nothing here is urgent; we can go through it at the next review.';
    if (contact) closing += ` ${contact} can answer questions before then.`;
  } else {
    closing = `Nothing needs a decision now; we will run the same ${results.length} checks again before the next review.`;
  }
  paragraphs.push({ text: closing });

  return { subject: `${clientName}: Microsoft 365 sign-in security review, ${assessedOn}`, paragraphs };
}
