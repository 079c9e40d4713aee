import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Alert } from '../../src/signins/detections/types.js';
import { reviewSignIns } from '../../src/signins/review.js';
import { graphSignIn, ndjson, tempDir, writeInput } from './fixtures.js';

const dir = tempDir();

/** Builds a log with several attacks and background noise, oldest first. */
function attackLog(): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  const minute = (m: number) => new Date(Date.UTC(2026, 4, 1, 8, 0) + m * 60_000).toISOString();
  for (let m = 0; m < 300; m += 7) {
    events.push(graphSignIn({ id: `bg-${m}`, createdDateTime: minute(m), userPrincipalName: `user${m % 5}@contoso.example`, userId: `user-${m % 5}`, sessionId: `s-${m % 5}` }));
  }
  events.push(graphSignIn({ id: 'dc', createdDateTime: minute(100), authenticationProtocol: 'deviceCode', originalTransferMethod: 'deviceCodeFlow', sessionId: 'dc-session' }));
  events.push(graphSignIn({ id: 'dc-replay', createdDateTime: minute(104), originalTransferMethod: 'deviceCodeFlow', sessionId: 'dc-session', ipAddress: '203.0.113.5', autonomousSystemNumber: 14061, isInteractive: false, location: { countryOrRegion: 'US' } }));
  events.push(graphSignIn({ id: 'ua', createdDateTime: minute(150), userAgent: 'axios/1.7.9', userPrincipalName: 'user2@contoso.example', userId: 'user-2' }));
  // Two events at the same time: the tie is broken by id, not by input order.
  events.push(graphSignIn({ id: 'tie-b', createdDateTime: minute(200), userPrincipalName: 'user3@contoso.example', userId: 'user-3', sessionId: 's-3', autonomousSystemNumber: 64777, ipAddress: '192.0.2.8' }));
  events.push(graphSignIn({ id: 'tie-a', createdDateTime: minute(200), userPrincipalName: 'user3@contoso.example', userId: 'user-3', sessionId: 's-3' }));
  return events.sort((a, b) => String(a.createdDateTime).localeCompare(String(b.createdDateTime)));
}

/** Alerts without the file positions, which differ between the two files by construction. */
function withoutSources(alerts: Alert[]): unknown[] {
  return alerts.map((alert) => ({ ...alert, events: alert.events.map(({ source: _source, ...rest }) => rest) }));
}

describe('input order', () => {
  it('newest first and oldest first give the same alerts', async () => {
    const events = attackLog();
    const oldestFirst = writeInput(dir, 'oldest-first.ndjson', ndjson(events));
    const newestFirst = writeInput(dir, 'newest-first.json', JSON.stringify({ value: [...events].reverse() }));
    const shuffled = writeInput(dir, 'shuffled.ndjson', ndjson(events.map((event, i) => ({ event, key: (i * 7919) % events.length })).sort((a, b) => a.key - b.key).map((entry) => entry.event)));
    const [a, b, c] = await Promise.all([oldestFirst, newestFirst, shuffled].map((file) => reviewSignIns([file], { enricher: false })));
    assert.ok(a!.alerts.length >= 4, `expected the injected attacks to alert, got ${a!.alerts.length}`);
    assert.deepEqual(withoutSources(b!.alerts), withoutSources(a!.alerts));
    assert.deepEqual(withoutSources(c!.alerts), withoutSources(a!.alerts));
    assert.deepEqual(b!.summary.deviceCode, a!.summary.deviceCode);
  });

  it('split across files in any order', async () => {
    const events = attackLog();
    const half = Math.floor(events.length / 2);
    const first = writeInput(dir, 'part-1.ndjson', ndjson(events.slice(0, half)));
    const second = writeInput(dir, 'part-2.ndjson', ndjson(events.slice(half)));
    const forward = await reviewSignIns([first, second], { enricher: false });
    const backward = await reviewSignIns([second, first], { enricher: false });
    assert.deepEqual(withoutSources(backward.alerts), withoutSources(forward.alerts));
  });
});

describe('parallel review', () => {
  it('gives the in-memory result', async () => {
    const events = attackLog();
    // Newest first, with an audit record and a blank line, split over two files.
    const rows = [...events].reverse();
    const first = writeInput(dir, 'parallel-1.ndjson', ndjson(rows.slice(0, 20)) + '\n');
    const second = writeInput(
      dir,
      'parallel-2.ndjson',
      ndjson([...rows.slice(20), { id: 'audit-1', activityDateTime: '2026-05-01T09:50:00Z', activityDisplayName: 'Register device', initiatedBy: { user: { userPrincipalName: 'ada@contoso.example' } }, targetResources: [] }]),
    );
    const inMemory = await reviewSignIns([first, second], { enricher: false, parallelFromBytes: Infinity });
    const parallel = await reviewSignIns([first, second], { enricher: false, parallelFromBytes: 0, workers: 2 } as Parameters<typeof reviewSignIns>[1]);
    assert.deepEqual(parallel.alerts, inMemory.alerts);
    assert.deepEqual(parallel.summary, inMemory.summary);
    assert.deepEqual(parallel.timelines, inMemory.timelines);
  });

  it('stops at a bad record with its line', async () => {
    const file = writeInput(dir, 'parallel-bad.ndjson', ndjson(attackLog().slice(0, 10)) + '{"id": "x",\n' + ndjson(attackLog().slice(10, 20)));
    await assert.rejects(reviewSignIns([file], { enricher: false, parallelFromBytes: 0 }), /parallel-bad\.ndjson:11 \(record 10\)/);
  });
});

describe('parallel review with loaded audits', () => {
  it('attaches audits a snapshot loaded', async () => {
    const broker = graphSignIn({ id: 'broker', createdDateTime: '2026-05-01T09:00:00Z', authenticationProtocol: 'deviceCode', appId: '29d9ed98-a469-4536-ade2-f981bc1d605e' });
    const file = writeInput(dir, 'broker.ndjson', ndjson([broker, ...attackLog()]));
    const audits = [
      {
        id: 'audit-9',
        activityDateTime: '2026-05-01T09:30:00.000Z',
        activityDisplayName: 'Register device',
        kind: 'deviceRegistration' as const,
        initiatedBy: { userPrincipalName: 'ada@contoso.example' },
        targets: [],
      },
    ];
    const inMemory = await reviewSignIns([file], { enricher: false, audits, parallelFromBytes: Infinity });
    const parallel = await reviewSignIns([file], { enricher: false, audits, parallelFromBytes: 0 });
    assert.ok(inMemory.alerts.some((alert) => alert.detection === 'device-code-broker-device-registration'), 'the in-memory review raises the broker alert');
    assert.deepEqual(parallel.alerts, inMemory.alerts);
    assert.equal(parallel.summary.auditCount, 1);
  });
});
