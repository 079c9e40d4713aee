import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { runChecks, SKIP_REASON_FIXES } from '../../src/checks/run.js';
import { log } from '../../src/log.js';
import { SKIP_REASONS, type CheckContext, type CheckDefinition, type CheckOutcome, type ResourceNeed } from '../../src/checks/types.js';
import type { ResourceName, ResourceStatus } from '../../src/snapshot/resources.js';
import type { SnapshotResources } from '../../src/snapshot/types.js';
import { makeSnapshot, user } from '../helpers/tenant.js';

type TestMessage = 'summary' | 'named' | 'with-client';

function testCheck(overrides: Partial<CheckDefinition<TestMessage>> = {}): CheckDefinition<TestMessage> {
  return {
    id: 'test-check-is-good',
    area: 'conditional-access',
    title: 'Test check is good',
    severity: 'high',
    rationale: 'Because.',
    remediation: { portal: ['Do it.'], graph: [] },
    clientText: 'We checked the test control for {user}.',
    scopeClass: 'included-support',
    requires: [{ resource: 'users' }],
    references: [],
    knownLimitations: [],
    messages: {
      summary: { text: '{count} users found.' },
      named: { text: '{user} ({id}) is in {groups}.' },
      'with-client': { text: 'Technician text for {user}.', client: 'Client text for {user}.' },
    },
    evaluate: () => ({ state: 'pass', summary: { messageId: 'summary', data: { count: 0 } }, findings: [] }),
    ...overrides,
  };
}

function context(resources: Partial<SnapshotResources>, statuses: Partial<Record<ResourceName, ResourceStatus>> = {}, fields: Record<string, ResourceStatus> = {}): CheckContext {
  return { snapshot: makeSnapshot(resources, { statuses, fields }), engagement: null, now: new Date('2026-06-01T00:00:00Z') };
}

const P1_SKU = {
  skuId: '078d2b04-f1bd-4111-bbd4-b4b1b354cef4',
  skuPartNumber: 'AAD_PREMIUM',
  capabilityStatus: 'Enabled',
  servicePlans: [{ servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d', servicePlanName: 'AAD_PREMIUM', provisioningStatus: 'Success' }],
};

describe('runChecks skip decision', () => {
  const cases: {
    name: string;
    requires: ResourceNeed[];
    statuses?: Partial<Record<ResourceName, ResourceStatus>>;
    fields?: Record<string, ResourceStatus>;
    resources?: Partial<SnapshotResources>;
    reason: string | null;
    detail?: RegExp;
    requestId?: string;
  }[] = [
    { name: 'collected resource runs', requires: [{ resource: 'users' }], resources: { users: [] }, reason: null },
    { name: 'absent resource', requires: [{ resource: 'users' }], reason: 'resource-not-collected', detail: /users was not collected/ },
    {
      name: 'failed collection carries the request id',
      requires: [{ resource: 'users' }],
      statuses: { users: { status: 'failed', requestId: 'req-123', error: { code: 'ServiceUnavailable' } } },
      reason: 'collection-failed',
      detail: /ServiceUnavailable.*req-123/,
      requestId: 'req-123',
    },
    {
      name: 'forbidden names the permission',
      requires: [{ resource: 'users' }],
      statuses: { users: { status: 'forbidden', permission: 'User.Read.All' } },
      reason: 'permission-missing',
      detail: /User\.Read\.All/,
    },
    {
      name: 'unlicensed resource',
      requires: [{ resource: 'riskyUsers' }],
      statuses: { riskyUsers: { status: 'unlicensed', license: 'Entra ID P2' } },
      reason: 'license-missing',
      detail: /Entra ID P2/,
    },
    {
      name: 'forbidden field of a collected resource',
      requires: [{ resource: 'users' }, { resource: 'users', field: 'signInActivity' }],
      resources: { users: [] },
      fields: { 'users.signInActivity': { status: 'forbidden', permission: 'AuditLog.Read.All' } },
      reason: 'permission-missing',
      detail: /users\.signInActivity.*AuditLog\.Read\.All/,
    },
    { name: 'optional resource missing still runs', requires: [{ resource: 'users', optional: true }], reason: null },
    {
      name: 'failure wins over not collected',
      requires: [{ resource: 'groups' }, { resource: 'users' }],
      statuses: { users: { status: 'failed', requestId: 'req-9' } },
      reason: 'collection-failed',
      requestId: 'req-9',
    },
    {
      name: 'every not-collected resource is named',
      requires: [{ resource: 'groups' }, { resource: 'users' }],
      reason: 'resource-not-collected',
      detail: /groups was not collected.*users was not collected/,
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      const [result] = runChecks(context(testCase.resources ?? {}, testCase.statuses, testCase.fields), [testCheck({ requires: testCase.requires })]);
      assert.ok(result);
      if (testCase.reason === null) {
        assert.equal(result.state, 'pass');
        assert.equal(result.skip, undefined);
        return;
      }
      assert.equal(result.state, 'skipped');
      assert.equal(result.skip?.reason, testCase.reason);
      assert.equal(result.skip?.fix, SKIP_REASON_FIXES[testCase.reason as keyof typeof SKIP_REASON_FIXES]);
      if (testCase.detail) assert.match(result.skip?.detail ?? '', testCase.detail);
      assert.equal(result.skip?.requestId, testCase.requestId);
      assert.deepEqual(result.findings, []);
    });
  }

  it('skips for a license the SKUs lack', () => {
    const [result] = runChecks(context({ users: [], subscribedSkus: [] }), [testCheck({ license: 'entraIdP1' })]);
    assert.equal(result?.state, 'skipped');
    assert.equal(result?.skip?.reason, 'license-missing');
    assert.match(result?.skip?.detail ?? '', /Microsoft Entra ID P1/);
  });

  it('runs when the SKUs grant the license', () => {
    const [result] = runChecks(context({ users: [], subscribedSkus: [P1_SKU] }), [testCheck({ license: 'entraIdP1' })]);
    assert.equal(result?.state, 'pass');
  });

  it('runs when the licenses are unknown', () => {
    const [result] = runChecks(context({ users: [] }), [testCheck({ license: 'entraIdP2' })]);
    assert.equal(result?.state, 'pass');
  });

  it('gives every reason a fix', () => {
    for (const reason of SKIP_REASONS) assert.ok(SKIP_REASON_FIXES[reason].length > 20, reason);
  });
});

describe('runChecks evaluation', () => {
  // The internal-error cases log on purpose; keep the test output readable.
  let level = log.level;
  before(() => {
    level = log.level;
    log.level = 'silent';
  });
  after(() => {
    log.level = level;
  });

  it('turns not-applicable into a skip', () => {
    const check = testCheck({ evaluate: () => ({ state: 'not-applicable', summary: { messageId: 'summary', data: { count: 0 } }, findings: [] }) });
    const [result] = runChecks(context({ users: [] }), [check]);
    assert.equal(result?.state, 'skipped');
    assert.equal(result?.skip?.reason, 'not-applicable');
    assert.equal(result?.skip?.detail, '0 users found.');
  });

  it('contains a throwing check', () => {
    const broken = testCheck({
      id: 'broken-check',
      evaluate: () => {
        throw new TypeError('cannot read x');
      },
    });
    const results = runChecks(context({ users: [] }), [broken, testCheck()]);
    assert.equal(results.length, 2);
    assert.equal(results[0]?.state, 'manual');
    assert.deepEqual(results[0]?.error, { message: 'cannot read x' });
    assert.match(results[0]?.summary ?? '', /broken-check.*cannot read x/);
    assert.equal(results[1]?.state, 'pass');
  });

  const badOutcomes: { name: string; outcome: CheckOutcome<string>; error: RegExp }[] = [
    {
      name: 'unknown message id',
      outcome: { state: 'fail', summary: { messageId: 'nope', data: {} }, findings: [] },
      error: /message id "nope" is not in the catalogue/,
    },
    {
      name: 'key without the check id',
      outcome: { state: 'fail', summary: { messageId: 'summary', data: { count: 1 } }, findings: [{ key: 'other:1', messageId: 'summary', data: { count: 1 }, objects: [] }] },
      error: /does not start with the check id/,
    },
    {
      name: 'duplicate keys',
      outcome: {
        state: 'fail',
        summary: { messageId: 'summary', data: { count: 1 } },
        findings: [
          { key: 'test-check-is-good:1', messageId: 'summary', data: { count: 1 }, objects: [] },
          { key: 'test-check-is-good:1', messageId: 'summary', data: { count: 1 }, objects: [] },
        ],
      },
      error: /two findings have the key/,
    },
  ];
  for (const testCase of badOutcomes) {
    it(`reports ${testCase.name} as an internal error`, () => {
      const check = testCheck({ evaluate: () => testCase.outcome as CheckOutcome<TestMessage> });
      const [result] = runChecks(context({ users: [] }), [check]);
      assert.equal(result?.state, 'manual');
      assert.match(result?.error?.message ?? '', testCase.error);
    });
  }

  it('renders findings from the catalogue', () => {
    const alice = user({ displayName: 'Alice' });
    const check = testCheck({
      evaluate: (): CheckOutcome<TestMessage> => ({
        state: 'fail',
        summary: { messageId: 'summary', data: { count: 2 } },
        findings: [
          { key: `test-check-is-good:${alice.id}`, messageId: 'named', data: { user: 'Alice', id: alice.id!, groups: ['A', 'B'] }, objects: [{ type: 'user', id: alice.id!, displayName: 'Alice' }] },
          { key: 'test-check-is-good:x', messageId: 'with-client', data: { user: 'Bob' }, severity: 'low', objects: [] },
        ],
      }),
    });
    const [result] = runChecks(context({ users: [alice] }), [check]);
    assert.equal(result?.state, 'fail');
    assert.equal(result?.summary, '2 users found.');
    const [first, second] = result?.findings ?? [];
    assert.equal(first?.text, `Alice (${alice.id}) is in A, B.`);
    assert.equal(first?.clientText, 'We checked the test control for Alice.');
    assert.equal(first?.severity, 'high');
    assert.equal(first?.checkId, 'test-check-is-good');
    assert.equal(second?.text, 'Technician text for Bob.');
    assert.equal(second?.clientText, 'Client text for Bob.');
    assert.equal(second?.severity, 'low');
  });

  it('keeps an unfilled slot visible unless strict', () => {
    const check = testCheck({ evaluate: () => ({ state: 'pass', summary: { messageId: 'summary', data: {} }, findings: [] }) });
    const [lenient] = runChecks(context({ users: [] }), [check]);
    assert.equal(lenient?.summary, '{count} users found.');
    const [strict] = runChecks(context({ users: [] }), [check], { strictMessages: true });
    assert.equal(strict?.state, 'manual');
    assert.match(strict?.error?.message ?? '', /no data for slot \{count\}/);
  });
});
