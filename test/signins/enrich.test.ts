import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createEnricher, loadHostingList } from '../../src/signins/enrich.js';
import type { SignInEvent } from '../../src/signins/event.js';
import { tempFolder } from '../helpers/temp.js';

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

describe('ASN names', () => {
  it('finds names by ASN', async () => {
    const { asnName } = await import('../../src/signins/enrich.js');
    const names = { asns: Uint32Array.from([3, 13335, 400940]), starts: Uint32Array.from([0, 6, 23, 31]), text: 'First\nCloudflare, Inc.\nRailway\n' };
    assert.equal(asnName(names, 3), 'First');
    assert.equal(asnName(names, 13335), 'Cloudflare, Inc.');
    assert.equal(asnName(names, 400940), 'Railway');
    assert.equal(asnName(names, 4), undefined);
    assert.equal(asnName(names, 0), undefined);
    assert.equal(asnName(names, 500000), undefined);
  });

  it('names ASNs from the installed table', async () => {
    const { asnName, sharedAsnTable } = await import('../../src/signins/enrich.js');
    const table = sharedAsnTable();
    assert.equal(asnName(table.names, 13335), 'Cloudflare, Inc.');
    assert.equal(asnName(table.names, 38803), 'Gtelecom Pty Ltd');
    assert.ok(table.names.asns.length > 50_000);
  });
});

describe('ASN table cache', () => {
  it('cache: round trip, stale, cut', async () => {
    const { asnSourceFiles, asnSourceStamp, parseAsnFiles, readAsnCache, writeAsnCache } = await import('../../src/signins/enrich.js');
    const { readFileSync, writeFileSync, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const sources = asnSourceFiles();
    const stamp = asnSourceStamp(sources);
    const parsed = parseAsnFiles(sources);
    const file = join(tempFolder('tokengap-asn-'), 'cache', 'asn.bin');
    writeAsnCache(file, stamp, parsed);
    assert.ok(statSync(file).size > parsed.starts.length * 20, 'cache written');
    const cached = readAsnCache(file, stamp);
    assert.ok(cached, 'cache read');
    assert.ok(parsed.starts.length > 100_000);
    assert.deepEqual(cached.starts, parsed.starts);
    assert.deepEqual(cached.ends, parsed.ends);
    assert.deepEqual(cached.asns, parsed.asns);
    assert.deepEqual(cached.names, parsed.names);
    // Another version of the package, or a cache cut short, is parsed again instead.
    assert.equal(readAsnCache(file, stamp.replace('"version":1', '"version":0')), null);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    assert.equal(readAsnCache(file, stamp), null);
    assert.equal(readAsnCache(join(file, 'missing'), stamp), null);
  });
});
