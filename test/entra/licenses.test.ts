import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import type * as Graph from '@microsoft/microsoft-graph-types';

import { licensesFromSkus, tenantLicenses } from '../../src/entra/licenses.js';
import { corpusPath, corpusSkip } from '../helpers/shared.js';
import { makeSnapshot } from '../helpers/tenant.js';

describe('licensesFromSkus', () => {
  it('matches plans by id, not SKU name', () => {
    const licenses = licensesFromSkus([
      { skuId: 'x', skuPartNumber: 'SOMETHING_ELSE', capabilityStatus: 'Enabled', servicePlans: [{ servicePlanId: '41781FB2-BC02-4B7C-BD55-B576C07BB09D', servicePlanName: 'renamed', provisioningStatus: 'Success' }] },
      { skuId: 'y', skuPartNumber: 'AAD_PREMIUM_P2', capabilityStatus: 'Enabled', servicePlans: [] },
    ]);
    assert.deepEqual([...licenses.has], ['entraIdP1']);
    assert.equal(licenses.sources[0]?.skuPartNumber, 'SOMETHING_ELSE');
  });

  it('takes P2 to include P1', () => {
    const licenses = licensesFromSkus([{ skuId: 'x', capabilityStatus: 'Enabled', servicePlans: [{ servicePlanId: 'eec0eb4f-6444-4f95-aba0-50c24d67f998', provisioningStatus: 'Success' }] }]);
    assert.ok(licenses.has.has('entraIdP1'));
    assert.ok(licenses.has.has('entraIdP2'));
  });

  it('ignores locked-out SKUs and unprovisioned plans', () => {
    const licenses = licensesFromSkus([
      { skuId: 'a', skuPartNumber: 'A', capabilityStatus: 'LockedOut', servicePlans: [{ servicePlanId: '41781fb2-bc02-4b7c-bd55-b576c07bb09d', provisioningStatus: 'Success' }] },
      { skuId: 'b', skuPartNumber: 'B', capabilityStatus: 'Warning', servicePlans: [{ servicePlanId: 'c1ec4a95-1f05-45b3-a911-aa3fa01094f5', provisioningStatus: 'Disabled' }] },
    ]);
    assert.equal(licenses.has.size, 0);
    assert.deepEqual(licenses.unusableSkus, [{ skuId: 'a', skuPartNumber: 'A', capabilityStatus: 'LockedOut' }]);
  });

  it('matches by plan name when the id is absent', () => {
    const licenses = licensesFromSkus([{ skuId: 'x', servicePlans: [{ servicePlanName: 'INTUNE_A', provisioningStatus: 'Success' }] }]);
    assert.deepEqual([...licenses.has], ['intune']);
  });
});

describe('tenantLicenses', () => {
  it('is unknown without subscribedSkus', () => {
    assert.equal(tenantLicenses(makeSnapshot({})).known, false);
  });

  it('reads a collected empty list as no licenses', () => {
    const licenses = tenantLicenses(makeSnapshot({ subscribedSkus: [] }));
    assert.equal(licenses.known, true);
    assert.equal(licenses.has.size, 0);
  });

  it('reads the ScubaGear sample tenant', { skip: corpusSkip }, () => {
    // ScubaGear's provider export keeps Graph's subscribedSkus under a PascalCase copy; map the fields back.
    const text = readFileSync(corpusPath('scubagear', 'Sample-Reports_ProviderSettingsExport.json'), 'utf8').replace(/^\uFEFF/, '');
    const plans = [...text.matchAll(/"ServicePlanName":\s*"([^"]+)",[\s\S]*?"ProvisioningStatus":\s*"([^"]+)",\s*"ServicePlanId":\s*"([^"]+)"/g)].map(
      ([, servicePlanName, provisioningStatus, servicePlanId]) => ({ servicePlanName, provisioningStatus, servicePlanId }),
    );
    assert.ok(plans.length > 0, 'the sample holds service plans');
    const skus: Graph.SubscribedSku[] = [{ skuId: 'sample', capabilityStatus: 'Enabled', servicePlans: plans }];
    const licenses = licensesFromSkus(skus);
    assert.ok(licenses.has.has('entraIdP1'));
    assert.ok(licenses.has.has('entraIdP2'));
    assert.ok(licenses.has.has('intune'));
  });
});
