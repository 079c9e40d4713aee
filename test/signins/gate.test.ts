import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { generateSignIns } from '../../bench/signins/generate.js';
import type { Engagement } from '../../src/engagement/schema.js';
import { createEnricher } from '../../src/signins/enrich.js';
import type { AuditEvent, SignInEvent } from '../../src/signins/event.js';
import { GATE_COVERAGE, mayAlertAlone, placeOf, samePlace } from '../../src/signins/detections/gate.js';
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

  it('lets no event through that a detection names on its own', () => {
    const events = singleEvents();
    let flagged = 0;
    for (const single of events) {
      const alerts = DETECTIONS.flatMap((detection) => detection.detect(activityOf([single]), context));
      if (alerts.length > 0) assert.ok(mayAlertAlone(single, reviewed), `${alerts.map((alert) => alert.detection).join(', ')} fired, but the gate let through ${JSON.stringify(single)}`);
      if (mayAlertAlone(single, reviewed)) flagged++;
    }
    // The table must hold both kinds, or the test proves nothing.
    assert.ok(flagged > 100 && flagged < events.length - 100, `${flagged} of ${events.length} flagged`);
  });

  it('lets through pairs of quiet events from one place, and flags those the location detections compare', () => {
    const quiet = { userAgent: 'Mozilla/5.0 Edg/120.0', clientAppUsed: 'Browser', authenticationProtocol: 'none' };
    const here = event({ ...quiet, id: 'a', createdDateTime: '2026-05-01T09:00:00Z', ipAddress: '198.51.100.10' });
    const sameElsewhereIp = event({ ...quiet, id: 'b', createdDateTime: '2026-05-01T09:02:00Z', ipAddress: '198.51.100.77' });
    const abroad = event({ ...quiet, id: 'c', createdDateTime: '2026-05-01T09:05:00Z', ipAddress: '203.0.113.5', autonomousSystemNumber: 64501, location: { countryOrRegion: 'US', geoCoordinates: { latitude: 40.7, longitude: -74 } } });
    const failedAbroad = event({ ...abroad, id: 'd', status: { errorCode: 50126 } });
    for (const pair of [[here, sameElsewhereIp], [here, failedAbroad]]) {
      assert.ok(!pair.some((one) => mayAlertAlone(one, reviewed)));
      const places = pair.map(placeOf).filter((place) => place !== null);
      assert.ok(places.every((place) => samePlace(place, places[0]!)), JSON.stringify(places));
      assert.deepEqual(DETECTIONS.flatMap((detection) => detection.detect(activityOf(pair), context)), []);
    }
    // Here and abroad in one session: the places differ, so the gate sends the user to the detections, which alert.
    assert.ok(!samePlace(placeOf(here)!, placeOf(abroad)!));
    const alerts = DETECTIONS.flatMap((detection) => detection.detect(activityOf([here, abroad]), context)).map((alert) => alert.detection);
    assert.deepEqual(alerts.sort(), ['impossible-travel', 'session-replay']);
  });
});

describe('parallel review with the gate', () => {
  it('gives the in-memory result on a generated log with attacks, travellers and a break-glass account', async () => {
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
    ];
    appendFileSync(file, ndjson(extra));
    const engagement = { breakGlassAccounts: [BREAK_GLASS] } as unknown as Engagement;
    // An audit the caller loaded itself, as a snapshot's directoryAudits are.
    const loaded = normaliseRecord({ id: 'audit-t', activityDateTime: '2026-05-03T08:30:00Z', activityDisplayName: 'Consent to application', initiatedBy: { user: { userPrincipalName: 'traveller@contoso.example' } }, targetResources: [] });
    assert.equal(loaded.kind, 'audit');
    for (const timelineUsers of [undefined, ['stays@contoso.example']]) {
      const options = { engagement, audits: [loaded.event as AuditEvent], ...(timelineUsers ? { timelineUsers } : {}) };
      const inMemory = await reviewSignIns([file], { ...options, parallelFromBytes: Infinity });
      const parallel = await reviewSignIns([file], { ...options, parallelFromBytes: 0, workers: 2 } as Parameters<typeof reviewSignIns>[1]);
      assert.deepEqual(parallel.alerts, inMemory.alerts);
      assert.deepEqual(parallel.summary, inMemory.summary);
      assert.deepEqual(parallel.timelines, inMemory.timelines);
      const detections = new Set(parallel.alerts.map((alert) => `${alert.detection} ${alert.user}`));
      for (const expected of ['session-replay traveller@contoso.example', `break-glass-sign-in ${BREAK_GLASS}`, 'device-code-broker-device-registration broker@contoso.example']) {
        assert.ok(detections.has(expected), `${expected} expected`);
      }
      assert.equal(parallel.summary.auditCount, 2);
      assert.ok(!parallel.alerts.some((alert) => alert.user === 'stays@contoso.example'));
      assert.equal(parallel.summary.eventCount, 6_000 + extra.length - 1);
      assert.equal(parallel.timelines.some((timeline) => timeline.user === 'stays@contoso.example'), timelineUsers !== undefined);
    }
  });
});
