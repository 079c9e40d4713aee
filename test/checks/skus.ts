import type * as Graph from '@microsoft/microsoft-graph-types';

import { idFor } from '../helpers/tenant.js';

/** Builds a provisioned service plan, as subscribedSkus lists it. */
export function plan(servicePlanName: string, servicePlanId: string, provisioningStatus = 'Success'): Graph.ServicePlanInfo {
  return { servicePlanName, servicePlanId, provisioningStatus };
}

export const PLANS = {
  entraIdP1: plan('AAD_PREMIUM', '41781fb2-bc02-4b7c-bd55-b576c07bb09d'),
  entraIdP2: plan('AAD_PREMIUM_P2', 'eec0eb4f-6444-4f95-aba0-50c24d67f998'),
  entraIdGovernance: plan('Entra_Identity_Governance', 'e866a266-3cff-43a3-acca-0c90a7e00c8b'),
  intune: plan('INTUNE_A', 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5'),
  exchange: plan('EXCHANGE_S_STANDARD', '9aaf7827-d63c-4b61-89c3-182f06f82e5c'),
} as const;

/** Builds a subscribed SKU with the given plans. The id derives from the part number. */
export function sku(skuPartNumber: string, servicePlans: Graph.ServicePlanInfo[], capabilityStatus = 'Enabled'): Graph.SubscribedSku {
  return { skuId: idFor(`sku:${skuPartNumber}`), skuPartNumber, capabilityStatus, servicePlans };
}

export const SKUS = {
  entraIdP1: sku('AAD_PREMIUM', [PLANS.entraIdP1]),
  entraIdP2: sku('AAD_PREMIUM_P2', [PLANS.entraIdP1, PLANS.entraIdP2]),
  entraIdGovernance: sku('Microsoft_Entra_ID_Governance', [PLANS.entraIdGovernance]),
  businessBasic: sku('O365_BUSINESS_ESSENTIALS', [PLANS.exchange]),
} as const;
