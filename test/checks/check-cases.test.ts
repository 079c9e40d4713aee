import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { CheckDefinition } from '../../src/checks/types.js';
import { assertCaseResult, runCase, validateCheckCases, type CheckCase } from '../helpers/check-cases.js';
import { user } from '../helpers/tenant.js';

const check: CheckDefinition<'none' | 'found'> = {
  id: 'sample-check-is-good',
  area: 'licensing',
  title: 'Sample check is good',
  severity: 'low',
  rationale: 'Sample.',
  remediation: { portal: ['Sample.'], graph: [] },
  clientText: 'Sample.',
  scopeClass: 'included-support',
  requires: [{ resource: 'users' }],
  references: ['https://learn.microsoft.com/'],
  knownLimitations: [],
  messages: { none: { text: 'No users.' }, found: { text: '{name} found.' } },
  evaluate: ({ snapshot }) => {
    const users = snapshot.resources.users ?? [];
    return {
      state: users.length === 0 ? 'pass' : 'fail',
      summary: { messageId: 'none', data: {} },
      findings: users.map((user) => ({ key: `sample-check-is-good:${user.id}`, messageId: 'found' as const, data: { name: user.displayName ?? '' }, objects: [] })),
    };
  },
};

describe('strict case table', () => {
  const rejected: { name: string; cases: CheckCase<'none' | 'found'>[]; error: RegExp }[] = [
    { name: 'fail without findings', cases: [{ name: 'a', tenant: {}, expect: { state: 'fail' } }], error: /must state the findings/ },
    { name: 'warn with empty findings', cases: [{ name: 'a', tenant: {}, expect: { state: 'warn', findings: [] } }], error: /must state the findings/ },
    { name: 'pass with findings', cases: [{ name: 'a', tenant: {}, expect: { state: 'pass', findings: [{ messageId: 'found' }] } }], error: /cannot expect findings/ },
    { name: 'manual without findings list', cases: [{ name: 'a', tenant: {}, expect: { state: 'manual' } }], error: /manual case must state/ },
    { name: 'skipped without reason', cases: [{ name: 'a', tenant: {}, expect: { state: 'skipped' } }], error: /skip reason/ },
    {
      name: 'duplicate names',
      cases: [
        { name: 'a', tenant: {}, expect: { state: 'pass' } },
        { name: 'a', tenant: {}, expect: { state: 'pass' } },
      ],
      error: /two cases have this name/,
    },
    {
      name: 'unknown message id',
      cases: [{ name: 'a', tenant: {}, expect: { state: 'fail', findings: [{ messageId: 'missing' as 'found' }] } }],
      error: /not in the catalogue/,
    },
  ];
  for (const testCase of rejected) {
    it(`rejects ${testCase.name}`, () => {
      assert.throws(() => validateCheckCases(check, testCase.cases), testCase.error);
    });
  }

  it('runs a case through the skip decision', () => {
    const result = runCase(check, { name: 'no users', tenant: {}, expect: { state: 'skipped', skipReason: 'resource-not-collected' } });
    assert.equal(result.state, 'skipped');
    assert.equal(result.skip?.reason, 'resource-not-collected');
  });

  it('records the summary message id', () => {
    const result = runCase(check, { name: 'empty', tenant: { users: [] }, expect: { state: 'pass' } });
    assert.equal(result.summaryMessageId, 'none');
  });

  describe('comparing findings', () => {
    const ana = user({ displayName: 'Ana' });
    const ben = user({ displayName: 'Ben' });
    const tenant = { users: [ana, ben] };
    const result = runCase(check, { name: 'two users', tenant, expect: { state: 'fail', findings: [{ messageId: 'found' }] } });
    const rejected: { name: string; expect: CheckCase<'none' | 'found'>['expect'] }[] = [
      { name: 'a missing expected finding', expect: { state: 'fail', findings: [{ messageId: 'found' }] } },
      { name: 'a wrong key', expect: { state: 'fail', findings: [{ messageId: 'found', key: 'sample-check-is-good:nobody' }, { messageId: 'found' }] } },
      { name: 'wrong slot data', expect: { state: 'fail', findings: [{ messageId: 'found', data: { name: 'Cai' } }, { messageId: 'found' }] } },
      { name: 'a wrong severity', expect: { state: 'fail', findings: [{ messageId: 'found', severity: 'critical' }, { messageId: 'found' }] } },
      { name: 'a wrong state', expect: { state: 'warn', findings: [{ messageId: 'found' }, { messageId: 'found' }] } },
      { name: 'an extra expected finding', expect: { state: 'fail', findings: [{ messageId: 'found' }, { messageId: 'found' }, { messageId: 'found' }] } },
    ];
    for (const testCase of rejected) {
      it(`rejects ${testCase.name}`, () => {
        assert.throws(() => assertCaseResult({ name: testCase.name, tenant, expect: testCase.expect }, result));
      });
    }

    it('accepts matching findings in any order', () => {
      assertCaseResult(
        {
          name: 'both',
          tenant,
          expect: {
            state: 'fail',
            findings: [
              { messageId: 'found', key: `sample-check-is-good:${ben.id}`, data: { name: 'Ben' } },
              { messageId: 'found', key: `sample-check-is-good:${ana.id}`, data: { name: 'Ana' }, severity: 'low' },
            ],
          },
        },
        result,
      );
    });
  });
});
