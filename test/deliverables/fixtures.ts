import type { CheckResult, ControlArea, EvidenceObject, License, ResultState, ScopeClass, Severity, SkipReason } from '../../src/checks/types.js';
import { CONTROL_AREAS, RESULT_STATES, SEVERITIES } from '../../src/checks/types.js';
import type { AssessmentReport, CheckMetadata } from '../../src/report/schema.js';

/** A finding as a fixture states it: key suffix (object id) and the objects it names. */
export interface FindingSpec {
  key?: string;
  clientText?: string;
  severity?: Severity;
  objects: EvidenceObject[];
}

export interface ResultSpec {
  checkId: string;
  area: ControlArea;
  state: ResultState;
  severity?: Severity;
  title?: string;
  summary?: string;
  license?: License;
  scopeClass?: ScopeClass;
  skipReason?: SkipReason;
  findings?: FindingSpec[];
}

/** Tenant id of the demo tenant, which the example engagement files under examples/engagements/ carry. */
export const DEMO_TENANT_ID = '54de065b-719b-4e5b-ab5b-cfddd8d17a5c';

export const user = (id: string, displayName: string): EvidenceObject => ({ type: 'user', id, displayName });
export const group = (id: string, displayName: string): EvidenceObject => ({ type: 'group', id, displayName });
export const policy = (id: string, displayName: string): EvidenceObject => ({ type: 'conditionalAccessPolicy', id, displayName });
export const role = (id: string, displayName: string): EvidenceObject => ({ type: 'directoryRole', id, displayName });

/** Builds a report.json from result specs, with the summary counts a real report carries. */
export function makeReport(specs: ResultSpec[], tenant: { id: string; name: string } = { id: DEMO_TENANT_ID, name: 'Contoso' }, assessedAt = '2026-09-15T10:00:00Z'): AssessmentReport {
  const results: CheckResult[] = specs.map((spec) => {
    const severity = spec.severity ?? 'medium';
    return {
      checkId: spec.checkId,
      area: spec.area,
      title: spec.title ?? spec.checkId,
      severity,
      state: spec.state,
      ...(spec.state === 'skipped' ? { skip: { reason: spec.skipReason ?? 'license-missing', detail: 'needs a license', fix: 'buy it' } } : {}),
      summary: spec.summary ?? `${spec.checkId} is ${spec.state}`,
      findings: (spec.findings ?? []).map((finding) => {
        const key = finding.key ?? `${spec.checkId}:${finding.objects[0]?.id ?? 'tenant'}`;
        return {
          key,
          checkId: spec.checkId,
          severity: finding.severity ?? severity,
          messageId: 'finding',
          data: {},
          text: finding.clientText ?? key,
          clientText: finding.clientText ?? '',
          objects: finding.objects,
        };
      }),
    };
  });

  const checks: Record<string, CheckMetadata> = {};
  for (const spec of specs) {
    checks[spec.checkId] = {
      id: spec.checkId,
      area: spec.area,
      title: spec.title ?? spec.checkId,
      severity: spec.severity ?? 'medium',
      rationale: '',
      clientText: '',
      scopeClass: spec.scopeClass ?? 'hardening-project',
      ...(spec.license ? { license: spec.license } : {}),
      remediation: { portal: [], graph: [] },
      references: [],
      knownLimitations: [],
    };
  }

  const byArea = Object.fromEntries(CONTROL_AREAS.map((area) => [area, Object.fromEntries(RESULT_STATES.map((state) => [state, 0]))])) as AssessmentReport['summary']['byArea'];
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as AssessmentReport['summary']['bySeverity'];
  for (const result of results) {
    byArea[result.area][result.state] += 1;
    if (result.state === 'fail' || result.state === 'warn') for (const finding of result.findings) bySeverity[finding.severity] += 1;
  }

  return {
    schemaVersion: 1,
    tool: { name: 'tokengap', version: '0.0.0-test' },
    assessedAt,
    tenant,
    snapshot: { collectedAt: assessedAt, resources: {}, fields: {}, warnings: [] },
    engagement: null,
    summary: { byArea, bySeverity },
    results,
    checks,
    sections: {},
  };
}

/**
 * Tenant A: three admins on push/SMS MFA, device code flow open for one group through one policy,
 * legacy authentication in report-only, PIM not checked for lack of P2, a device-code sign-in by
 * one user, and an untested revocation runbook.
 */
export function tenantA(tenant?: { id: string; name: string }): AssessmentReport {
  return makeReport([
    {
      checkId: 'admins-have-phishing-resistant-methods',
      area: 'mfa-strength',
      state: 'fail',
      severity: 'high',
      title: 'Admins have a phishing-resistant method registered',
      findings: [
        { objects: [user('u-alex', 'Alex Wilber'), role('r-ga', 'Global Administrator')], clientText: 'Alex Wilber signs in as an admin with push or SMS only.' },
        { objects: [user('u-bianca', 'Bianca Pisani'), role('r-ga', 'Global Administrator')], clientText: 'Bianca Pisani signs in as an admin with push or SMS only.' },
        { objects: [user('u-chen', 'Chen Wu'), role('r-ea', 'Exchange Administrator')], clientText: 'Chen Wu signs in as an admin with push or SMS only.' },
      ],
    },
    {
      checkId: 'device-code-flow-blocked',
      area: 'device-code-flow',
      state: 'fail',
      severity: 'high',
      title: 'Device code flow is blocked for all users',
      findings: [
        {
          key: 'device-code-flow-blocked:grp-rooms',
          objects: [group('grp-rooms', 'Conference Rooms'), policy('pol-dcf', 'Block device code flow')],
          clientText: 'The policy "Block device code flow" leaves out the group Conference Rooms.',
        },
      ],
    },
    {
      checkId: 'legacy-authentication-blocked',
      area: 'conditional-access',
      state: 'warn',
      severity: 'medium',
      title: 'Legacy authentication is blocked',
      findings: [{ objects: [policy('pol-legacy', 'Block legacy auth')], clientText: 'The policy "Block legacy auth" is only in report-only mode.' }],
    },
    { checkId: 'admin-roles-assigned-through-pim', area: 'privileged-access', state: 'skipped', severity: 'medium', title: 'Admin roles are eligible through PIM', license: 'entraIdP2' },
    { checkId: 'mfa-required-for-all-users', area: 'conditional-access', state: 'pass', severity: 'high', title: 'MFA is required for all users on all resources' },
    { checkId: 'revocation-runbook-tested', area: 'session-revocation', state: 'manual', severity: 'medium', title: 'Session revocation runbook is owned and tested', summary: 'No runbook owner or test date in the engagement file.' },
    {
      checkId: 'device-code-sign-ins-absent',
      area: 'sign-in-review',
      state: 'fail',
      severity: 'high',
      title: 'No device-code sign-ins in the logs',
      findings: [{ objects: [user('u-dee', 'Dee Evans')], clientText: 'Dee Evans signed in with a device code on 2026-09-10.' }],
    },
  ], tenant);
}

/**
 * Tenant B: five Global Administrators, legacy authentication allowed for the Legacy Scanners
 * group, nothing wrong with device code flow or admin MFA.
 */
export function tenantB(): AssessmentReport {
  return makeReport(
    [
      {
        checkId: 'global-admin-count-limited',
        area: 'privileged-access',
        state: 'fail',
        severity: 'high',
        title: 'Between two and four Global Administrators',
        findings: [
          {
            key: 'global-admin-count-limited',
            objects: ['Ana', 'Ben', 'Cleo', 'Dmitri', 'Eve'].map((name, index) => user(`u-${index}`, `${name} Admin`)),
            clientText: 'Five people hold Global Administrator.',
          },
        ],
      },
      {
        checkId: 'legacy-authentication-blocked',
        area: 'conditional-access',
        state: 'fail',
        severity: 'high',
        title: 'Legacy authentication is blocked',
        findings: [{ objects: [group('grp-scan', 'Legacy Scanners')], clientText: 'Legacy sign-ins are still allowed for the group Legacy Scanners.' }],
      },
      { checkId: 'admins-have-phishing-resistant-methods', area: 'mfa-strength', state: 'pass', severity: 'high', title: 'Admins have a phishing-resistant method registered' },
      { checkId: 'device-code-flow-blocked', area: 'device-code-flow', state: 'pass', severity: 'high', title: 'Device code flow is blocked for all users' },
    ],
    { id: DEMO_TENANT_ID, name: 'Fabrikam' },
    '2026-10-01T09:00:00Z',
  );
}
