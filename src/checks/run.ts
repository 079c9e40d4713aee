import { LICENSE_NAMES, tenantLicenses, type TenantLicenses } from '../entra/licenses.js';
import { log } from '../log.js';
import type { ResourceStatus } from '../snapshot/resources.js';
import { fillTemplate, fillTemplateStrict } from './messages.js';
import { CHECKS } from './registry.js';
import type {
  CheckContext,
  CheckDefinition,
  CheckOutcome,
  CheckResult,
  Finding,
  MessageData,
  RenderedFinding,
  ResourceNeed,
  SkipReason,
} from './types.js';

/** The one fix shown for each skip reason; `detail` names the resource, permission or license. */
export const SKIP_REASON_FIXES: Readonly<Record<SkipReason, string>> = {
  'resource-not-collected':
    'Collect the snapshot again with `tokengap collect`, or add the Graph export of the named resource to the snapshot folder, then assess again.',
  'collection-failed':
    'Collect the snapshot again; if the same request keeps failing, open a Microsoft support case quoting the request id.',
  'permission-missing':
    'Grant the named Microsoft Graph application permission to the collection app, give admin consent, then collect and assess again.',
  'license-missing':
    'The control needs the named license. Buy it to use the control, or record the gap as an accepted risk; the licensing check lists what the tenant has.',
  'not-applicable': 'No action needed: the check does not apply to this tenant.',
};

/**
 * Order in which skip reasons win when a check lacks several resources: a failure or a missing
 * permission is fixable now and hides what a new collection would show, so it is reported first.
 */
const SKIP_PRIORITY: readonly SkipReason[] = ['collection-failed', 'permission-missing', 'license-missing', 'resource-not-collected'];

export interface RunOptions {
  /**
   * Throw on a message slot without data (tests). Otherwise the `{slot}` stays visible in the
   * text, so one missing value does not hide a check's result.
   */
  strictMessages?: boolean;
}

/**
 * Runs checks against a snapshot. Whether a check is skipped is decided here, for every check,
 * from its `requires`, its `license` and the snapshot's statuses, so a missing permission,
 * license or failed collection is never reported as a failed control.
 *
 * A check that throws (or returns an unknown message id or a malformed key) does not stop the
 * assessment: its result has state `manual`, because a person must now review the control by
 * hand, and carries `error` naming the check and the error message.
 */
export function runChecks(context: CheckContext, checks: readonly CheckDefinition[] = CHECKS, options: RunOptions = {}): CheckResult[] {
  const licenses = tenantLicenses(context.snapshot);
  const runContext: CheckContext = { ...context, checks };
  return checks.map((check) => runCheck(check, runContext, licenses, options));
}

export function runCheck(check: CheckDefinition, context: CheckContext, licenses: TenantLicenses, options: RunOptions = {}): CheckResult {
  const skip = decideSkip(check, context, licenses);
  if (skip !== undefined) {
    return { ...resultHeader(check), state: 'skipped', skip: { ...skip, fix: SKIP_REASON_FIXES[skip.reason] }, summary: skip.detail, findings: [] };
  }

  let outcome: CheckOutcome;
  let findings: RenderedFinding[];
  let summary: string;
  try {
    outcome = check.evaluate(context);
    summary = render(check, outcome.summary.messageId, outcome.summary.data, 'text', options);
    findings = renderFindings(check, outcome.findings, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error({ checkId: check.id, err: message }, 'check failed with an internal error');
    return {
      ...resultHeader(check),
      state: 'manual',
      error: { message },
      summary: `tokengap could not evaluate the check ${check.id} (internal error: ${message}). Review this control by hand and report the error to the tokengap maintainers.`,
      findings: [],
    };
  }

  if (outcome.state === 'not-applicable') {
    return {
      ...resultHeader(check),
      state: 'skipped',
      skip: { reason: 'not-applicable', detail: summary, fix: SKIP_REASON_FIXES['not-applicable'] },
      summary,
      findings: [],
    };
  }
  return { ...resultHeader(check), state: outcome.state, summary, findings };
}

/** Stable finding key: `<check id>:<object id>`, or the check id alone for a tenant-wide finding. */
export function findingKey(checkId: string, objectId?: string): string {
  return objectId === undefined ? checkId : `${checkId}:${objectId}`;
}

function resultHeader(check: CheckDefinition): Pick<CheckResult, 'checkId' | 'area' | 'title' | 'severity'> {
  return { checkId: check.id, area: check.area, title: check.title, severity: check.severity };
}

type SkipDecision = { reason: SkipReason; detail: string; requestId?: string };

/** Decides whether a check is skipped before it runs; no other code makes this decision. */
export function decideSkip(check: CheckDefinition, context: CheckContext, licenses: TenantLicenses): SkipDecision | undefined {
  const problems: { reason: SkipReason; need: ResourceNeed; status: ResourceStatus }[] = [];
  for (const need of check.requires) {
    if (need.optional) continue;
    const status = context.snapshot.statusOf(need.resource, need.field);
    const reason = reasonOfStatus(status);
    if (reason !== undefined) problems.push({ reason, need, status });
  }

  for (const reason of SKIP_PRIORITY) {
    const matching = problems.filter((problem) => problem.reason === reason);
    if (matching.length === 0) continue;
    const requestId = matching.find((problem) => problem.status.requestId !== undefined)?.status.requestId;
    return {
      reason,
      detail: matching.map((problem) => describeProblem(problem.need, problem.status)).join('; '),
      ...(requestId !== undefined ? { requestId } : {}),
    };
  }

  // When subscribedSkus was not collected the tenant's licenses are unknown, so the check runs:
  // the statuses of the resources it reads still show when Graph refused them for lack of a license.
  if (check.license !== undefined && licenses.known && !licenses.has.has(check.license)) {
    return {
      reason: 'license-missing',
      detail: `The tenant has no active ${LICENSE_NAMES[check.license]} service plan in its subscribed SKUs.`,
    };
  }
  return undefined;
}

function reasonOfStatus(status: ResourceStatus): SkipReason | undefined {
  switch (status.status) {
    case 'collected':
      return undefined;
    case 'notCollected':
      return 'resource-not-collected';
    case 'failed':
      return 'collection-failed';
    case 'forbidden':
      return 'permission-missing';
    case 'unlicensed':
      return 'license-missing';
  }
}

function describeProblem(need: ResourceNeed, status: ResourceStatus): string {
  const name = need.field === undefined ? need.resource : `${need.resource}.${need.field}`;
  const graphError = status.error?.code ?? status.error?.message;
  switch (status.status) {
    case 'notCollected':
      return `${name} was not collected.`;
    case 'failed':
      return `Collecting ${name} failed${graphError ? ` (${graphError})` : ''}${status.requestId ? `, request id ${status.requestId}` : ''}.`;
    case 'forbidden':
      return `Collecting ${name} was refused: the collection app lacks the permission ${status.permission ?? '(not recorded)'}.`;
    case 'unlicensed':
      return `Graph refused ${name} because the tenant lacks ${status.license ?? 'a required license'}.`;
    case 'collected':
      return `${name} was collected.`;
  }
}

function renderFindings(check: CheckDefinition, findings: readonly Finding[], options: RunOptions): RenderedFinding[] {
  const seen = new Set<string>();
  return findings.map((finding) => {
    if (finding.key !== check.id && !finding.key.startsWith(`${check.id}:`)) {
      throw new Error(`finding key "${finding.key}" does not start with the check id`);
    }
    if (seen.has(finding.key)) throw new Error(`two findings have the key "${finding.key}"`);
    seen.add(finding.key);
    return {
      key: finding.key,
      checkId: check.id,
      severity: finding.severity ?? check.severity,
      messageId: finding.messageId,
      data: finding.data,
      text: render(check, finding.messageId, finding.data, 'text', options),
      clientText: render(check, finding.messageId, finding.data, 'client', options),
      objects: finding.objects,
    };
  });
}

function render(check: CheckDefinition, messageId: string, data: MessageData, audience: 'text' | 'client', options: RunOptions): string {
  const template = Object.hasOwn(check.messages, messageId) ? check.messages[messageId] : undefined;
  if (template === undefined) throw new Error(`message id "${messageId}" is not in the catalogue`);
  const source = audience === 'client' ? (template.client ?? check.clientText) : template.text;
  const where = `${check.id} message "${messageId}"${audience === 'client' ? ' (client text)' : ''}`;
  return options.strictMessages ? fillTemplateStrict(source, data, where) : fillTemplate(source, data).text;
}
