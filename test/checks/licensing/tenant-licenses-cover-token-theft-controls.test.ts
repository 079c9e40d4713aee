import assert from 'node:assert/strict';
import { it } from 'node:test';

import { tenantLicensesCoverTokenTheftControls as check } from '../../../src/checks/licensing/tenant-licenses-cover-token-theft-controls.js';
import { runCase, runCheckCases } from '../../helpers/check-cases.js';
import { plan, PLANS, sku } from '../skus.js';

const { entraIdP1: AAD_PREMIUM, entraIdP2: AAD_PREMIUM_P2, intune: INTUNE_A } = PLANS;

const businessPremium = sku('SPB', [AAD_PREMIUM, INTUNE_A, plan('EXCHANGE_S_STANDARD', '9aaf7827-d63c-4b61-89c3-182f06f82e5c')]);
const e5 = sku('SPE_E5', [AAD_PREMIUM, AAD_PREMIUM_P2, INTUNE_A]);

runCheckCases(check, [
  {
    name: 'E5 covers everything',
    tenant: { subscribedSkus: [e5] },
    expect: { state: 'pass', summary: 'all-licensed' },
  },
  {
    name: 'Business Premium lacks P2 features',
    tenant: { subscribedSkus: [businessPremium] },
    expect: {
      state: 'warn',
      summary: 'licenses-summary',
      findings: [
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:identity-protection', severity: 'low', data: { license: 'Microsoft Entra ID P2' } },
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:pim', data: { license: 'Microsoft Entra ID P2 or Microsoft Entra ID Governance' } },
      ],
    },
  },
  {
    name: 'free tenant lists the P1 checks',
    tenant: { subscribedSkus: [sku('O365_BUSINESS_ESSENTIALS', [PLANS.exchange])] },
    expect: {
      state: 'fail',
      summary: 'no-licenses',
      findings: [
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:conditional-access', severity: 'high', data: { license: 'Microsoft Entra ID P1' } },
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:identity-protection' },
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:pim' },
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:intune', severity: 'medium' },
      ],
    },
  },
  {
    name: 'suspended SKU does not count',
    tenant: { subscribedSkus: [sku('SPE_E5', [AAD_PREMIUM, AAD_PREMIUM_P2, INTUNE_A], 'Suspended'), businessPremium] },
    expect: {
      state: 'warn',
      findings: [
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:identity-protection' },
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:pim' },
        { messageId: 'sku-unusable', data: { sku: 'SPE_E5', status: 'Suspended' } },
      ],
    },
  },
  {
    name: 'plan not provisioned does not count',
    tenant: { subscribedSkus: [sku('SPE_E5', [AAD_PREMIUM, plan('AAD_PREMIUM_P2', 'eec0eb4f-6444-4f95-aba0-50c24d67f998', 'PendingActivation'), INTUNE_A])] },
    expect: {
      state: 'warn',
      findings: [
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:identity-protection' },
        { messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:pim' },
      ],
    },
  },
  {
    name: 'Governance gives PIM without P2',
    tenant: { subscribedSkus: [businessPremium, sku('Microsoft_Entra_ID_Governance', [PLANS.entraIdGovernance])] },
    expect: { state: 'warn', findings: [{ messageId: 'feature-unavailable', key: 'tenant-licenses-cover-token-theft-controls:identity-protection' }] },
  },
  {
    name: 'SKUs not collected',
    tenant: {},
    statuses: { subscribedSkus: { status: 'forbidden', permission: 'Organization.Read.All' } },
    expect: { state: 'skipped', skipReason: 'permission-missing' },
  },
]);

it('names the checks a missing license skips', () => {
  const result = runCase(check, { name: 'free tenant', tenant: { subscribedSkus: [] }, expect: { state: 'fail', findings: [{ messageId: 'feature-unavailable' }] } });
  const conditionalAccess = result.findings.find((finding) => finding.key === 'tenant-licenses-cover-token-theft-controls:conditional-access');
  const checks = conditionalAccess?.data.checks;
  assert.ok(Array.isArray(checks));
  for (const id of ['conditional-access-policies-are-enforced', 'conditional-access-exclusions-are-reviewed', 'token-protection-policy-is-enabled']) {
    assert.ok(checks.includes(id), id);
  }
  assert.ok(!checks.includes('tenant-licenses-cover-token-theft-controls'));
});
