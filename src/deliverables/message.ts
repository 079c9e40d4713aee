import { severityRank, type CheckResult, type ControlArea, type EvidenceObject } from '../checks/types.js';
import type { Engagement } from '../engagement/schema.js';
import { PROJECT_TITLES } from './catalog.js';
import { formatHours, formatMoney, formatMoneyRange, listNames } from './format.js';
import type { LicenseLine } from './licenses.js';
import type { Roadmap } from './roadmap.js';
import { isPolicy, namedObjects, type OpenFinding, type RiskEntry } from './risks.js';

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
  // A sentence about one policy names it already; the other policies in its evidence are context.
  const namesPolicy = namedObjects(findings.map((entry) => entry.finding)).some((object) => isPolicy(object) && isNamedIn(sentence, object));
  const policies = namesPolicy ? [] : objects.filter(isPolicy).map(label);
  if (people.length > 0) sentence += manyTexts ? ` The same applies to ${listNames(people)}.` : ` Accounts and groups: ${listNames(people)}.`;
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
): ClientMessage {
  const currency = engagement.currency;
  const suppressed = new Set(roadmap.suppressedKeys);
  const assessedAreas = [...new Set(results.filter((result) => result.state !== 'skipped').map((result) => result.area))];
  const paragraphs: ClientMessage['paragraphs'] = [];

  paragraphs.push({
    text: `On ${assessedOn} we reviewed how people sign in to ${clientName}'s Microsoft 365, looking at ${listNames(assessedAreas.map((area) => AREA_PLAIN[area]), 9)}.`,
  });

  // Client decisions (who approves, who reports) are listed once, under the decisions.
  const isClientDecision = (result: CheckResult) => result.state === 'manual' && result.area === 'client-responsibilities';
  const openResults = [...new Set(open.filter((entry) => !suppressed.has(entry.finding.key) && !isClientDecision(entry.result)).map((entry) => entry.result))].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity),
  );
  if (openResults.length > 0) {
    const items = openResults.map((result) => gapSentence(result, open.filter((entry) => entry.result === result && !suppressed.has(entry.finding.key))));
    paragraphs.push({ heading: `What needs attention (${openResults.length})`, items });
  } else {
    paragraphs.push({ heading: 'What needs attention', text: `We found no open gap in the ${results.length} checks we ran.` });
  }

  const signInFindings = open.filter((entry) => entry.result.area === 'sign-in-review' && entry.finding.objects.length > 0);
  if (signInFindings.length > 0) {
    const users = namedObjects(signInFindings.map((entry) => entry.finding)).filter((object) => object.type === 'user');
    if (users.length > 0) {
      paragraphs.push({
        text: `The sign-in logs show sign-ins we want to confirm with ${listNames(users.map((user) => user.displayName ?? user.id))}. This is not proof of a break-in; we will ask each of them before taking any action.`,
      });
    }
  }

  const passing = results.filter((result) => result.state === 'pass');
  if (passing.length > 0) {
    paragraphs.push({ heading: 'In good shape', items: passing.slice(0, 5).map((result) => result.title) });
  }

  const accepted = risks.filter((entry) => entry.match);
  if (accepted.length > 0) {
    paragraphs.push({
      heading: 'Risks you accepted',
      items: accepted.map((entry) => {
        const what = (entry.match!.finding.clientText || entry.match!.result.title).replace(/[.\s]+$/, '');
        if (entry.status === 'evidence-grew') return `${what}: accepted by ${entry.risk.approver} on ${entry.risk.acceptedOn} for ${entry.risk.evidence?.objectCount} item(s), but it now covers ${entry.objectCount}. We need your decision again.`;
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
    const price = license.monthly === null ? '' : `, ${formatMoney(currency, license.monthly)} per month for ${license.users} ${license.users === 1 ? 'user' : 'users'}`;
    decisions.push(`Decide whether to buy ${license.name}${price}; it adds ${license.features.split(',')[0]}.`);
  }
  for (const entry of open.filter((item) => isClientDecision(item.result) && !suppressed.has(item.finding.key))) {
    decisions.push(entry.finding.clientText || entry.result.title);
  }
  if (decisions.length > 0) paragraphs.push({ heading: 'What we need you to decide', items: [...new Set(decisions)] });

  const contact = engagement.owners.sessionRevocation[0]?.name;
  const severe = openResults.filter((result) => result.severity === 'critical' || result.severity === 'high').length;
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
