import { LICENSE_NAMES, tenantLicenses } from '../../entra/licenses.js';
import type { CheckDefinition, CheckOutcome, Finding, License, Severity } from '../types.js';

const ID = 'tenant-licenses-cover-token-theft-controls';

/**
 * Token-theft controls and the licenses that allow them (any one of `anyOf` suffices). Source:
 * Microsoft Entra licensing, learn.microsoft.com/entra/fundamentals/licensing, and the license
 * notes of each feature's documentation.
 */
/** `feature` names the controls for the technician, and `clientFeature` describes what they do in plain words. */
export const LICENSED_FEATURES: readonly { key: string; feature: string; clientFeature: string; anyOf: readonly License[]; severity: Severity }[] = [
  {
    key: 'conditional-access',
    feature: 'Conditional Access (blocking device code flow, requiring phishing-resistant MFA, token protection), sign-in logs through Graph and the authentication methods registration report',
    clientFeature: 'custom sign-in rules (such as blocking device-code phishing or requiring security keys for administrators) and full sign-in records',
    anyOf: ['entraIdP1'],
    severity: 'high',
  },
  { key: 'identity-protection', feature: 'risk-based Conditional Access, risky users and risk detections (Identity Protection)', clientFeature: 'automatic blocking of sign-ins and accounts that Microsoft rates as risky', anyOf: ['entraIdP2'], severity: 'low' },
  { key: 'pim', feature: 'Privileged Identity Management (just-in-time admin roles)', clientFeature: 'admin rights that are switched on only when needed', anyOf: ['entraIdP2', 'entraIdGovernance'], severity: 'low' },
  { key: 'intune', feature: 'device compliance for Conditional Access (Intune)', clientFeature: 'allowing access only from devices your organization manages', anyOf: ['intune'], severity: 'medium' },
];

type Message = 'all-licensed' | 'licenses-summary' | 'no-licenses' | 'feature-unavailable' | 'sku-unusable';

export const tenantLicensesCoverTokenTheftControls: CheckDefinition<Message> = {
  id: ID,
  area: 'licensing',
  title: 'The tenant\'s licenses cover the token-theft controls',
  severity: 'medium',
  rationale:
    'Most controls against token theft are licensed features: Conditional Access needs Entra ID P1, risk-based policies need P2, just-in-time admin roles need P2 or Entra ID Governance, and device compliance needs Intune. Knowing which the tenant has tells the client which fixes are configuration and which need a purchase, and explains why some checks were skipped.',
  remediation: {
    portal: [
      'Review the tenant\'s subscriptions in the Microsoft 365 admin center > Billing > Your products.',
      'Where a finding names a missing license, price it for the client (Microsoft 365 Business Premium includes Entra ID P1 and Intune; Microsoft 365 E5 includes Entra ID P2).',
    ],
    graph: [{ method: 'GET', path: '/subscribedSkus', note: 'Lists SKUs with their service plans and capability status; needs Organization.Read.All.' }],
  },
  clientText: 'We checked which security features your Microsoft subscriptions include, and which protections would need an upgrade.',
  scopeClass: 'roadmap-item',
  requires: [{ resource: 'subscribedSkus' }],
  references: [
    'https://learn.microsoft.com/entra/fundamentals/licensing',
    'https://learn.microsoft.com/entra/identity/users/licensing-service-plan-reference',
    'https://learn.microsoft.com/entra/id-governance/licensing-fundamentals',
  ],
  knownLimitations: [
    'Licenses are read from service plans (AAD_PREMIUM, AAD_PREMIUM_P2, Entra_Identity_Governance, INTUNE_A) whose provisioning status is Success, in SKUs that are not Suspended, Deleted or LockedOut; the number of assigned seats is not compared with the number of users.',
    'Entra ID P2 is taken to include every P1 feature.',
    'Workload Identities Premium, Defender and Purview licenses are not read.',
  ],
  messages: {
    'all-licensed': { text: 'The tenant\'s SKUs include {licenses}; every token-theft control tokengap checks is available.' },
    'licenses-summary': { text: 'The tenant\'s SKUs include {licenses}; {count} {count|group|groups} of controls {count|needs|need} a license the tenant lacks.' },
    'no-licenses': { text: 'No SKU has a usable Entra ID or Intune service plan; {count} {count|group|groups} of controls {count|needs|need} a license the tenant lacks.' },
    'feature-unavailable': {
      text: '{feature} needs {license}, which the tenant\'s SKUs do not include; checks skipped or limited for this reason: {checks}.',
      client: 'Your subscriptions do not include {license}, which is needed for {clientFeature}.',
    },
    'sku-unusable': {
      text: 'SKU {sku} has capability status {status}, so its service plans are not counted.',
      client: 'The subscription {sku} is suspended, locked or deleted, so its features cannot be used.',
    },
  },
  evaluate({ snapshot, checks = [] }): CheckOutcome<Message> {
    const licenses = tenantLicenses(snapshot);
    const findings: Finding<Message>[] = [];

    for (const row of LICENSED_FEATURES) {
      if (row.anyOf.some((license) => licenses.has.has(license))) continue;
      const affected = checks.filter((check) => check.license !== undefined && row.anyOf.includes(check.license)).map((check) => check.id);
      findings.push({
        key: `${ID}:${row.key}`,
        messageId: 'feature-unavailable',
        data: { feature: row.feature, clientFeature: row.clientFeature, license: row.anyOf.map((license) => LICENSE_NAMES[license]).join(' or '), checks: affected },
        severity: row.severity,
        objects: [],
      });
    }
    for (const sku of licenses.unusableSkus) {
      findings.push({
        key: `${ID}:${sku.skuId}`,
        messageId: 'sku-unusable',
        data: { sku: sku.skuPartNumber ?? sku.skuId, status: sku.capabilityStatus },
        severity: 'low',
        objects: [{ type: 'subscribedSku', id: sku.skuId, displayName: sku.skuPartNumber }],
      });
    }

    const present = [...licenses.has].map((license) => LICENSE_NAMES[license]).sort();
    const missing = findings.filter((finding) => finding.messageId === 'feature-unavailable').length;
    if (findings.length === 0) return { state: 'pass', summary: { messageId: 'all-licensed', data: { licenses: present } }, findings };
    const summary: CheckOutcome<Message>['summary'] =
      present.length === 0 ? { messageId: 'no-licenses', data: { count: missing } } : { messageId: 'licenses-summary', data: { licenses: present, count: missing } };
    const state = licenses.has.has('entraIdP1') ? 'warn' : 'fail';
    return { state, summary, findings };
  },
};
