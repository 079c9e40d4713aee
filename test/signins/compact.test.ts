import assert from 'node:assert/strict';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import type { AuditEvent } from '../../src/signins/event.js';
import { CompactWriter, EVENT_BYTES, EventWriter, readBlocks, readCompact, readEvents, SpillFile, type DictionaryRefs, type EventRecord, type FactRecord } from '../../src/signins/fast/compact.js';
import { tempDir } from './fixtures.js';

function sample(index: number, user: string): FactRecord {
  return {
    id: (index * 7919) % 2 ** 31,
    flags: index % 65_536,
    user,
    country: [null, 'FR', 'US'][index % 3] ?? null,
    asn: index % 5 === 0 ? Number.NaN : 64_500 + index,
    latitude: index % 7 === 0 ? Number.NaN : 45.76 + index / 1000,
    longitude: -0,
    events: 1 + (index % 1_000),
    from: Date.UTC(2026, 4, 1) + index * 1_000,
    to: Date.UTC(2026, 4, 2) + index * 1_000,
  };
}

/** Writes a fact with numbers of its own, as the scan writes a fact no other shares. */
function writeFact(writer: CompactWriter, fact: FactRecord, refs: DictionaryRefs = { epoch: -1, user: 0, country: 0 }): void {
  writer.writeFact({ ...fact, refs }, fact.id, fact.flags, fact.events, fact.from, fact.to);
}

function sampleEvent(index: number): EventRecord {
  return {
    fact: (index * 104_729) % 2 ** 31,
    session: index % 4 === 0 ? null : Math.imul(index, 0x9e3779b1) >>> 0,
    time: Date.UTC(2026, 4, 1) + index * 1_000 + 0.5,
    offset: 2 ** 33 + index * 2_306,
    range: index % 11,
    line: index + 1,
    record: index,
    length: 2_306 + index,
  };
}

describe('compact spill records: facts', () => {
  it('round-trip: flushes, resets, long entry', () => {
    const file = join(tempDir(), 'c.bin');
    const writer = new CompactWriter(file, 4096, 8192);
    // 9,000 users and two countries pass the cap of 8,192 entries; one user name is longer than the buffer.
    const events = Array.from({ length: 20_000 }, (_, index) => sample(index, index === 12_345 ? `long-${'x'.repeat(10_000)}@contoso.example` : `user${index % 9_000}@contoso.example`));
    for (const event of events) writeFact(writer, event);
    writer.close();
    const read: FactRecord[] = [];
    readCompact(readFileSync(file), (event) => read.push({ ...event }));
    assert.equal(read.length, events.length);
    for (const [index, event] of events.entries()) assert.deepEqual(read[index], event, `record ${index}`);
  });

  it('keeps the user when the country fills the dictionary', () => {
    // Every event but the first brings a new user and a new country. The first has no country, so
    // the cap of 64 entries is reached by a country, after its user's number was taken.
    const events = Array.from({ length: 1_000 }, (_, index) => ({ ...sample(index, `user${index}@contoso.example`), country: index === 0 ? null : `C${index}` }));
    const file = join(tempDir(), 'c.bin');
    const writer = new CompactWriter(file, 4096, 64);
    for (const event of events) writeFact(writer, event);
    writer.close();
    const read: FactRecord[] = [];
    readCompact(readFileSync(file), (event) => read.push({ ...event }));
    assert.deepEqual(read, events);
  });

  it('reuses dictionary numbers kept by the caller', () => {
    // Thirty users in turn, each with its own country and kept numbers, through several resets.
    const users = Array.from({ length: 30 }, (_, user) => ({ name: `user${user}@contoso.example`, country: `C${user % 40}`, refs: { epoch: -1, user: 0, country: 0 } as DictionaryRefs }));
    const events = Array.from({ length: 3_000 }, (_, index) => ({ ...sample(index, users[(index * 7) % 30]!.name), country: users[(index * 7) % 30]!.country }));
    const file = join(tempDir(), 'c.bin');
    const writer = new CompactWriter(file, 4096, 64);
    for (const [index, event] of events.entries()) {
      writeFact(writer, event, users[(index * 7) % 30]!.refs);
      // Other writes between them fill the dictionary and start it again.
      if (index % 5 === 0) writeFact(writer, { ...sample(index, `other${index}@contoso.example`), country: `X${index}` });
    }
    writer.close();
    const read: FactRecord[] = [];
    readCompact(readFileSync(file), (event) => {
      if (!event.user.startsWith('other')) read.push({ ...event });
    });
    assert.deepEqual(read, events);
  });

  it('shares one spill file between partitions', () => {
    // Five partitions write in turn through small buffers, so their blocks interleave in the file.
    // One user name is longer than a buffer and goes to the file on its own.
    const file = join(tempDir(), 'spill.bin');
    const spill = new SpillFile(file, 5);
    const writers = Array.from({ length: 5 }, (_, partition) => new CompactWriter({ spill, partition }, 4096, 64));
    const expected: FactRecord[][] = writers.map(() => []);
    for (let index = 0; index < 5_000; index++) {
      const partition = (index * 3) % 5;
      const event = sample(index, index === 777 ? `long-${'x'.repeat(6_000)}` : `user${index % 300}@contoso.example`);
      writeFact(writers[partition]!, event);
      expected[partition]!.push(event);
    }
    for (const writer of writers) writer.close();
    spill.close();
    assert.ok(spill.blocks.every((blocks) => blocks.length > 4), 'every partition wrote several blocks');
    const fd = openSync(file, 'r');
    try {
      spill.blocks.forEach((blocks, partition) => {
        const read: FactRecord[] = [];
        readCompact(readBlocks(fd, blocks), (event) => read.push({ ...event }));
        assert.deepEqual(read, expected[partition], `partition ${partition}`);
      });
    } finally {
      closeSync(fd);
    }
  });

  it('round-trips audit events between sign-ins, also one longer than the buffer', () => {
    const file = join(tempDir(), 'a.bin');
    const writer = new CompactWriter(file, 4096);
    const audit = (index: number): AuditEvent => ({
      id: `a${index}`,
      activityDateTime: '2026-05-01T09:01:00.000Z',
      activityDisplayName: index === 3 ? `Register device ${'\u2603'.repeat(5_000)}` : 'Register device',
      initiatedBy: { userPrincipalName: 'ada@contoso.example', ipAddress: '203.0.113.9' },
      targets: [{ id: 'd1', displayName: 'Ad\u00e0 "quoted"\ttab\nline', type: 'Device' }],
      kind: 'deviceRegistration',
      source: { file: '\u00022', line: 7, record: 6 },
    });
    const audits: AuditEvent[] = [];
    const events: FactRecord[] = [];
    for (let index = 0; index < 10; index++) {
      writeFact(writer, sample(index, 'ada@contoso.example'));
      writer.writeAudit(audit(index));
    }
    writer.close();
    readCompact(readFileSync(file), (event) => events.push({ ...event }), (event) => audits.push(event));
    assert.deepEqual(audits, Array.from({ length: 10 }, (_, index) => audit(index)));
    assert.deepEqual(events, Array.from({ length: 10 }, (_, index) => sample(index, 'ada@contoso.example')));
  });

  it('writes no file for a partition without events', () => {
    const dir = tempDir();
    new CompactWriter(join(dir, 'empty.bin'), 4096).close();
    assert.throws(() => readFileSync(join(dir, 'empty.bin')), /ENOENT/);
  });

  it('refuses a damaged file rather than read garbage', () => {
    assert.throws(() => readCompact(Buffer.from([0x46, 0x00, 0x01]), () => undefined), /./);
    // A fact naming a dictionary entry that was never written.
    const bad = Buffer.alloc(59);
    bad[0] = 0x46;
    bad.writeUInt32LE(3, 7);
    bad.writeUInt32LE(0xffffffff, 11);
    assert.throws(() => readCompact(bad, () => undefined), /names no dictionary entry/);
    assert.throws(() => readCompact(Buffer.from([0x7a]), () => undefined), /unknown record kind 122/);
    assert.throws(() => readCompact(Buffer.from([0x41, 0xff, 0, 0, 0, 0x7b]), () => undefined), /runs past the end/);
  });
});

describe('compact spill records: events', () => {
  it('round-trip through flushed partition buffers', () => {
    const file = join(tempDir(), 'events.bin');
    const spill = new SpillFile(file, 3);
    // Room for five records a partition, so every partition flushes many times.
    const writer = new EventWriter(spill, 3, 5 * EVENT_BYTES);
    const expected: EventRecord[][] = [[], [], []];
    for (let index = 0; index < 2_000; index++) {
      const event = sampleEvent(index);
      const partition = (index * 7) % 3;
      writer.write(partition, event.fact, event.session, event.time, event.offset, event.range, event.line, event.record, event.length);
      expected[partition]!.push(event);
    }
    writer.close();
    spill.close();
    const fd = openSync(file, 'r');
    try {
      spill.blocks.forEach((blocks, partition) => {
        assert.ok(blocks.length > 10, `partition ${partition} flushed several blocks`);
        const read: EventRecord[] = [];
        readEvents(readBlocks(fd, blocks), (event) => read.push({ ...event }));
        assert.deepEqual(read, expected[partition], `partition ${partition}`);
      });
    } finally {
      closeSync(fd);
    }
  });

  it('rejects partial event records', () => {
    assert.throws(() => readEvents(Buffer.alloc(EVENT_BYTES + 1), () => undefined), /not a whole number of records/);
  });
});
