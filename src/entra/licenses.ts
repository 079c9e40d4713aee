import type * as Graph from '@microsoft/microsoft-graph-types';

import type { License } from '../checks/types.js';
import type { Snapshot } from '../snapshot/types.js';

/**
 * Service plans that grant each license. Bundles (Microsoft 365 E3/E5, EMS E3/E5, Business
 * Premium) carry the same plans as the standalone products, so a tenant's licenses are read from
 * service plans, never from SKU names. Source: "Product names and service plan identifiers for
 * licensing", learn.microsoft.com/entra/identity/users/licensing-service-plan-reference.
 */
export const LICENSE_SERVICE_PLANS: Readonly<Record<License, readonly { id: string; name: string }[]>> = {
  entraIdP1: [{ id: '41781fb2-bc02-4b7c-bd55-b576c07bb09d', name: 'AAD_PREMIUM' }],
  entraIdP2: [{ id: 'eec0eb4f-6444-4f95-aba0-50c24d67f998', name: 'AAD_PREMIUM_P2' }],
  // NOTE: Microsoft's service plan table lists this plan id as "Entra Identity Governance". It was not
  // checked against a live Governance tenant. The name match covers exports without plan ids.
  entraIdGovernance: [{ id: 'e866a266-3cff-43a3-acca-0c90a7e00c8b', name: 'Entra_Identity_Governance' }],
  intune: [{ id: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', name: 'INTUNE_A' }],
};

export const LICENSE_NAMES: Readonly<Record<License, string>> = {
  entraIdP1: 'Microsoft Entra ID P1',
  entraIdP2: 'Microsoft Entra ID P2',
  entraIdGovernance: 'Microsoft Entra ID Governance',
  intune: 'Microsoft Intune Plan 1',
};

/** SKU capability states in which Microsoft no longer lets the tenant use the SKU's plans. */
const UNUSABLE_SKU_STATES = new Set(['suspended', 'deleted', 'lockedout']);

/** The SKU and plan that grant a license, as evidence. */
export interface LicenseSource {
  license: License;
  skuId: string;
  skuPartNumber: string | null;
  servicePlanName: string | null;
}

export interface TenantLicenses {
  /** False when subscribedSkus was not collected: nothing is known about the tenant's licenses. */
  known: boolean;
  /** Licenses the tenant has; P2 implies P1 because P2 includes every P1 feature. */
  has: ReadonlySet<License>;
  sources: LicenseSource[];
  /** SKUs ignored because of their capability status, for the licensing check's evidence. */
  unusableSkus: { skuId: string; skuPartNumber: string | null; capabilityStatus: string }[];
}

/**
 * Reads the tenant's licenses from subscribedSkus. A plan counts only when its provisioning
 * status is `Success` and its SKU is not Suspended, Deleted or LockedOut.
 */
export function tenantLicenses(snapshot: Snapshot): TenantLicenses {
  const skus = snapshot.resources.subscribedSkus;
  if (snapshot.statusOf('subscribedSkus').status !== 'collected' || skus === undefined) {
    return { known: false, has: new Set(), sources: [], unusableSkus: [] };
  }
  return licensesFromSkus(skus);
}

export function licensesFromSkus(skus: readonly Graph.SubscribedSku[]): TenantLicenses {
  const has = new Set<License>();
  const sources: LicenseSource[] = [];
  const unusableSkus: TenantLicenses['unusableSkus'] = [];

  for (const sku of skus) {
    const capabilityStatus = sku.capabilityStatus ?? 'Enabled';
    if (UNUSABLE_SKU_STATES.has(capabilityStatus.toLowerCase())) {
      unusableSkus.push({ skuId: sku.skuId ?? '', skuPartNumber: sku.skuPartNumber ?? null, capabilityStatus });
      continue;
    }
    for (const plan of sku.servicePlans ?? []) {
      if ((plan.provisioningStatus ?? '').toLowerCase() !== 'success') continue;
      const license = licenseOfPlan(plan);
      if (license === undefined) continue;
      has.add(license);
      sources.push({
        license,
        skuId: sku.skuId ?? '',
        skuPartNumber: sku.skuPartNumber ?? null,
        servicePlanName: plan.servicePlanName ?? null,
      });
    }
  }

  if (has.has('entraIdP2')) has.add('entraIdP1');
  return { known: true, has, sources, unusableSkus };
}

function licenseOfPlan(plan: Graph.ServicePlanInfo): License | undefined {
  const id = plan.servicePlanId?.toLowerCase();
  const name = plan.servicePlanName?.toLowerCase();
  for (const [license, plans] of Object.entries(LICENSE_SERVICE_PLANS) as [License, (typeof LICENSE_SERVICE_PLANS)[License]][]) {
    if (plans.some((known) => known.id === id || (id === undefined && known.name.toLowerCase() === name))) return license;
  }
  return undefined;
}
