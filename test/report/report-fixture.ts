import { summarize } from '../../src/report/summary.js';
import type { CheckResult } from '../../src/checks/types.js';
import type { AssessmentReport, CheckMetadata } from '../../src/report/schema.js';

/** Builds a failing result with one finding that names one policy; tests override any part. */
export function failingResult(overrides: Partial<CheckResult> = {}): CheckResult {
  return {
    checkId: 'device-code-flow-blocked',
    area: 'device-code-flow',
    title: 'Device code flow is blocked for all users',
    severity: 'high',
    state: 'fail',
    summary: 'Device code flow is not blocked for 2 users.',
    findings: [
      {
        key: 'device-code-flow-blocked:policy-1',
        checkId: 'device-code-flow-blocked',
        severity: 'high',
        messageId: 'excludedGroup',
        data: { group: 'Field Tablets' },
        text: 'Policy CA02 excludes the group Field Tablets.',
        clientText: 'Two field staff can still be phished with a device code.',
        objects: [
          { type: 'conditionalAccessPolicy', id: 'policy-1', displayName: 'CA02 - Block device code flow', path: 'conditionalAccessPolicies.json#/value/1' },
          { type: 'group', id: 'group-1', displayName: 'Field Tablets' },
        ],
      },
    ],
    ...overrides,
  };
}

export function metadataFor(result: CheckResult, overrides: Partial<CheckMetadata> = {}): CheckMetadata {
  return {
    id: result.checkId,
    area: result.area,
    title: result.title,
    severity: result.severity,
    rationale: 'Device code phishing hands an attacker a refresh token.',
    clientText: 'We checked that nobody can be tricked into signing in an attacker with a code.',
    scopeClass: 'hardening-project',
    remediation: {
      portal: ['Open Conditional Access > Policies.', 'Remove the group exclusion from CA02.'],
      graph: [{ method: 'PATCH', path: '/identity/conditionalAccess/policies/policy-1', body: { conditions: { users: { excludeGroups: [] } } } }],
    },
    references: ['https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows'],
    knownLimitations: [],
    ...overrides,
  };
}

/** Builds a report of the given results with metadata for each, for renderer tests. */
export function reportOf(results: CheckResult[], overrides: Partial<AssessmentReport> = {}): AssessmentReport {
  return {
    schemaVersion: 1,
    tool: { name: 'tokengap', version: '9.9.9-test' },
    assessedAt: '2026-11-20T09:00:00.000Z',
    tenant: { id: '11111111-2222-4333-8444-555555555555', name: 'Fixture Tenant' },
    snapshot: {
      collectedAt: '2026-11-20T08:00:00Z',
      resources: { conditionalAccessPolicies: { status: 'collected', count: 2 }, riskyUsers: { status: 'unlicensed', license: 'Microsoft Entra ID P2' } },
      fields: {},
      warnings: [],
    },
    engagement: null,
    summary: summarize(results),
    results,
    checks: Object.fromEntries(results.map((result) => [result.checkId, metadataFor(result)])),
    sections: {},
    ...overrides,
  };
}
