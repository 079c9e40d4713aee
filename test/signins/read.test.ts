import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { InputError } from '../../src/errors.js';
import type { SignInEvent } from '../../src/signins/event.js';
import { fromGraphSignIn, GRAPH_STRING_FIELDS } from '../../src/signins/normalise.js';
import { readLines } from '../../src/signins/input.js';
import { detectFormat, newReadStats, readLogRecords, readSignIns } from '../../src/signins/read.js';
import { graphSignIn, ndjson, tempDir, utf16le, writeInput } from './fixtures.js';

const dir = tempDir();

async function readAll(file: string, skipBadRecords = false) {
  const stats = newReadStats();
  const events: SignInEvent[] = [];
  for await (const event of readSignIns([file], { skipBadRecords, stats })) events.push(event);
  return { events, stats };
}

async function readError(file: string): Promise<InputError> {
  try {
    await readAll(file);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the read to fail');
}

const twoEvents = [graphSignIn({ id: 'a' }), graphSignIn({ id: 'b', createdDateTime: '2026-05-01T10:00:00Z' })];

const sentinelRow = {
  TimeGenerated: '2026-05-01T09:00:05Z',
  CreatedDateTime: '2026-05-01T09:00:00Z',
  Id: 'row-1',
  Type: 'AADNonInteractiveUserSignInLogs',
  UserPrincipalName: 'Ada@Contoso.example',
  UserId: '11111111-1111-1111-1111-111111111111',
  AppId: '29d9ed98-a469-4536-ade2-f981bc1d605e',
  AppDisplayName: 'Microsoft Authentication Broker',
  ResourceId: '/tenants/0000/providers/Microsoft.aadiam',
  ResourceIdentity: '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9',
  IPAddress: '203.0.113.7',
  ResultType: '0',
  AuthenticationProtocol: 'deviceCode',
  OriginalTransferMethod: 'deviceCodeFlow',
  SessionId: 'session-9',
  AutonomousSystemNumber: '14061',
  LocationDetails: '{"city":"Amsterdam","countryOrRegion":"NL","geoCoordinates":{"latitude":52.37,"longitude":4.89}}',
  DeviceDetail: '{"deviceId":"","operatingSystem":"Linux","isCompliant":false}',
  Status: '{"errorCode":0}',
  RiskEventTypes_V2: '["anomalousToken"]',
  ConditionalAccessPolicies: '[]',
};

describe('sign-in readers', () => {
  const formats: { name: string; file: () => string; format: string }[] = [
    { name: 'Graph page', file: () => writeInput(dir, 'page.json', JSON.stringify({ '@odata.context': 'x', value: twoEvents, '@odata.nextLink': 'y' }, null, 2)), format: 'json' },
    { name: 'bare array', file: () => writeInput(dir, 'array.json', JSON.stringify(twoEvents)), format: 'json' },
    { name: 'pages appended', file: () => writeInput(dir, 'pages.json', JSON.stringify({ value: [twoEvents[0]] }) + '\n' + JSON.stringify({ value: [twoEvents[1]] })), format: 'ndjson' },
    { name: 'NDJSON', file: () => writeInput(dir, 'rows.ndjson', ndjson(twoEvents)), format: 'ndjson' },
    { name: 'NDJSON gzip', file: () => writeInput(dir, 'rows.ndjson.gz', ndjson(twoEvents), { gzip: true }), format: 'ndjson' },
    // A first record longer than the 64 KiB format detection reads at least, plain and gzipped, after blank lines.
    { name: 'NDJSON with a long first line', file: () => writeInput(dir, 'long.ndjson', `\n\n${ndjson([{ ...twoEvents[0], userAgent: 'x'.repeat(3 << 20) }, twoEvents[1]])}`), format: 'ndjson' },
    { name: 'NDJSON gzip with a long first line', file: () => writeInput(dir, 'long.ndjson.gz', ndjson([{ ...twoEvents[0], userAgent: 'x'.repeat(200_000) }, twoEvents[1]]), { gzip: true }), format: 'ndjson' },
    { name: 'UTF-16LE page', file: () => writeInput(dir, 'utf16.json', utf16le(JSON.stringify({ value: twoEvents }, null, 2))), format: 'json' },
    { name: 'UTF-8 BOM array', file: () => writeInput(dir, 'bom.json', '\ufeff' + JSON.stringify(twoEvents)), format: 'json' },
    {
      name: 'diagnostic batch',
      file: () =>
        writeInput(dir, 'records.json', JSON.stringify({ records: twoEvents.map((properties) => ({ time: properties.createdDateTime, category: 'SignInLogs', properties })) })),
      format: 'json',
    },
  ];
  for (const { name, file, format } of formats) {
    it(`reads a ${name}`, async () => {
      const path = file();
      assert.equal(await detectFormat(path), format);
      const { events } = await readAll(path);
      assert.deepEqual(events.map((event) => event.id), ['a', 'b']);
      assert.equal(events[0]!.userPrincipalName, 'ada@contoso.example');
      assert.equal(events[0]!.source?.record, 0);
    });
  }

  it('splits lines across any chunking', async () => {
    // CRLF and LF endings, an empty line, a CR inside a line, and no line end at the end.
    const text = 'first\r\nsecond\n\nthi\rrd\r\nlast\r';
    const expected = ['first', 'second', '', 'thi\rrd', 'last'];
    const cuts = [[], ...Array.from({ length: text.length }, (_, at) => [at]), [5, 6, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22]];
    for (const positions of cuts) {
      const chunks = [0, ...positions, text.length].slice(1).map((end, index, ends) => text.slice(index === 0 ? 0 : ends[index - 1], end));
      async function* source(): AsyncGenerator<string> {
        yield* chunks;
      }
      const lines: { text: string; line: number }[] = [];
      for await (const line of readLines(source())) lines.push(line);
      assert.deepEqual(lines, expected.map((line, index) => ({ text: line, line: index + 1 })), JSON.stringify(chunks));
    }
  });

  it('copies every Graph string field', () => {
    // Each field gets its own value, and a number where text is expected.
    const row: Record<string, unknown> = { createdDateTime: '2026-05-01T09:00:00Z' };
    GRAPH_STRING_FIELDS.forEach((field, index) => (row[field] = index % 5 === 0 ? index : `Value-${field}`));
    const event = fromGraphSignIn(row) as unknown as Record<string, unknown>;
    GRAPH_STRING_FIELDS.forEach((field, index) => {
      let expected = index % 5 === 0 ? String(index) : `Value-${field}`;
      if (field === 'userPrincipalName') expected = expected.toLowerCase();
      assert.equal(event[field], expected, field);
    });
    // A field the record lacks stays absent; one it has as null becomes null.
    const sparse = fromGraphSignIn({ createdDateTime: '2026-05-01T09:00:00Z', sessionId: null }) as unknown as Record<string, unknown>;
    assert.equal('userAgent' in sparse, false);
    assert.equal(sparse.sessionId, null);
  });

  it('maps Sentinel columns to Graph names', async () => {
    const path = writeInput(dir, 'sentinel.ndjson', ndjson([sentinelRow]));
    const { events } = await readAll(path);
    const event = events[0]!;
    assert.equal(event.userPrincipalName, 'ada@contoso.example');
    assert.equal(event.resourceId, '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9');
    assert.equal(event.isInteractive, false);
    assert.equal(event.autonomousSystemNumber, 14061);
    assert.equal(event.location?.countryOrRegion, 'NL');
    assert.equal(event.status?.errorCode, 0);
    assert.deepEqual(event.riskEventTypes_v2, ['anomalousToken']);
    assert.equal(event.deviceDetail?.isCompliant, false);
  });

  it('reads a portal CSV with unit headers and US times', async () => {
    const csv =
      'TimeGenerated [UTC],CreatedDateTime [UTC],Id,UserPrincipalName,AppDisplayName,IPAddress,ResultType,AuthenticationProtocol,LocationDetails,IsInteractive\n' +
      '"9/19/2023, 1:45:17.287 PM","9/19/2023, 1:45:17.287 PM",csv-1,bo@contoso.example,Azure Portal,192.0.2.1,0,deviceCode,"{""countryOrRegion"":""US"",""city"":""Redmond, WA""}",TRUE\n' +
      '"9/19/2023, 12:05:00.000 AM","9/19/2023, 12:05:00.000 AM",csv-2,bo@contoso.example,Azure Portal,192.0.2.1,50126,oAuth2,,FALSE\n';
    const path = writeInput(dir, 'portal.csv', csv);
    assert.equal(await detectFormat(path), 'csv');
    const { events } = await readAll(path);
    assert.equal(events.length, 2);
    assert.equal(events[0]!.createdDateTime, '2023-09-19T13:45:17.287Z');
    assert.equal(events[1]!.createdDateTime, '2023-09-19T00:05:00.000Z');
    assert.equal(events[0]!.location?.city, 'Redmond, WA');
    assert.equal(events[0]!.isInteractive, true);
    assert.equal(events[1]!.status?.errorCode, 50126);
    assert.equal(events[1]!.source?.line, 3);
  });

  it('reads directory audits from Graph and Sentinel', async () => {
    const graphAudit = {
      id: 'audit-1',
      activityDateTime: '2026-05-01T09:10:00Z',
      activityDisplayName: 'Register device',
      category: 'Device',
      result: 'success',
      initiatedBy: { user: { id: '11111111-1111-1111-1111-111111111111', userPrincipalName: 'ada@contoso.example', ipAddress: '203.0.113.7' } },
      targetResources: [{ id: 'device-1', type: 'Device', displayName: 'DESKTOP-1' }],
    };
    const sentinelAudit = {
      Type: 'AuditLogs',
      Id: 'audit-2',
      ActivityDateTime: '2026-05-01T09:20:00Z',
      ActivityDisplayName: 'User registered security info',
      Category: 'UserManagement',
      InitiatedBy: '{"user":{"userPrincipalName":"ada@contoso.example"}}',
      TargetResources: '[{"type":"User","userPrincipalName":"ada@contoso.example"}]',
    };
    const path = writeInput(dir, 'audits.ndjson', ndjson([graphAudit, sentinelAudit]));
    const kinds: string[] = [];
    for await (const record of readLogRecords([path])) if (record.kind === 'audit') kinds.push(record.event.kind);
    assert.deepEqual(kinds, ['deviceRegistration', 'mfaRegistration']);
  });
});

describe('malformed input', () => {
  const cases: { name: string; content: string | Buffer; problem: RegExp; line?: number; record?: number }[] = [
    { name: 'truncated Graph page', content: '{"value":[\n' + JSON.stringify(twoEvents[0]) + ',\n{"id":"b","createdDateTime":', problem: /ends inside record 1/, line: 3, record: 1 },
    { name: 'truncated bare array', content: '[' + JSON.stringify(twoEvents[0]) + ',', problem: /ends before the JSON document is closed/ },
    { name: 'trailing comma in a record', content: '{"value":[\n{"id":"a",\n"createdDateTime":"2026-05-01T09:00:00Z",\n"riskEventTypes_v2":["x",\n]}]}', problem: /trailing comma/, line: 4, record: 0 },
    { name: 'trailing comma after the last record', content: '[' + JSON.stringify(twoEvents[0]) + ',\n]', problem: /trailing comma after the last record/, line: 2 },
    { name: 'page without a value array', content: '{"@odata.context":"x","items":[]}', problem: /no `value` or `records` array/ },
    { name: 'NDJSON line cut short', content: ndjson([twoEvents[0]]) + '{"id":"b","createdDateTime":"2026-05-01T10:00:00Z",\n', problem: /not valid JSON/, line: 2, record: 1 },
    { name: 'JSON-string column that is not JSON', content: ndjson([{ ...sentinelRow, DeviceDetail: 'Windows 10' }]), problem: /column DeviceDetail contains text that is not JSON/, line: 1, record: 0 },
    { name: 'JSON-string column with invalid JSON', content: ndjson([{ ...sentinelRow, Status: '{"errorCode":0' }]), problem: /column Status contains invalid JSON/, line: 1 },
    { name: 'CSV with a broken quoted field', content: 'CreatedDateTime,UserPrincipalName,Status\n2026-05-01T09:00:00Z,ada@contoso.example,"{""errorCode"":0}\n2026-05-01T09:01:00Z,ada@contoso.example,"x" y\n', problem: /CSV is malformed/ },
    { name: 'CSV with a bad time', content: 'CreatedDateTime,UserPrincipalName\nyesterday,ada@contoso.example\n', problem: /CreatedDateTime "yesterday" is not a valid time/, line: 2 },
    { name: 'empty file', content: '', problem: /the file is empty/ },
    { name: 'white space only', content: '  \n\n', problem: /only white space/ },
    { name: 'UTF-16 with a broken code unit', content: Buffer.concat([utf16le('[{"id":"a"}]'), Buffer.from([0x00, 0xd8, 0x41])]), problem: /not valid UTF-8 or UTF-16|odd number/ },
    { name: 'gzip cut short', content: gzipSync(Buffer.from(ndjson(twoEvents))).subarray(0, 40), problem: /gzip data is truncated/ },
    { name: 'record of unknown shape', content: ndjson([{ hello: 'world' }]), problem: /neither a sign-in nor an audit event/, line: 1 },
    { name: 'diagnostic record without time', content: JSON.stringify({ records: [{ category: 'SignInLogs', properties: { userPrincipalName: 'a' } }] }), problem: /createdDateTime is missing/ },
    { name: 'audit in envelope with bad time', content: ndjson([{ time: 'not a time', category: 'AuditLogs', properties: { activityDisplayName: 'Add device' } }]), problem: /activityDateTime "not a time" is not a valid time/ },
  ];
  for (const testCase of cases) {
    it(`rejects ${testCase.name}`, async () => {
      const path = writeInput(dir, `bad-${testCase.name.replace(/\W+/g, '-')}`, testCase.content);
      const error = await readError(path);
      assert.match(error.problem, testCase.problem);
      assert.equal(error.location.file, path);
      if (testCase.line !== undefined) assert.equal(error.location.line, testCase.line);
      if (testCase.record !== undefined) assert.equal(error.location.record, testCase.record);
    });
  }

  it('skips bad records when asked, and counts them', async () => {
    const content = ndjson([twoEvents[0], { ...sentinelRow, DeviceDetail: 'Windows 10' }]) + '{"id":\n' + ndjson([twoEvents[1]]);
    const path = writeInput(dir, 'mixed.ndjson', content);
    const { events, stats } = await readAll(path, true);
    assert.deepEqual(events.map((event) => event.id), ['a', 'b']);
    assert.equal(stats.files[0]!.skipped, 2);
    assert.deepEqual(stats.skippedExamples.map((example) => example.location.line), [2, 3]);
  });
});

describe('coverage warnings', () => {
  it('one day of log, singular', async () => {
    const { coverageWarnings } = await import('../../src/signins/render.js');
    const summary = { warnings: [], files: [], eventCount: 10, filters: { users: [], since: null, until: null }, carriesAuthenticationProtocol: true, missingBetaFields: [], period: { from: null, to: null, days: 1 }, retentionDays: 30, skippedRecords: 0 };
    assert.ok(coverageWarnings(summary as unknown as Parameters<typeof coverageWarnings>[0]).includes('The log covers 1 day; Entra ID keeps 30.'));
    const longer = { ...summary, period: { from: null, to: null, days: 2.5 } };
    assert.ok(coverageWarnings(longer as unknown as Parameters<typeof coverageWarnings>[0]).includes('The log covers 2.5 days; Entra ID keeps 30.'));
  });
});
