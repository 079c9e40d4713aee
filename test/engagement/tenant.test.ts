import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseEngagement } from '../../src/engagement/load.js';
import { assertEngagementTenant, type TenantIdentity } from '../../src/engagement/tenant.js';
import { InputError, UserError } from '../../src/errors.js';

// Regression: an engagement file without client.tenantId was applied to any tenant, so one
// client's account names reached another client's documents.

const TENANT_ID = '54de065b-719b-4e5b-ab5b-cfddd8d17a5c';
const harborPoint: TenantIdentity = { id: TENANT_ID, name: 'Harbor Point Accounting' };

function engagement(client: string): ReturnType<typeof parseEngagement> {
  return parseEngagement(`version: 2\nclient:\n${client}`, 'engagement.yaml');
}

const cases: { name: string; client: string; tenant: TenantIdentity; error?: RegExp; fix?: RegExp }[] = [
  { name: 'matching tenant id', client: `  name: Anything\n  tenantId: ${TENANT_ID.toUpperCase()}\n`, tenant: harborPoint },
  {
    name: 'other tenant id',
    client: '  name: Harbor Point Accounting\n  tenantId: 99999999-8888-4777-8666-555555555555\n',
    tenant: harborPoint,
    error: /engagement file is for tenant 99999999-8888-4777-8666-555555555555 \(Harbor Point Accounting\), but the assessment is of Harbor Point Accounting \(tenant id 54de065b/,
    fix: /use the engagement file of this client/,
  },
  { name: 'no tenant id, same name in other case', client: '  name: harbor point ACCOUNTING\n', tenant: harborPoint },
  {
    name: 'no tenant id, other client name',
    client: '  name: Contoso Dental Group\n',
    tenant: harborPoint,
    error: /names the client Contoso Dental Group and has no client\.tenantId, but the assessment is of Harbor Point Accounting \(tenant id 54de065b-719b-4e5b-ab5b-cfddd8d17a5c\)/,
    fix: new RegExp(`add \`tenantId: ${TENANT_ID}\` under \`client:\``),
  },
  {
    name: 'no tenant id, tenant without a name',
    client: '  name: Contoso Dental Group\n',
    tenant: { id: TENANT_ID },
    error: /has no client\.tenantId, and the tenant 54de065b-719b-4e5b-ab5b-cfddd8d17a5c has no name to compare with/,
    fix: /add `tenantId: 54de065b/,
  },
  // Bare Graph exports without organization.json or a manifest: nothing identifies the tenant.
  { name: 'tenant with neither id nor name', client: '  name: Contoso Dental Group\n', tenant: {} },
];

for (const { name, client, tenant, error, fix } of cases) {
  test(`engagement tenant: ${name}`, () => {
    const loaded = engagement(client);
    if (!error) {
      assert.doesNotThrow(() => assertEngagementTenant(loaded, tenant, 'engagement.yaml'));
      return;
    }
    assert.throws(
      () => assertEngagementTenant(loaded, tenant, 'engagement.yaml'),
      (thrown: unknown) => {
        assert.ok(thrown instanceof InputError);
        assert.equal(thrown.location.file, 'engagement.yaml');
        assert.match(thrown.message, error);
        assert.match(thrown.fix ?? '', fix!);
        return true;
      },
    );
    // Without a file name (a report.json checked inside buildDeliverables) it is a plain UserError.
    assert.throws(() => assertEngagementTenant(loaded, tenant), (thrown: unknown) => thrown instanceof UserError && !(thrown instanceof InputError));
  });
}
