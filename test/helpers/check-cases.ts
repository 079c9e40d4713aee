import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { z } from 'zod';

import { tenantLicenses } from '../../src/entra/licenses.js';
import { parseEngagement } from '../../src/engagement/load.js';
import type { Engagement, engagementV1Schema } from '../../src/engagement/schema.js';
import { CHECKS } from '../../src/checks/registry.js';
import { runCheck } from '../../src/checks/run.js';
import type { CheckDefinition, CheckResult, MessageData, ResultState, Severity, SkipReason } from '../../src/checks/types.js';
import type { SignInSummary } from '../../src/signins/review.js';
import type { ResourceName, ResourceStatus } from '../../src/snapshot/resources.js';
import type { Snapshot, SnapshotResources } from '../../src/snapshot/types.js';
import { makeSnapshot } from './tenant.js';

export interface ExpectedFinding<M extends string = string> {
  messageId: M;
  /** Full key, `<check id>:<object id>`; when given it must match exactly. */
  key?: string;
  /** Slots to compare; slots not listed here are not compared. */
  data?: MessageData;
  severity?: Severity;
}

export interface CheckCase<M extends string = string> {
  name: string;
  /** Resources of the tenant (each listed one counts as collected), or a ready snapshot. */
  tenant: Partial<SnapshotResources> | Snapshot;
  /** Statuses for resources or fields (`users.signInActivity`) of a fragment tenant. */
  statuses?: Record<string, ResourceStatus>;
  /** Engagement file content, as a user writes it; defaults apply. Absent means no engagement file. */
  engagement?: z.input<typeof engagementV1Schema>;
  /** Assessment time; defaults to 2026-06-01T00:00:00Z. */
  now?: string;
  /** Sign-in log summary the assessment computed before running checks. */
  signInSummary?: SignInSummary;
  expect: {
    state: ResultState;
    /** Required when `state` is `skipped`. */
    skipReason?: SkipReason;
    /** Message id of the one-line summary, when the case is about it. */
    summary?: M;
    /** Required for fail and warn (non-empty) and manual; must be absent or empty for pass and skipped. */
    findings?: ExpectedFinding<M>[];
  };
}

const DEFAULT_NOW = '2026-06-01T00:00:00Z';

/**
 * Runs a table of cases against one check with a strict tester, as ESLint's RuleTester does:
 * a failing or warning case must state the findings it expects, a passing case must have none,
 * case names are unique, every message renders with all its `{slot}`s filled, and the table as a
 * whole must use every message id of the check's catalogue at least once.
 * Name the test file after the check id so the registry test finds it.
 */
export function runCheckCases<M extends string>(check: CheckDefinition<M>, cases: readonly CheckCase<M>[]): void {
  validateCheckCases(check, cases);
  const used = new Set<string>();
  let ran = 0;

  describe(check.id, () => {
    for (const testCase of cases) {
      it(testCase.name, () => {
        const result = runCase(check, testCase);
        if (result.error) assert.fail(`the check threw: ${result.error.message}`);
        recordUsed(result, used);
        assertCaseResult(testCase, result);
        ran += 1;
      });
    }

    it('uses every message id', (context) => {
      if (ran < cases.length) {
        context.skip('not every case ran, so coverage is unknown');
        return;
      }
      const unused = Object.keys(check.messages).filter((messageId) => !used.has(messageId));
      assert.deepEqual(unused, [], `no case renders these message ids of ${check.id}; add a case that produces each`);
    });
  });
}

/** A check result plus the message id of its summary, which the report does not keep. */
export type CaseResult = CheckResult & { summaryMessageId?: string };

/** Runs one case through the same code path as the assessment, with strict message rendering. */
export function runCase<M extends string>(check: CheckDefinition<M>, testCase: CheckCase<M>): CaseResult {
  const snapshot = isSnapshot(testCase.tenant) ? testCase.tenant : fragmentSnapshot(testCase);
  const engagement: Engagement | null = 
    testCase.engagement === undefined ? null : parseEngagement(JSON.stringify(testCase.engagement), 'engagement.json');
  const context = { snapshot, engagement, now: new Date(testCase.now ?? DEFAULT_NOW), ...(testCase.signInSummary ? { signInSummary: testCase.signInSummary } : {}), checks: CHECKS };
  let summaryMessageId: string | undefined;
  const spy: CheckDefinition = {
    ...(check as CheckDefinition),
    evaluate(evaluateContext) {
      const outcome = check.evaluate(evaluateContext);
      summaryMessageId = outcome.summary.messageId;
      return outcome;
    },
  };
  const result = runCheck(spy, context, tenantLicenses(snapshot), { strictMessages: true });
  return { ...result, summaryMessageId };
}

function fragmentSnapshot(testCase: CheckCase): Snapshot {
  const statuses: Partial<Record<ResourceName, ResourceStatus>> = {};
  const fields: Record<string, ResourceStatus> = {};
  for (const [name, status] of Object.entries(testCase.statuses ?? {})) {
    if (name.includes('.')) fields[name] = status;
    else statuses[name as ResourceName] = status;
  }
  return makeSnapshot(testCase.tenant as Partial<SnapshotResources>, { statuses, fields, collectedAt: testCase.now ?? DEFAULT_NOW });
}

function isSnapshot(tenant: CheckCase['tenant']): tenant is Snapshot {
  return typeof (tenant as Partial<Snapshot>).statusOf === 'function';
}

export function validateCheckCases<M extends string>(check: CheckDefinition<M>, cases: readonly CheckCase<M>[]): void {
  const names = new Set<string>();
  for (const testCase of cases) {
    const where = `${check.id}, case "${testCase.name}"`;
    if (names.has(testCase.name)) throw new Error(`${where}: two cases have this name`);
    names.add(testCase.name);

    const { state, findings, skipReason } = testCase.expect;
    if ((state === 'fail' || state === 'warn') && (findings === undefined || findings.length === 0)) {
      throw new Error(`${where}: a ${state} case must state the findings it expects`);
    }
    if (state === 'manual' && findings === undefined) {
      throw new Error(`${where}: a manual case must state its findings (an empty list when there are none)`);
    }
    if ((state === 'pass' || state === 'skipped') && findings !== undefined && findings.length > 0) {
      throw new Error(`${where}: a ${state} case cannot expect findings`);
    }
    if (state === 'skipped' && skipReason === undefined) throw new Error(`${where}: a skipped case must state its skip reason`);
    if (state !== 'skipped' && skipReason !== undefined) throw new Error(`${where}: skipReason given for a ${state} case`);
    for (const finding of findings ?? []) {
      if (!Object.hasOwn(check.messages, finding.messageId)) {
        throw new Error(`${where}: expected message id "${finding.messageId}" is not in the catalogue`);
      }
    }
  }
}

function recordUsed(result: CaseResult, used: Set<string>): void {
  for (const finding of result.findings) used.add(finding.messageId);
  if (result.summaryMessageId !== undefined) used.add(result.summaryMessageId);
}

export function assertCaseResult(testCase: CheckCase, result: CaseResult): void {
  const { expect } = testCase;
  assert.equal(result.state, expect.state, `state (summary: ${result.summary})`);
  if (expect.skipReason !== undefined) assert.equal(result.skip?.reason, expect.skipReason, 'skip reason');
  if (expect.summary !== undefined) assert.equal(result.summaryMessageId, expect.summary, 'summary message id');

  const expected = expect.findings ?? [];
  const actual = [...result.findings];
  const unmatched: ExpectedFinding[] = [];
  for (const want of expected) {
    const index = actual.findIndex((finding) => findingMatches(finding, want));
    if (index === -1) unmatched.push(want);
    else actual.splice(index, 1);
  }
  const describeActual = (findings: CheckResult['findings']): unknown =>
    findings.map((finding) => ({ messageId: finding.messageId, key: finding.key, data: finding.data }));
  assert.deepEqual(
    { missing: unmatched, unexpected: describeActual(actual) },
    { missing: [], unexpected: [] },
    `findings differ; all actual findings: ${JSON.stringify(describeActual(result.findings), null, 1)}`,
  );
}

function findingMatches(finding: CheckResult['findings'][number], want: ExpectedFinding): boolean {
  if (finding.messageId !== want.messageId) return false;
  if (want.key !== undefined && finding.key !== want.key) return false;
  if (want.severity !== undefined && finding.severity !== want.severity) return false;
  for (const [slot, value] of Object.entries(want.data ?? {})) {
    if (!Object.hasOwn(finding.data, slot)) return false;
    try {
      assert.deepEqual(finding.data[slot], value);
    } catch {
      return false;
    }
  }
  return true;
}
