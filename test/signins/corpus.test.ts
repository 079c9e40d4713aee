import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { InputError } from '../../src/errors.js';
import { newReadStats, readLogRecords } from '../../src/signins/read.js';
import { reviewSignIns } from '../../src/signins/review.js';
import { corpusPath, corpusSkip, repoRoot } from '../helpers/shared.js';
import { ndjson, tempDir, writeInput } from './fixtures.js';

const options = { enricher: false } as const;

describe('real sign-in exports', { skip: corpusSkip }, () => {
  it('msticpy SigninLogs rows', async () => {
    const file = corpusPath('msticpy', 'aad_logons.SigninLogs.converted.ndjson');
    const { summary, alerts } = await reviewSignIns([file], options);
    // Counted from the file: 86 rows, six users, 84 with ResultType "0" and two with "90072",
    // CreatedDateTime from 07:06:01 to 19:51:40 on 2020-05-20, and none of the beta-only columns.
    assert.equal(summary.eventCount, 86);
    assert.equal(summary.userCount, 6);
    assert.equal(summary.period.from, '2020-05-20T07:06:01.000Z');
    assert.equal(summary.period.to, '2020-05-20T19:51:40.000Z');
    assert.equal(summary.carriesAuthenticationProtocol, false);
    assert.deepEqual(summary.missingBetaFields, ['authenticationProtocol', 'originalTransferMethod', 'sessionId', 'uniqueTokenIdentifier', 'incomingTokenType', 'autonomousSystemNumber']);
    assert.equal(summary.deviceCode.signIns, 0);
    // ctfuser3 moves 1119 km in 73 minutes (914 km/h), under the 1000 km/h default.
    assert.deepEqual(alerts, []);
  });

  it('msticpy travel alert at a lower speed limit', async () => {
    const file = corpusPath('msticpy', 'aad_logons.SigninLogs.converted.ndjson');
    const { alerts } = await reviewSignIns([file], { ...options, settings: { impossibleTravelKmh: 900 } });
    assert.deepEqual(
      alerts.map((alert) => [alert.detection, alert.user, alert.events.map((event) => event.time)]),
      [['impossible-travel', 'ctfuser3@seccxp.ninja', ['2020-05-20T17:05:35.000Z', '2020-05-20T18:19:04.000Z']]],
    );
  });

  it('Graph beta signIn example with repeated keys', async () => {
    const file = corpusPath('graph-docs', 'beta_signin-list_example1.json');
    const { summary } = await reviewSignIns([file], options);
    // One failed password sign-in (50126) over oAuth2 from AS3598 in the US; the example has no
    // sessionId or originalTransferMethod, and repeats uniqueTokenIdentifier.
    assert.equal(summary.eventCount, 1);
    assert.deepEqual(summary.missingBetaFields, ['originalTransferMethod', 'sessionId']);
    assert.equal(summary.carriesAuthenticationProtocol, true);
    const events = [];
    for await (const record of readLogRecords([file])) events.push(record.event);
    const event = events[0] as import('../../src/signins/event.js').SignInEvent;
    assert.equal(event.status?.errorCode, 50126);
    assert.equal(event.autonomousSystemNumber, 3598);
    assert.equal(event.incomingTokenType, 'Primary Refresh Token');
    assert.equal(event.location?.countryOrRegion, 'US');
  });

  it('Graph v1.0 example with a trailing comma', async () => {
    const file = corpusPath('graph-docs', 'v1.0_signin-list_example1_INVALID-trailing-comma.json');
    await assert.rejects(reviewSignIns([file], options), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.problem, /trailing comma before "\]"/);
      // The comma ends line 63, after the last conditional access policy.
      assert.equal(error.location.line, 63);
      assert.equal(error.location.record, 0);
      return true;
    });
  });

  it('OTRF AuditLogs rows with JSON-string columns', async () => {
    const file = corpusPath('otrf-security-datasets', 'GoldenSAMLADFSMailAccess_AADAuditEvents.json');
    const stats = newReadStats();
    const audits = [];
    for await (const record of readLogRecords([file], { stats })) if (record.kind === 'audit') audits.push(record.event);
    // Four rows: two certificate-and-secret updates, one application update, one delegated permission grant.
    assert.equal(audits.length, 4);
    assert.deepEqual(audits.map((audit) => audit.kind), ['other', 'other', 'other', 'consent']);
    assert.ok(audits.every((audit) => audit.initiatedBy?.userPrincipalName === 'pgustavo@simulandlabs.com'));
    assert.deepEqual(audits[3]!.targets.map((target) => target.type), ['ServicePrincipal', 'ServicePrincipal']);
    assert.equal(stats.files[0]!.format, 'ndjson');
  });
});

interface PantherCase {
  ruleId: string;
  testName: string;
  expectedResult: boolean;
  log: unknown;
}

interface PantherRule {
  detection?: string;
  evidenceAppId?: string;
  notApplicable?: string;
  notApplicableTests?: Record<string, string>;
}

describe('Panther labelled events', { skip: corpusSkip }, () => {
  const map = JSON.parse(readFileSync(`${repoRoot}/data/signins/panther-map.json`, 'utf8')) as { rules: Record<string, PantherRule> };
  const cases = corpusSkip
    ? []
    : readFileSync(corpusPath('panther', 'azure_signin_rule_tests.extracted.ndjson'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as PantherCase);
  const dir = tempDir();

  it('maps every rule', () => {
    const missing = [...new Set(cases.map((testCase) => testCase.ruleId))].filter((ruleId) => !map.rules[ruleId]);
    assert.deepEqual(missing, []);
    for (const [ruleId, rule] of Object.entries(map.rules)) assert.ok(rule.detection || rule.notApplicable, `${ruleId} has neither a detection nor a reason`);
  });

  it('matches every applicable label', async () => {
    let compared = 0;
    for (const [index, testCase] of cases.entries()) {
      const rule = map.rules[testCase.ruleId]!;
      if (!rule.detection || rule.notApplicableTests?.[testCase.testName]) continue;
      const file = writeInput(dir, `panther-${index}.ndjson`, ndjson([testCase.log]));
      const { alerts } = await reviewSignIns([file], options);
      const fired = alerts.some((alert) => alert.detection === rule.detection && (!rule.evidenceAppId || alert.events.some((event) => event.appId === rule.evidenceAppId)));
      assert.equal(fired, testCase.expectedResult, `${testCase.ruleId} / ${testCase.testName}`);
      compared++;
    }
    // Two device-code, two high-risk, two protection-alert, one legacy and two ROPC cases.
    assert.equal(compared, 9);
  });

  it('reads every labelled event', async () => {
    const file = writeInput(dir, 'panther-all.ndjson', ndjson(cases.map((testCase) => testCase.log)));
    const stats = newReadStats();
    let signIns = 0;
    let audits = 0;
    for await (const record of readLogRecords([file], { stats })) {
      if (record.kind === 'signIn') signIns++;
      else audits++;
    }
    // 47 events: 18 user sign-ins (15 SignInLogs, 3 NonInteractiveUserSignInLogs), 8 service principal
    // sign-ins, 15 AuditLogs records, and 6 records of other categories (Policy, DirectoryManagement, ApplicationManagement).
    assert.equal(cases.length, 47);
    assert.equal(signIns, 18);
    assert.equal(audits, 15);
    assert.equal(stats.files[0]!.ignored, 14);
  });
});

describe('real sign-in exports on worker threads', { skip: corpusSkip }, () => {
  // Sentinel rows and diagnostic-settings records take the JSON.parse path of the workers. The result
  // must still be the in-memory one, with a speed limit low enough for an impossible-travel alert.
  const inputs: [string, () => string][] = [
    ['msticpy SigninLogs rows', () => corpusPath('msticpy', 'aad_logons.SigninLogs.converted.ndjson')],
    [
      "Panther's diagnostic-settings records",
      () => {
        // Each test case wraps one record in `log`; the records themselves form the log.
        const records = readFileSync(corpusPath('panther', 'azure_signin_rule_tests.extracted.ndjson'), 'utf8')
          .split('\n')
          .filter((line) => line.trim() !== '')
          .map((line) => (JSON.parse(line) as PantherCase).log);
        return writeInput(tempDir(), 'panther-records.ndjson', ndjson(records));
      },
    ],
  ];
  for (const [name, input] of inputs) {
    it(`parallel equals in-memory: ${name}`, async () => {
      const file = input();
      const settings = { impossibleTravelKmh: 900 };
      const inMemory = await reviewSignIns([file], { ...options, settings, parallelFromBytes: Number.POSITIVE_INFINITY });
      const parallel = await reviewSignIns([file], { ...options, settings, parallelFromBytes: 0, workers: 2, partitionBytes: 4 << 10 } as Parameters<typeof reviewSignIns>[1]);
      assert.deepEqual(parallel, inMemory);
      assert.ok(inMemory.summary.eventCount > 0);
    });
  }
});
