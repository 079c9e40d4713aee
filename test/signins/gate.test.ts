import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { generateSignIns } from '../../bench/signins/generate.js';
import type { Engagement } from '../../src/engagement/schema.js';
import { createEnricher } from '../../src/signins/enrich.js';
import type { AuditEvent, SignInEvent } from '../../src/signins/event.js';
import { GATE_COVERAGE, mayAlertAlone, mayAlertByPlace, placeOf, samePlace, sessionHash } from '../../src/signins/detections/gate.js';
import { HAS_IP, HAS_PLACE, HAS_SESSION, type Place } from '../../src/signins/fast/compact.js';
import { DETECTIONS } from '../../src/signins/detections/index.js';
import { DEFAULT_SETTINGS, DETECTION_IDS, type DetectionContext, type UserActivity } from '../../src/signins/detections/types.js';
import { fromGraphSignIn, normaliseRecord } from '../../src/signins/normalise.js';
import { reviewSignIns } from '../../src/signins/review.js';
import { graphSignIn, ndjson, tempDir } from './fixtures.js';

/**
 * The parallel review skips the detections for users the gate calls quiet. These tests check the
 * gate's promise: no detection names an event the gate lets through, and the parallel review gives
 * what the in-memory review gives.
 */

const BREAK_GLASS = 'bg@contoso.example';
const context: DetectionContext = { settings: DEFAULT_SETTINGS, breakGlass: new Set([BREAK_GLASS]) };
const reviewed = new Set([BREAK_GLASS]);
const enricher = await createEnricher({ useDatabase: false });

function activityOf(events: SignInEvent[]): UserActivity {
  const first = events[0]!;
  return { key: first.userId ?? '', user: first.userPrincipalName ?? '', userId: first.userId ?? null, signIns: events, audits: [] };
}

function event(overrides: Record<string, unknown>): SignInEvent {
  return enricher.enrich(fromGraphSignIn(graphSignIn(overrides)));
}

/** Values of the fields that decide single-event detections, each tried against the others' defaults and in pairs. */
const VARIATIONS: Record<string, unknown[]> = {
  authenticationProtocol: ['deviceCode', 'ropc', 'authenticationTransfer', 'oAuth2', 'none', null],
  originalTransferMethod: ['deviceCodeFlow', 'authenticationTransfer', 'none', null],
  clientAppUsed: ['IMAP4', 'imap4', 'Other clients', 'Exchange ActiveSync', 'Browser', 'Mobile Apps and Desktop clients', null],
  userAgent: ['axios/1.7.9', 'python-requests/2.31', 'Go-http-client/1.1', 'TeamFiltration', 'Mozilla/5.0 Edg/120.0', null],
  riskLevelDuringSignIn: ['high', 'Medium', 'low', 'hidden', 'none', null],
  riskState: ['atRisk', 'confirmedCompromised', 'remediated', 'dismissed', 'none', null],
  riskEventTypes_v2: [['anomalousToken'], ['unfamiliarFeatures'], [], null],
  autonomousSystemNumber: [400940, 14061, 64500, null],
  status: [{ errorCode: 0 }, { errorCode: 53003 }, { errorCode: 50126 }, { errorCode: null }, null],
  conditionalAccessStatus: ['failure', 'success', 'notApplied'],
  userPrincipalName: ['ada@contoso.example', BREAK_GLASS, 'BG@CONTOSO.EXAMPLE'],
};

function singleEvents(): SignInEvent[] {
  const fields = Object.keys(VARIATIONS);
  const events: SignInEvent[] = [];
  for (const [a, field] of fields.entries()) {
    for (const value of VARIATIONS[field]!) {
      events.push(event({ [field]: value }));
      for (const other of fields.slice(a + 1)) for (const otherValue of VARIATIONS[other]!) events.push(event({ [field]: value, [other]: otherValue }));
    }
  }
  return events;
}

describe('sign-in review gate', () => {
  it('names how it covers every detection', () => {
    assert.deepEqual(Object.keys(GATE_COVERAGE).sort(), [...DETECTION_IDS].sort());
  });

  it('mayAlertAlone: every single-event alert flagged', () => {
    const events = singleEvents();
    let flagged = 0;
    for (const single of events) {
      const alerts = DETECTIONS.flatMap((detection) => detection.detect(activityOf([single]), context));
      if (alerts.length > 0) assert.ok(mayAlertAlone(single, reviewed), `${alerts.map((alert) => alert.detection).join(', ')} fired, but the gate let through ${JSON.stringify(single)}`);
      if (mayAlertAlone(single, reviewed)) flagged++;
    }
    // The table must hold both kinds, or the test proves nothing.
    assert.ok(flagged > 100, `${flagged} of ${events.length} flagged`);
    assert.ok(flagged < events.length - 100, `${flagged} of ${events.length} flagged`);
  });

  it('place comparison and screen: no quiet user alerts', () => {
    // A seeded search over small users: quiet events (no single-event trigger) from a few places,
    // networks, sessions and times. Whenever one place calls a user quiet, no detection may alert.
    let seed = 20_261_204;
    const next = (): number => ((seed = Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
    const places = [
      { countryOrRegion: 'FR', geoCoordinates: { latitude: 45.76, longitude: 4.84 } },
      { countryOrRegion: 'FR', geoCoordinates: { latitude: 48.86, longitude: 2.35 } },
      { countryOrRegion: 'DE', geoCoordinates: { latitude: 52.52, longitude: 13.4 } },
      { countryOrRegion: 'FR', geoCoordinates: null },
      { countryOrRegion: 'de', geoCoordinates: null },
      // One country, far apart: only the coordinates tell impossible travel.
      { countryOrRegion: 'US', geoCoordinates: { latitude: 40.71, longitude: -74.01 } },
      { countryOrRegion: 'US', geoCoordinates: { latitude: 34.05, longitude: -118.24 } },
      // Half a pair of coordinates counts as none.
      { countryOrRegion: 'US', geoCoordinates: { latitude: 40.71, longitude: null } },
      { countryOrRegion: 'DE', geoCoordinates: { latitude: 52.52 } },
    ];
    let quiet = 0;
    let screened = 0;
    let alerting = 0;
    for (let trial = 0; trial < 3_000; trial++) {
      const events = Array.from({ length: 2 + Math.floor(next() * 4) }, (_, index) =>
        event({
          id: `t${trial}-${index}`,
          createdDateTime: new Date(Date.UTC(2026, 4, 1) + Math.floor(next() * 48 * 60) * 60_000).toISOString(),
          location: pick(places),
          autonomousSystemNumber: pick([64500, 64501]),
          ipAddress: pick(['198.51.100.10', '198.51.100.11', '203.0.113.5']),
          sessionId: pick(['s1', 's2', null]),
          status: { errorCode: pick([0, 0, 50126]) },
        }),
      );
      assert.ok(!events.some((signIn) => mayAlertAlone(signIn, reviewed)));
      // As the detect phase judges a user from its facts: any two successful sign-ins from different places.
      const seen = events.map(placeOf).filter((place): place is Place => place !== null);
      const needs = seen.some((place) => !samePlace(place, seen[0]!));
      const sorted = [...events].sort((a, b) => a.createdDateTime.localeCompare(b.createdDateTime) || a.id.localeCompare(b.id));
      const alerts = DETECTIONS.flatMap((detection) => detection.detect(activityOf(sorted), context));
      // The records the scan writes, which the second screen of a flagged user reads.
      const records = events.map((signIn, index) => {
        const place = placeOf(signIn);
        const session = sessionHash(signIn);
        const flags = (place ? HAS_PLACE : 0) | (session !== null ? HAS_SESSION : 0) | (signIn.ipAddress ? HAS_IP : 0);
        return { flags, user: 'u', session: session ?? 0, country: place?.country ?? null, asn: place?.asn ?? Number.NaN, latitude: place?.latitude ?? Number.NaN, longitude: place?.longitude ?? Number.NaN, time: Date.parse(signIn.createdDateTime), range: 0, line: index, record: index, offset: 0, length: 0 };
      });
      if (!needs) {
        quiet++;
        assert.deepEqual(alerts.map((alert) => alert.detection), [], `trial ${trial} was let through: ${JSON.stringify(sorted.map(placeOf))}`);
      } else if (!mayAlertByPlace(records, context.settings)) {
        screened++;
        assert.deepEqual(alerts.map((alert) => alert.detection), [], `trial ${trial} was screened out: ${JSON.stringify(sorted.map(placeOf))}`);
      } else if (alerts.length > 0) alerting++;
    }
    // Every verdict must occur, and some flagged users must alert, or the search proves nothing.
    assert.ok(quiet > 200, `${quiet} quiet users`);
    assert.ok(screened > 200, `${screened} flagged users screened out`);
    assert.ok(alerting > 200, `${alerting} flagged users that alert`);
  });

  it('samePlace: country, network and coordinates, absent values alike', () => {
    const home = { country: 'FR', asn: 3215, latitude: 48.85, longitude: 2.35 };
    assert.equal(samePlace(home, { ...home }), true);
    assert.equal(samePlace(home, { ...home, asn: 400940 }), false);
    assert.equal(samePlace(home, { ...home, country: 'BE' }), false);
    assert.equal(samePlace(home, { ...home, latitude: 48.86 }), false);
    assert.equal(samePlace(home, { ...home, country: null }), false);
    const unknown = { country: null, asn: Number.NaN, latitude: Number.NaN, longitude: Number.NaN };
    assert.equal(samePlace(unknown, { ...unknown }), true);
    assert.equal(samePlace(unknown, { ...unknown, asn: 64500 }), false);
  });

  it('session hash: stable, null without id', () => {
    assert.equal(sessionHash(event({ sessionId: 'abc' })), sessionHash(event({ sessionId: 'abc' })));
    assert.notEqual(sessionHash(event({ sessionId: 'abc' })), sessionHash(event({ sessionId: 'abd' })));
    assert.equal(sessionHash(event({ sessionId: null })), null);
    assert.equal(sessionHash(event({ sessionId: '' })), null);
  });
});

describe('parallel review with the gate', () => {
  it('parallel equals in-memory on a generated log', async () => {
    const dir = tempDir();
    const file = join(dir, 'generated.ndjson');
    await generateSignIns(file, 6_000, 2);
    const quiet = { userAgent: 'Mozilla/5.0 Edg/120.0', clientAppUsed: 'Browser' };
    const extra = [
      // A traveller with no other sign of trouble: only the location comparison catches the replayed session.
      graphSignIn({ ...quiet, id: 't1', userId: 'aaaaaaaa-0000-0000-0000-000000000001', userPrincipalName: 'traveller@contoso.example', sessionId: 'trip', createdDateTime: '2026-05-03T08:00:00Z' }),
      graphSignIn({ ...quiet, id: 't2', userId: 'aaaaaaaa-0000-0000-0000-000000000001', userPrincipalName: 'traveller@contoso.example', sessionId: 'trip', createdDateTime: '2026-05-03T09:00:00Z', ipAddress: '203.0.113.5', autonomousSystemNumber: 64501, location: { countryOrRegion: 'US' } }),
      // Failed attempts from abroad do not make a user's successes look like travel.
      graphSignIn({ ...quiet, id: 'f1', userId: 'aaaaaaaa-0000-0000-0000-000000000002', userPrincipalName: 'stays@contoso.example', createdDateTime: '2026-05-03T08:00:00Z' }),
      graphSignIn({ ...quiet, id: 'f2', userId: 'aaaaaaaa-0000-0000-0000-000000000002', userPrincipalName: 'stays@contoso.example', createdDateTime: '2026-05-03T08:01:00Z', status: { errorCode: 50126 }, location: { countryOrRegion: 'BR' } }),
      // A break-glass account that signs in like anyone else.
      graphSignIn({ ...quiet, id: 'b1', userId: 'aaaaaaaa-0000-0000-0000-000000000003', userPrincipalName: BREAK_GLASS, createdDateTime: '2026-05-03T08:00:00Z' }),
      // A device code through the Authentication Broker, then a device registration in the same log.
      graphSignIn({ id: 'k1', userId: 'aaaaaaaa-0000-0000-0000-000000000004', userPrincipalName: 'broker@contoso.example', createdDateTime: '2026-05-03T08:00:00Z', authenticationProtocol: 'deviceCode', appId: '29d9ed98-a469-4536-ade2-f981bc1d605e', appDisplayName: 'Microsoft Authentication Broker' }),
      { id: 'audit-k', activityDateTime: '2026-05-03T08:10:00Z', activityDisplayName: 'Register device', initiatedBy: { user: { userPrincipalName: 'broker@contoso.example' } }, targetResources: [{ id: 'device-1', type: 'Device' }] },
      // Regression: a user whose lines disagree on the UPN was split across partitions, and missed impossible travel.
      graphSignIn({ ...quiet, id: 's1', userId: 'aaaaaaaa-0000-0000-0000-000000000005', userPrincipalName: 'split@contoso.example', createdDateTime: '2026-05-03T08:00:00Z' }),
      graphSignIn({ ...quiet, id: 's2', userId: 'aaaaaaaa-0000-0000-0000-000000000005', userPrincipalName: null, createdDateTime: '2026-05-03T08:05:00Z', sessionId: 'other', ipAddress: '203.0.113.5', location: { countryOrRegion: 'US', geoCoordinates: { latitude: 41.88, longitude: -87.63 } } }),
      // One session on two networks in one place: only the session comparison flags this user.
      graphSignIn({ ...quiet, id: 'r1', userId: 'aaaaaaaa-0000-0000-0000-000000000007', userPrincipalName: 'replayed@contoso.example', createdDateTime: '2026-05-03T08:00:00Z', sessionId: 'same', autonomousSystemNumber: 64501, location: { countryOrRegion: 'FR', geoCoordinates: { latitude: 48.85, longitude: 2.35 } } }),
      graphSignIn({ ...quiet, id: 'r2', userId: 'aaaaaaaa-0000-0000-0000-000000000007', userPrincipalName: 'replayed@contoso.example', createdDateTime: '2026-05-03T09:00:00Z', sessionId: 'same', ipAddress: '198.51.100.77', autonomousSystemNumber: 64502, location: { countryOrRegion: 'FR', geoCoordinates: { latitude: 48.85, longitude: 2.35 } } }),
      // Regression: a device registration naming its user by object id only missed the broker detection.
      graphSignIn({ id: 'k2', userId: 'aaaaaaaa-0000-0000-0000-000000000006', userPrincipalName: 'broker2@contoso.example', createdDateTime: '2026-05-03T08:00:00Z', authenticationProtocol: 'deviceCode', appId: '29d9ed98-a469-4536-ade2-f981bc1d605e', appDisplayName: 'Microsoft Authentication Broker' }),
      { id: 'audit-k2', activityDateTime: '2026-05-03T08:10:00Z', activityDisplayName: 'Register device', initiatedBy: { app: { displayName: 'Device Registration Service' } }, targetResources: [{ id: 'device-2', type: 'Device' }, { id: 'aaaaaaaa-0000-0000-0000-000000000006', type: 'User' }] },
    ];
    // The same lines with times in Graph's own form (milliseconds) take the scan's signature path,
    // and the others the line-by-line one. Both files must give the in-memory result.
    const withMilliseconds = JSON.parse(JSON.stringify(extra).replace(/(T\d\d:\d\d:\d\d)Z"/g, '$1.000Z"')) as typeof extra;
    const fileWithMilliseconds = join(dir, 'generated-ms.ndjson');
    copyFileSync(file, fileWithMilliseconds);
    appendFileSync(fileWithMilliseconds, ndjson(withMilliseconds));
    appendFileSync(file, ndjson(extra));
    const engagement = { breakGlassAccounts: [BREAK_GLASS] } as unknown as Engagement;
    // An audit the caller loaded itself, as a snapshot's directoryAudits are.
    const loaded = normaliseRecord({ id: 'audit-t', activityDateTime: '2026-05-03T08:30:00Z', activityDisplayName: 'Consent to application', initiatedBy: { user: { userPrincipalName: 'traveller@contoso.example' } }, targetResources: [] });
    assert.equal(loaded.kind, 'audit');
    for (const [input, timelineUsers] of [[file, undefined], [file, ['stays@contoso.example']], [fileWithMilliseconds, undefined]] as const) {
      const options = { engagement, audits: [loaded.event as AuditEvent], ...(timelineUsers ? { timelineUsers: [...timelineUsers] } : {}) };
      const inMemory = await reviewSignIns([input], { ...options, parallelFromBytes: Infinity });
      // Small partitions spread the users over about 200 of them, as a large log would.
      const parallel = await reviewSignIns([input], { ...options, parallelFromBytes: 0, workers: 2, partitionBytes: 64 << 10 } as Parameters<typeof reviewSignIns>[1]);
      assert.deepEqual(parallel.alerts, inMemory.alerts);
      assert.deepEqual(parallel.summary, inMemory.summary);
      assert.deepEqual(parallel.timelines, inMemory.timelines);
      const detections = new Set(parallel.alerts.map((alert) => `${alert.detection} ${alert.user}`));
      for (const expected of [
        'session-replay traveller@contoso.example',
        `break-glass-sign-in ${BREAK_GLASS}`,
        'device-code-broker-device-registration broker@contoso.example',
        'impossible-travel split@contoso.example',
        'device-code-broker-device-registration broker2@contoso.example',
        'session-replay replayed@contoso.example',
      ]) {
        assert.ok(detections.has(expected), `${expected} expected`);
      }
      assert.equal(parallel.summary.auditCount, 3);
      assert.ok(!parallel.alerts.some((alert) => alert.user === 'stays@contoso.example'));
      assert.equal(parallel.summary.eventCount, 6_000 + extra.length - 2);
      assert.equal(parallel.timelines.some((timeline) => timeline.user === 'stays@contoso.example'), timelineUsers !== undefined);
    }
  });
});
