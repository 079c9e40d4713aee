import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createEnricher, loadHostingList } from '../../src/signins/enrich.js';
import type { SignInEvent } from '../../src/signins/event.js';

const event = (ipAddress: string, extra: Partial<SignInEvent> = {}): SignInEvent => ({ id: ipAddress, createdDateTime: '2026-05-01T09:00:00.000Z', ipAddress, ...extra });

describe('offline IP enrichment', async () => {
  const enricher = await createEnricher();

  const cases: { name: string; event: SignInEvent; expected: Record<string, unknown> }[] = [
    // Graph's beta signIn example gives 131.107.159.37 as US and AS3598; the databases agree.
    { name: 'Microsoft range from the Graph example', event: event('131.107.159.37'), expected: { country: 'US', asn: 3598, hosting: false } },
    { name: 'DigitalOcean is hosting', event: event('165.227.1.1'), expected: { asn: 14061, hosting: true } },
    { name: 'IPv6 address', event: event('2001:4860:4860::8888'), expected: { asn: 15169, hosting: false } },
    { name: 'private address', event: event('10.1.2.3'), expected: { country: null, asn: null, hosting: false } },
    { name: 'log values win', event: event('131.107.159.37', { location: { countryOrRegion: 'DE' }, autonomousSystemNumber: 64500 }), expected: { country: 'DE', asn: 64500, disagreements: ['country: log DE, database US', 'asn: log 64500, database 3598'] } },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const network = enricher.enrich(testCase.event).network!;
      for (const [key, value] of Object.entries(testCase.expected)) assert.deepEqual(network[key as keyof typeof network], value, key);
    });
  }

  it('hosting by registered name', () => {
    assert.equal(enricher.isHostingAsn(64999, 'Example Cloud Hosting Ltd'), true);
    assert.equal(enricher.isHostingAsn(64999, 'Example Telecom'), false);
  });

  it('hosting list loads', () => {
    const list = loadHostingList();
    assert.ok(list.asns.has(400940), 'Railway is listed');
    assert.ok(list.asns.size >= 15);
  });
});
