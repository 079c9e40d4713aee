import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { CompactWriter, readCompact, type CompactEvent } from '../../src/signins/fast/compact.js';
import { tempDir } from './fixtures.js';

function sample(index: number, user: string): CompactEvent {
  return {
    flags: index % 256,
    user,
    country: index % 3 === 0 ? null : index % 3 === 1 ? 'FR' : 'US',
    asn: index % 5 === 0 ? Number.NaN : 64_500 + index,
    latitude: index % 7 === 0 ? Number.NaN : 45.76 + index / 1000,
    longitude: -0,
    time: Date.UTC(2026, 4, 1) + index * 1_000,
    range: index % 11,
    line: index + 1,
    record: index,
    offset: 2 ** 33 + index * 2_306,
    length: 2_306,
  };
}

describe('compact spill records', () => {
  it('round-trips every field across flushes, dictionary resets and an entry longer than the buffer', () => {
    const file = join(tempDir(), 'c.bin');
    const writer = new CompactWriter(file, 4096);
    // 20,000 distinct users pass the dictionary cap twice; one user name is longer than the buffer.
    const events = Array.from({ length: 20_000 }, (_, index) => sample(index, index === 12_345 ? `long-${'x'.repeat(10_000)}@contoso.example` : `user${index % 9_000}@contoso.example`));
    for (const event of events) writer.write(event);
    writer.close();
    const read: CompactEvent[] = [];
    readCompact(readFileSync(file), (event) => read.push({ ...event }));
    assert.equal(read.length, events.length);
    for (const [index, event] of events.entries()) assert.deepEqual(read[index], event, `record ${index}`);
  });

  it('writes no file for a partition without events', () => {
    const dir = tempDir();
    new CompactWriter(join(dir, 'empty.bin'), 4096).close();
    assert.throws(() => readFileSync(join(dir, 'empty.bin')), /ENOENT/);
  });

  it('refuses a damaged file rather than read garbage', () => {
    assert.throws(() => readCompact(Buffer.from([0x45, 0x00, 0x01]), () => undefined), /./);
    assert.throws(() => readCompact(Buffer.from([0x7a]), () => undefined), /unknown record kind 122/);
  });
});
