import { securityDefaultsAndConditionalAccessDoNotConflict as check } from '../../../src/checks/conditional-access/security-defaults-and-conditional-access-do-not-conflict.js';
import { runCheckCases } from '../../helpers/check-cases.js';
import { policy } from '../../helpers/tenant.js';
import { SKUS } from '../skus.js';

const defaults = (isEnabled: boolean) => ({ id: '00000000-0000-0000-0000-000000000005', displayName: 'Security Defaults', isEnabled });
const { entraIdP1: P1, businessBasic: BASIC } = SKUS;

runCheckCases(check, [
  {
    name: 'conditional access only passes',
    tenant: { identitySecurityDefaultsEnforcementPolicy: defaults(false), conditionalAccessPolicies: [policy()] },
    expect: { state: 'pass', summary: 'conditional-access-only' },
  },
  {
    name: 'security defaults only passes',
    tenant: { identitySecurityDefaultsEnforcementPolicy: defaults(true), conditionalAccessPolicies: [policy({ state: 'disabled' })] },
    expect: { state: 'pass', summary: 'security-defaults-only' },
  },
  {
    name: 'both on fails',
    tenant: { identitySecurityDefaultsEnforcementPolicy: defaults(true), conditionalAccessPolicies: [policy()] },
    expect: { state: 'fail', findings: [{ messageId: 'both-on', key: 'security-defaults-and-conditional-access-do-not-conflict', data: { count: 1, policies: ['Require MFA for all users'] } }] },
  },
  {
    name: 'report-only policies are not on',
    tenant: { identitySecurityDefaultsEnforcementPolicy: defaults(false), conditionalAccessPolicies: [policy({ state: 'enabledForReportingButNotEnforced' })] },
    expect: { state: 'fail', findings: [{ messageId: 'neither-on', severity: 'critical', data: { licenseNote: '' } }] },
  },
  {
    name: 'free tenant with defaults off',
    tenant: { identitySecurityDefaultsEnforcementPolicy: defaults(false), subscribedSkus: [BASIC] },
    statuses: { conditionalAccessPolicies: { status: 'unlicensed', license: 'Entra ID P1' } },
    expect: { state: 'fail', findings: [{ messageId: 'neither-on', data: { licenseNote: ' (the tenant has no Entra ID P1, so security defaults are its only option)' } }] },
  },
  {
    name: 'policies unknown with P1',
    tenant: { identitySecurityDefaultsEnforcementPolicy: defaults(false), subscribedSkus: [P1] },
    statuses: { conditionalAccessPolicies: { status: 'forbidden', permission: 'Policy.Read.All' } },
    expect: { state: 'manual', findings: [{ messageId: 'policies-unknown' }] },
  },
  {
    name: 'defaults on and policies unknown',
    tenant: { identitySecurityDefaultsEnforcementPolicy: defaults(true) },
    expect: { state: 'pass', summary: 'security-defaults-only' },
  },
  {
    name: 'defaults not collected',
    tenant: { conditionalAccessPolicies: [] },
    expect: { state: 'skipped', skipReason: 'resource-not-collected' },
  },
]);
