import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { generateSignIns } from '../../bench/signins/generate.js';

import { HAS_PLACE, HAS_SESSION } from '../../src/signins/fast/compact.js';
import { reviewSignIns } from '../../src/signins/review.js';
import { graphSignIn, tempDir, utf16le, writeInput } from './fixtures.js';

/**
 * The parallel review reads byte ranges on worker threads and spills binary records. These cases
 * check that it gives what the in-memory review gives on lines built to trip a reader of raw bytes:
 * keys inside strings, escapes, nested keys, any order, nulls and missing fields.
 */

const USER = 'grace@contoso.example';

/** Raw NDJSON lines, each with what it is meant to exercise. */
const TRICKY_LINES: { name: string; line: string }[] = [
  {
    name: 'a user agent holding a session id key and escaped quotes',
    line: JSON.stringify(graphSignIn({ id: 'e1', userPrincipalName: USER, userAgent: 'curl "x" \\"sessionId\\":\\"evil\\" "sessionId":"fake"', sessionId: 'real-1' })),
  },
  {
    name: 'unicode escapes inside values, written escaped',
    line: JSON.stringify(graphSignIn({ id: 'e2', userPrincipalName: USER, userDisplayName: 'Gr\u00e2ce \u00c9\u2603', createdDateTime: '2026-05-01T09:05:00Z' })).replace('\u00e2', '\\u00e2').replace('\u2603', '\\u2603'),
  },
  {
    name: 'fields in reverse order',
    line: JSON.stringify(Object.fromEntries(Object.entries(graphSignIn({ id: 'e3', userPrincipalName: USER, createdDateTime: '2026-05-01T09:10:00Z', ipAddress: '203.0.113.7' })).reverse())),
  },
  {
    name: 'nested objects with top-level key names before the real ones',
    line: JSON.stringify({
      deviceDetail: { sessionId: 'nested', ipAddress: '192.0.2.99', createdDateTime: '2000-01-01T00:00:00Z', errorCode: 1 },
      authenticationDetails: [{ authenticationMethod: 'Password', succeeded: true, status: { errorCode: 50126 } }],
      ...graphSignIn({ id: 'e4', userPrincipalName: USER, createdDateTime: '2026-05-01T09:15:00Z', sessionId: 'real-4', status: { errorCode: 0, additionalDetails: 'MFA "completed"' } }),
    }),
  },
  {
    name: 'null values and a null location',
    line: JSON.stringify(graphSignIn({ id: 'e5', userPrincipalName: USER, createdDateTime: '2026-05-01T09:20:00Z', sessionId: null, autonomousSystemNumber: null, location: null, authenticationProtocol: null })),
  },
  {
    name: 'missing optional fields',
    line: JSON.stringify({ id: 'e6', createdDateTime: '2026-05-01T09:25:00Z', userPrincipalName: USER, ipAddress: '198.51.100.10' }),
  },
  {
    name: 'whitespace around keys and values, and a device-code sign-in',
    line: ` { "id" : "e7" , "createdDateTime" : "2026-05-01T09:30:00Z", "userPrincipalName":"${USER}", "authenticationProtocol" : "deviceCode", "status" : { "errorCode" : 0 }, "ipAddress" : "198.51.100.10", "sessionId" : "real-1" } `,
  },
  {
    name: 'the same session from another country and network',
    line: JSON.stringify(graphSignIn({ id: 'e8', userPrincipalName: USER, createdDateTime: '2026-05-01T09:35:00Z', sessionId: 'real-1', ipAddress: '203.0.113.50', autonomousSystemNumber: 400940, location: { countryOrRegion: 'US' } })),
  },
];

async function bothReviews(file: string): Promise<[Awaited<ReturnType<typeof reviewSignIns>>, Awaited<ReturnType<typeof reviewSignIns>>]> {
  const inMemory = await reviewSignIns([file], { enricher: false, parallelFromBytes: Infinity });
  const parallel = await reviewSignIns([file], { enricher: false, parallelFromBytes: 0, workers: 2 } as Parameters<typeof reviewSignIns>[1]);
  return [inMemory, parallel];
}

describe('parallel review on lines built to trip a byte-level reader', () => {
  it('gives the in-memory alerts, summary and timelines for every tricky line together', async () => {
    const file = writeInput(tempDir(), 'tricky.ndjson', TRICKY_LINES.map((entry) => entry.line).join('\n') + '\n');
    const [inMemory, parallel] = await bothReviews(file);
    assert.deepEqual(parallel.alerts, inMemory.alerts);
    assert.deepEqual(parallel.summary, inMemory.summary);
    assert.deepEqual(parallel.timelines, inMemory.timelines);
    // The log contains a device-code sign-in and a session used from two countries: both must show.
    const detections = new Set(parallel.alerts.map((alert) => alert.detection));
    assert.ok(detections.has('device-code-sign-in'), 'device-code-sign-in expected');
    assert.ok(detections.has('session-replay'), 'session-replay expected');
    // The nested and user-agent decoys must not become the session or IP of their events.
    const entries = parallel.timelines.find((timeline) => timeline.user === USER)?.entries ?? [];
    assert.equal(entries.find((entry) => entry.id === 'e1')?.sessionId, 'real-1');
    assert.equal(entries.find((entry) => entry.id === 'e4')?.sessionId, 'real-4');
    assert.equal(entries.find((entry) => entry.id === 'e4')?.ip, '198.51.100.10');
    assert.equal(entries.find((entry) => entry.id === 'e4')?.result, 0);
    assert.equal(entries.find((entry) => entry.id === 'e5')?.sessionId, null);
  });

  for (const entry of TRICKY_LINES) {
    it(`matches the in-memory review for ${entry.name}`, async () => {
      // Padding lines from another user make the file long enough to split into two ranges.
      const padding = Array.from({ length: 30 }, (_, i) => JSON.stringify(graphSignIn({ id: `pad-${i}`, createdDateTime: `2026-05-02T10:${String(i).padStart(2, '0')}:00Z` })));
      const file = writeInput(tempDir(), 'one.ndjson', [...padding.slice(0, 15), entry.line, ...padding.slice(15)].join('\n'));
      const [inMemory, parallel] = await bothReviews(file);
      assert.deepEqual(parallel.alerts, inMemory.alerts);
      assert.deepEqual(parallel.summary, inMemory.summary);
      assert.deepEqual(parallel.timelines, inMemory.timelines);
      assert.equal(parallel.summary.eventCount, 31);
    });
  }
});

describe('parallel review of a malformed nested value', () => {
  it('stops with the file and line of the record', async () => {
    const good = Array.from({ length: 10 }, (_, i) => JSON.stringify(graphSignIn({ id: `g-${i}` })));
    // The syntax error sits inside a value no detection reads (deviceDetail).
    const bad = JSON.stringify(graphSignIn({ id: 'bad', deviceDetail: { browser: 'Edge' } })).replace('"browser":"Edge"', '"browser":"Edge",,');
    const file = writeInput(tempDir(), 'nested-bad.ndjson', [...good.slice(0, 6), bad, ...good.slice(6)].join('\n') + '\n');
    await assert.rejects(reviewSignIns([file], { enricher: false, parallelFromBytes: 0 }), /nested-bad\.ndjson:7 \(record 6\)/);
  });
});

describe('parallel review of a file that changes', () => {
  it('refuses a line that reads differently the second time', async () => {
    const { readAgain, InputChangedError, scanFlags } = await import('../../src/signins/parallel-worker.js');
    const { createEnricher } = await import('../../src/signins/enrich.js');
    const { writeFileSync } = await import('node:fs');
    const { placeOf, sessionHash } = await import('../../src/signins/detections/gate.js');
    const { activityKey } = await import('../../src/signins/review.js');
    const { isoMs, fromGraphSignIn } = await import('../../src/signins/normalise.js');
    const enricher = await createEnricher({ useDatabase: false });
    const line = JSON.stringify(graphSignIn({ id: 'x1', sessionId: 'session-1', ipAddress: '198.51.100.10' }));
    const file = writeInput(tempDir(), 'changing.ndjson', `${line}\n`);
    // The record the detect phase rebuilds for the line.
    const event = enricher.enrich(fromGraphSignIn(JSON.parse(line) as Record<string, unknown>));
    const place = placeOf(event)!;
    const reviewUsers = new Set<string>();
    const position = { flags: scanFlags(event, reviewUsers) | HAS_SESSION, user: activityKey(event), session: sessionHash(event)!, ...place, time: isoMs(event.createdDateTime), range: 0, line: 1, record: 0, offset: 0, length: Buffer.byteLength(line) };
    assert.ok((position.flags & HAS_PLACE) !== 0);
    const descriptors = new Map<string, number>();
    assert.equal(readAgain(position, { 0: file }, descriptors, enricher, reviewUsers).id, 'x1');
    // Another record, then edits in place that keep the line's length: session, time, country, and
    // a protocol that makes the sign-in one the gate flags.
    const edits = [
      '{"not":"the same line"}',
      line.replace('session-1', 'session-2'),
      line.replace('"2026-05-01T09', '"2026-05-01T08'),
      line.replace('"countryOrRegion":"FR"', '"countryOrRegion":"DE"'),
      line.replace('"authenticationProtocol":"none"', '"authenticationProtocol":"ropc"'),
    ];
    for (const changed of edits) {
      assert.notEqual(changed, line);
      assert.equal(changed.length === line.length || changed.startsWith('{"not"'), true);
      writeFileSync(file, `${changed}\n`);
      assert.throws(() => readAgain(position, { 0: file }, new Map(), enricher, reviewUsers), InputChangedError, changed);
    }
    const { closeSync } = await import('node:fs');
    for (const fd of descriptors.values()) closeSync(fd);
  });
});

describe('fact record coverage bits', () => {
  it('coverage bits: order and nulls', async () => {
    const { coverageBits } = await import('../../src/signins/parallel-worker.js');
    const { COVERAGE_SHIFT } = await import('../../src/signins/fast/compact.js');
    const { BETA_ONLY_FIELDS } = await import('../../src/signins/event.js');
    assert.equal(coverageBits({ id: 'e', createdDateTime: '2026-05-01T09:00:00.000Z' }), 0);
    for (const [index, field] of BETA_ONLY_FIELDS.entries()) {
      assert.equal(coverageBits({ id: 'e', createdDateTime: '2026-05-01T09:00:00.000Z', [field]: null }), 1 << (COVERAGE_SHIFT + index), field);
    }
  });
});

/**
 * Reviews a file both ways. Returns each result (or the error message where the review stopped) and
 * whether the parallel review handed over to the in-memory one. The warning it then adds is removed
 * from its result, so that the two can be compared.
 */
async function bothOutcomes(file: string, options: Parameters<typeof reviewSignIns>[1] = {}): Promise<[unknown, unknown, boolean]> {
  const run = (parallelFromBytes: number) =>
    reviewSignIns([file], { enricher: false, ...options, parallelFromBytes, workers: 2 } as Parameters<typeof reviewSignIns>[1]).then(
      (result) => result,
      (error: Error) => `error: ${error.message}`,
    );
  const inMemory = await run(Number.POSITIVE_INFINITY);
  const parallel = await run(0);
  let handedOver = false;
  if (typeof parallel === 'object') {
    const warnings = parallel.summary.warnings ?? [];
    const rest = warnings.filter((warning) => !warning.startsWith('the log was reviewed in memory rather than on worker threads'));
    handedOver = rest.length < warnings.length;
    if (rest.length > 0) parallel.summary.warnings = rest;
    else delete parallel.summary.warnings;
  }
  return [inMemory, parallel, handedOver];
}

describe('parallel review of inputs the in-memory reader reads differently', () => {
  const lines = (count: number, from = 0) => Array.from({ length: count }, (_, i) => JSON.stringify(graphSignIn({ id: `l-${from + i}`, createdDateTime: `2026-05-02T10:${String(i % 60).padStart(2, '0')}:00Z` })));
  /**
   * Builds 3,000 lines of 1,000 bytes, with an unterminated record at line index `bad` and a byte
   * that is not UTF-8 in line index `invalid`. The review's two ranges meet after line LAST_OF_FIRST_RANGE.
   */
  // The cut point, 1,501,500 bytes, starts line 1,500, and the range ends after that line's newline.
  const LAST_OF_FIRST_RANGE = 1_500;
  const badPair = (bad: number, invalid: number): Buffer => {
    const all = Array.from({ length: 3_000 }, (_, i) => {
      const line = JSON.stringify(graphSignIn({ id: `p-${i}`, createdDateTime: '2026-05-02T10:00:00.000Z', userDisplayName: 'x' }));
      const padded = line.replace('"userDisplayName":"x"', `"userDisplayName":"${'x'.repeat(1_000 - line.length)}"`);
      // The bad record keeps its length, so that the ranges do not move.
      return Buffer.from(i === bad ? `${padded.slice(0, -1)} ` : padded).map((byte, k) => (i === invalid && k === 20 ? 0xff : byte));
    });
    return Buffer.concat(all.flatMap((line) => [line, Buffer.from('\n')]));
  };
  const cases: { name: string; content: () => string | Buffer; error?: RegExp; handsOver?: boolean }[] = [
    { name: 'a UTF-8 byte-order mark', content: () => `\ufeff${lines(20).join('\n')}\n` },
    { name: 'UTF-16 with a byte-order mark', content: () => utf16le(`${lines(20).join('\r\n')}\r\n`) },
    { name: 'UTF-16 without a byte-order mark', content: () => Buffer.from(`${lines(20).join('\r\n')}\r\n`, 'utf16le') },
    { name: 'big-endian UTF-16 without a byte-order mark', content: () => Buffer.from(`${lines(20).join('\n')}\n`, 'utf16le').swap16() },
    { name: 'lines of form feeds, vertical tabs and no-break spaces', content: () => [...lines(10), '\f', '\v \t', '\u00a0\u3000', ...lines(10, 10)].join('\n') },
    { name: 'a whole Graph page on one line', content: () => [...lines(5), JSON.stringify({ value: [graphSignIn({ id: 'p1' }), graphSignIn({ id: 'p2' })] }), ...lines(5, 5)].join('\n'), handsOver: true },
    { name: 'a line longer than the read buffer', content: () => [...lines(5), JSON.stringify(graphSignIn({ id: 'huge', userAgent: `Mozilla/5.0 ${'x'.repeat(5 << 20)}` })), ...lines(5, 5)].join('\n') },
    { name: 'an object with a toString key in a list of names', content: () => [...lines(5), JSON.stringify(graphSignIn({ id: 'ts', signInEventTypes: [{ toString: 1 }] })), ...lines(5, 5)].join('\n') },
    {
      name: 'a byte that is not UTF-8 in a value no detection reads',
      content: () => Buffer.concat([Buffer.from(`${lines(3000).join('\n')}\n`), Buffer.from(JSON.stringify(graphSignIn({ id: 'bad', userDisplayName: 'Ada XX' })).replace('XX', '\u0000')).map((byte) => (byte === 0 ? 0xff : byte)), Buffer.from(`\n${lines(5, 12).join('\n')}\n`)]),
      error: /not valid UTF-8/,
    },
    { name: 'a syntax error', content: () => [...lines(12), '{"id": "x", "createdDateTime": ', ...lines(5, 12)].join('\n'), error: /record 12 is not valid JSON/ },
    // The in-memory reader decodes 1 MiB blocks before it parses the lines that end in them, so a byte
    // that is not UTF-8 wins over a bad record before it only when both are in one block.
    { name: 'a bad record, then a byte that is not UTF-8 in the next block', content: () => badPair(100, 1_400), error: /record 100 is not valid JSON/ },
    { name: 'a bad record, then a byte that is not UTF-8 in its block', content: () => badPair(1_100, 1_101), error: /not valid UTF-8/ },
    { name: 'a bad record at the end of the first range, then a byte that is not UTF-8', content: () => badPair(LAST_OF_FIRST_RANGE, LAST_OF_FIRST_RANGE + 1), error: /not valid UTF-8/ },
    { name: 'a byte that is not UTF-8, then a bad last line without a newline', content: () => badPair(2_999, 2_500).subarray(0, -1), error: /not valid UTF-8/ },
    { name: 'a bad last line without a newline, then a cut character', content: () => Buffer.concat([badPair(2_999, -1).subarray(0, -1), Buffer.from([0xe2, 0x82])]), error: /not valid UTF-8/ },
    {
      // Past the first MiB, which format detection decodes whole.
      name: 'a Windows-1252 line, then a line cut short',
      content: () => Buffer.concat([Buffer.from(`${lines(1_500).join('\n')}\n`), Buffer.from(`${JSON.stringify(graphSignIn({ id: 'latin', userDisplayName: 'Ren\u00e9' }))}\n`, 'latin1'), Buffer.from(`{"id": "x", "createdDateTime": \n${lines(5, 12).join('\n')}\n`)]),
      error: /not valid UTF-8/,
    },
  ];
  for (const entry of cases) {
    it(`equal results: ${entry.name}`, async () => {
      const file = writeInput(tempDir(), 'input.ndjson', entry.content());
      const [inMemory, parallel, handedOver] = await bothOutcomes(file);
      assert.deepEqual(parallel, inMemory);
      assert.equal(handedOver, entry.handsOver ?? false);
      if (entry.error) assert.match(String(parallel), entry.error);
      else assert.equal(typeof parallel, 'object', String(parallel));
    });
  }
});

describe('parallel review: records the WebAssembly scan writes itself', () => {
  // Lines with times in Graph's own form (milliseconds) take the scan's signature path: the first
  // line of each signature goes to JavaScript, the rest are written by the WebAssembly scan.
  const at = (minute: number): string => new Date(Date.UTC(2026, 4, 1, 8) + minute * 60_000 + 123).toISOString();
  const repeated = (index: number, overrides: Record<string, unknown> = {}): string =>
    JSON.stringify(graphSignIn({ id: `r-${index}`, createdDateTime: at(index % 5_000), userId: `user-${index % 40}`, userPrincipalName: `user${index % 40}@contoso.example`, sessionId: `s-${index % 40}`, ...overrides }));
  /**
   * Builds 20,000 signatures of one line each (a new address each, and a long user agent), more than
   * the signature table's 8 MiB of bytes can contain. Then 12,000 lines of 40 users repeat theirs,
   * with a device-code user and a session that changes network among them.
   */
  function bigLog(): string[] {
    const lines: string[] = [];
    const userAgent = `Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${'Plugin/1.0 '.repeat(90)}`;
    for (let index = 0; index < 20_000; index++) {
      lines.push(JSON.stringify(graphSignIn({ id: `d-${index}`, createdDateTime: at(index % 7_000), userId: `many-${index % 9_000}`, userPrincipalName: `many${index % 9_000}@contoso.example`, ipAddress: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`, userAgent })));
    }
    for (let index = 0; index < 12_000; index++) {
      if (index % 40 === 7) lines.push(repeated(index, { authenticationProtocol: 'deviceCode' }));
      else if (index === 11_003) lines.push(repeated(index, { ipAddress: '203.0.113.50', autonomousSystemNumber: 400940, location: { countryOrRegion: 'US' } }));
      else if (index % 40 === 9) lines.push(repeated(index, { userDisplayName: 'Gr\u00e2ce \u2603' }));
      else lines.push(repeated(index));
    }
    return lines;
  }
  const cases: { name: string; content: () => string | Buffer; options?: Parameters<typeof reviewSignIns>[1]; error?: RegExp }[] = [
    { name: 'more signatures than the table holds, and full partition buffers', content: () => `${bigLog().join('\n')}\n` },
    { name: 'a review period', content: () => `${bigLog().join('\n')}\n`, options: { since: new Date(at(1_000)), until: new Date(at(3_000)) } },
    { name: 'users named with --user', content: () => `${bigLog().join('\n')}\n`, options: { users: ['user7@contoso.example', 'many12@contoso.example', 'USER-9'] } },
    {
      name: 'a byte that is not UTF-8 in a line of a known signature',
      content: () => Buffer.concat([Buffer.from(`${Array.from({ length: 3_000 }, (_, index) => repeated(index)).join('\n')}\n`), Buffer.from(repeated(3_000, { userDisplayName: 'Ada XX' }).replace('XX', '\u0000')).map((byte) => (byte === 0 ? 0xff : byte)), Buffer.from(`\n${repeated(3_001)}\n`)]),
      error: /not valid UTF-8/,
    },
  ];
  for (const entry of cases) {
    it(`equal results: ${entry.name}`, async () => {
      const file = writeInput(tempDir(), 'input.ndjson', entry.content());
      // Small partitions get the smallest event buffers, which the repeated lines fill many times.
      const [inMemory, parallel, handedOver] = await bothOutcomes(file, { partitionBytes: 32 << 10, ...entry.options } as Parameters<typeof reviewSignIns>[1]);
      assert.deepEqual(parallel, inMemory);
      assert.equal(handedOver, false);
      if (entry.error) {
        assert.match(String(parallel), entry.error);
        return;
      }
      const result = parallel as Awaited<ReturnType<typeof reviewSignIns>>;
      assert.ok(result.summary.eventCount > 0, 'some sign-ins are reviewed');
      if (!entry.options) {
        assert.equal(result.summary.eventCount, 32_000);
        const detections = new Set(result.alerts.map((alert) => alert.detection));
        assert.ok(detections.has('device-code-sign-in'), [...detections].join(', '));
        assert.ok(detections.has('session-replay'), [...detections].join(', '));
      }
    });
  }
});

describe('parallel review of several files, one unreadable as a log', () => {
  // Files are read in order, so a bad record in the first comes before a second file that is empty or
  // not JSON. The parallel review checks every file's format before it starts.
  const good = (prefix: string) => Array.from({ length: 40 }, (_, i) => JSON.stringify(graphSignIn({ id: `${prefix}-${i}`, createdDateTime: '2026-05-02T10:00:00.000Z' }))).join('\n');
  const withBad = () => good('a').replace('"id":"a-5","createdDateTime":"2026', '"id":"a-5","createdDateTime":"X026');
  const cases: { name: string; first: () => string; second: string | Buffer; error: RegExp }[] = [
    { name: 'a bad record, then an empty file', first: withBad, second: '', error: /first\.ndjson:6 \(record 5\)/ },
    { name: 'a bad record, then a file that is not JSON', first: withBad, second: '<html><body>Sign in</body></html>', error: /first\.ndjson:6 \(record 5\)/ },
    { name: 'a bad record, then a file that is not UTF-8', first: withBad, second: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]), error: /first\.ndjson:6 \(record 5\)/ },
    { name: 'a good file, then an empty one', first: () => good('a'), second: '', error: /second\.ndjson: the file is empty/ },
  ];
  for (const entry of cases) {
    it(`equal outcomes: ${entry.name}`, async () => {
      const dir = tempDir();
      const files = [writeInput(dir, 'first.ndjson', entry.first()), writeInput(dir, 'second.ndjson', entry.second)];
      const run = (parallelFromBytes: number) =>
        reviewSignIns(files, { enricher: false, parallelFromBytes, workers: 2 } as Parameters<typeof reviewSignIns>[1]).then(
          () => 'no error',
          (error: Error) => `${error.message} | ${(error as Error & { fix?: string }).fix ?? ''}`,
        );
      const inMemory = await run(Number.POSITIVE_INFINITY);
      assert.match(inMemory, entry.error);
      assert.equal(await run(0), inMemory);
    });
  }
});

describe('sign-in review of a file named twice', () => {
  it('reads it once, both ways', async () => {
    const dir = tempDir();
    const file = writeInput(dir, 'twice.ndjson', Array.from({ length: 20 }, (_, i) => JSON.stringify(graphSignIn({ id: `t-${i}` }))).join('\n'));
    // The same file through a symbolic and a hard link, and by a path with a detour.
    const { linkSync, symlinkSync } = await import('node:fs');
    symlinkSync(file, join(dir, 'symbolic.ndjson'));
    linkSync(file, join(dir, 'hard.ndjson'));
    for (const names of [[file, file], [file, join(dir, 'symbolic.ndjson')], [join(dir, 'hard.ndjson'), file], [file, join(dir, '.', 'twice.ndjson')]]) {
      for (const parallelFromBytes of [Number.POSITIVE_INFINITY, 0]) {
        const result = await reviewSignIns(names, { enricher: false, parallelFromBytes });
        assert.equal(result.summary.eventCount, 20, names.join(' '));
        assert.equal(result.summary.files.length, 1);
      }
    }
  });
});

describe('parallel review of one very busy flagged user', () => {
  it('hands over to the in-memory review', async () => {
    // 40,000 device-code sign-ins of one user: more line bytes than one worker reads again.
    const lines = Array.from({ length: 40_000 }, (_, i) => JSON.stringify(graphSignIn({ id: `b-${i}`, authenticationProtocol: 'deviceCode', createdDateTime: new Date(Date.UTC(2026, 4, 1) + i * 60_000).toISOString() })));
    const file = writeInput(tempDir(), 'busy.ndjson', lines.join('\n'));
    const [inMemory, parallel, handedOver] = await bothOutcomes(file);
    assert.deepEqual(parallel, inMemory);
    assert.equal((parallel as Awaited<ReturnType<typeof reviewSignIns>>).summary.eventCount, 40_000);
    assert.equal(handedOver, true);
  });
});

describe('parallel review without WebAssembly', () => {
  it('gives what the WebAssembly scan gives', async () => {
    // Generated sign-ins with attacks, then the tricky lines, in Graph's time form and the short one.
    const dir = tempDir();
    const file = join(dir, 'generated.ndjson');
    await generateSignIns(file, 4_000, 2);
    appendFileSync(file, TRICKY_LINES.map((entry) => `${entry.line}\r\n`).join(''));
    const options = { enricher: false, parallelFromBytes: 0, workers: 2, partitionBytes: 64 << 10 } as Parameters<typeof reviewSignIns>[1];
    const withWasm = await reviewSignIns([file], options);
    // The JavaScript check and line-by-line scan, in a process where the WebAssembly check is off.
    const script = `import { reviewSignIns } from ${JSON.stringify(new URL('../../src/signins/review.ts', import.meta.url).href)};
      import { usesWasm } from ${JSON.stringify(new URL('../../src/signins/fast/graph-line.ts', import.meta.url).href)};
      const result = await reviewSignIns([${JSON.stringify(file)}], ${JSON.stringify(options)});
      process.stdout.write(JSON.stringify({ ...result, wasm: usesWasm() }));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TOKENGAP_WASM: 'off' }, maxBuffer: 64 << 20 });
    assert.equal(child.status, 0, child.stderr);
    const withoutWasm = JSON.parse(child.stdout) as typeof withWasm & { wasm: boolean };
    assert.equal(withoutWasm.wasm, false);
    assert.deepEqual(withoutWasm.alerts, JSON.parse(JSON.stringify(withWasm.alerts)));
    assert.deepEqual(withoutWasm.summary, JSON.parse(JSON.stringify(withWasm.summary)));
    assert.deepEqual(withoutWasm.timelines, JSON.parse(JSON.stringify(withWasm.timelines)));
    assert.ok(withWasm.alerts.length > 10, `${withWasm.alerts.length} alerts`);
  });
});

describe('parallel review of users in two offices', () => {
  it('gives the in-memory result when their moves cannot alert', async () => {
    // Half the background users work from a second office in the same country every other day.
    // Their two places flag them; their records then show that no move could alert.
    const file = join(tempDir(), 'roaming.ndjson');
    await generateSignIns(file, 6_000, 2, { roamingShare: 0.5 });
    const options = { enricher: false, workers: 2, partitionBytes: 64 << 10 } as Parameters<typeof reviewSignIns>[1];
    const inMemory = await reviewSignIns([file], { ...options, parallelFromBytes: Infinity });
    const parallel = await reviewSignIns([file], { ...options, parallelFromBytes: 0 });
    assert.deepEqual(parallel.alerts, inMemory.alerts);
    assert.deepEqual(parallel.summary, inMemory.summary);
    assert.deepEqual(parallel.timelines, inMemory.timelines);
    assert.ok(parallel.alerts.length > 10, `${parallel.alerts.length} alerts`);
  });
});

describe('byte ranges of a file', () => {
  it('cut points: large head, small tail', async () => {
    const { cutPoints } = await import('../../src/signins/parallel.js');
    const size = 2_306_000_000;
    const cuts = cutPoints(size, 2);
    assert.equal(cuts.at(-1), size);
    for (let k = 1; k < cuts.length; k++) assert.ok(cuts[k]! > cuts[k - 1]!, `cut ${k} does not advance`);
    const lengths = cuts.map((cut, k) => cut - (k === 0 ? 0 : cuts[k - 1]!));
    // The first ranges are about 32 MiB; the last 64 MiB come in ranges of about 8 MiB.
    assert.ok(Math.abs(lengths[0]! - (32 << 20)) < 1 << 20, `first range ${lengths[0]}`);
    assert.ok(lengths.slice(-8).every((length) => Math.abs(length - (8 << 20)) < 1 << 20), `tail ${lengths.slice(-8).join(', ')}`);
    assert.deepEqual(cutPoints(0, 2), [0, 0]);
    assert.equal(cutPoints(1_000, 4).length, 4);
  });
});

describe('parallel review without a usable temporary folder', () => {
  it('stops with a user error naming the folder', async () => {
    const { UserError } = await import('../../src/errors.js');
    const dir = tempDir();
    const file = writeInput(dir, 'log.ndjson', Array.from({ length: 20 }, (_, i) => JSON.stringify(graphSignIn({ id: `t-${i}` }))).join('\n'));
    const notAFolder = writeInput(dir, 'not-a-folder', 'x');
    const saved = process.env.TMPDIR;
    try {
      for (const [temporary, code] of [[join(dir, 'missing'), 'ENOENT'], [notAFolder, 'ENOTDIR'], [join(notAFolder, 'sub'), 'ENOTDIR']] as const) {
        process.env.TMPDIR = temporary;
        await assert.rejects(reviewSignIns([file], { enricher: false, parallelFromBytes: 0 }), (error: Error) => {
          assert.ok(error instanceof UserError, String(error));
          assert.match(error.message, new RegExp(`could not write its temporary files: ${code}: `));
          const fix = "set TMPDIR to a writable folder with room for a tenth of the log's size";
          // Below a file, the file is what is not a folder.
          assert.equal(error.fix, code === 'ENOENT' ? `create the folder ${temporary}, or ${fix}` : `${fix}; ${notAFolder} is not a folder`);
          return true;
        });
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});

describe('parallel review when the temporary folder fills', () => {
  it('stops with a user error and leaves no files', async (t) => {
    // A small tmpfs as TMPDIR. Mounting needs root and a system that allows it, so the case is
    // skipped elsewhere.
    const mountPoint = join(tmpdir(), `tokengap-full-${process.pid}`);
    mkdirSync(mountPoint, { recursive: true });
    if (process.getuid?.() !== 0 || spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]).status !== 0) {
      rmSync(mountPoint, { recursive: true, force: true });
      t.skip('mounting a small tmpfs needs root and a system that allows it');
      return;
    }

    const { UserError } = await import('../../src/errors.js');
    // 12,000 sign-ins of distinct signatures: their event and fact records need about 1.2 MiB. With
    // partitions of 64 KiB of input, event buffers fill and are written during the scan; fact records
    // are written when it ends. So the folder fills in either phase, by its size.
    const lines = Array.from({ length: 12_000 }, (_, index) => JSON.stringify(graphSignIn({ id: `f-${index}`, createdDateTime: new Date(Date.UTC(2026, 4, 1) + index * 1_000).toISOString(), ipAddress: `10.0.${index >> 8}.${index & 255}` })));
    const file = writeInput(tempDir(), 'log.ndjson', `${lines.join('\n')}\n`);

    const saved = process.env.TMPDIR;
    try {
      process.env.TMPDIR = mountPoint;
      for (const size of ['256k', '640k', '1m']) {
        spawnSync('mount', ['-o', `remount,size=${size}`, mountPoint]);
        await assert.rejects(reviewSignIns([file], { enricher: false, parallelFromBytes: 0, workers: 2, partitionBytes: 64 << 10 } as Parameters<typeof reviewSignIns>[1]), (error: Error) => {
          assert.ok(error instanceof UserError, `${size}: ${String(error)}`);
          assert.match(error.message, /could not write its temporary files: ENOSPC/, size);
          assert.match(error.fix ?? '', new RegExp(`^free space in ${mountPoint}`), size);
          return true;
        });
        // tsx, which runs the workers' TypeScript in tests, keeps its cache there too.
        assert.deepEqual(readdirSync(mountPoint).filter((name) => !name.startsWith('tsx-')), [], size);
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      spawnSync('umount', [mountPoint]);
      rmSync(mountPoint, { recursive: true, force: true });
    }
  });
});

describe('file system errors of review workers', () => {
  it('blames the spill folder only for its own files', async () => {
    const { fileSystemError } = await import('../../src/signins/parallel.js');
    const spill = join(tmpdir(), 'tokengap-signins-x');
    const cases = [
      { path: join(spill, 'w0-spill.bin'), code: 'ENOSPC', message: /could not write its temporary files/, fix: /free space in / },
      { path: join(spill, 'w1-facts.bin'), code: 'EACCES', message: /could not write its temporary files/, fix: /^set TMPDIR/ },
      // A log or a file of the installation that lies under the temporary folder too.
      { path: join(tmpdir(), 'clone', 'data', 'signins', 'hosting-asns.json'), code: 'ENOENT', message: /could not read a file/, fix: /exists and can be read/ },
      { path: '/srv/logs/signins.ndjson', code: 'EACCES', message: /could not read a file/, fix: /exists and can be read/ },
    ];
    for (const entry of cases) {
      const error = fileSystemError(entry.code, entry.path, `${entry.code}: failed, open '${entry.path}'`, spill);
      assert.match(error.message, entry.message, entry.path);
      assert.match(error.fix ?? '', entry.fix, entry.path);
    }
  });
});

describe('message for a partition too large for a worker', () => {
  it('names one long line or many sign-ins', async () => {
    const { tooLargeMessage } = await import('../../src/signins/parallel-worker.js');
    assert.equal(tooLargeMessage(100 << 20, 100 << 20), 'one sign-in that needs the full detections is a line of 100.0 MiB, more than the limit for one review worker (16.0 MiB)');
    assert.equal(tooLargeMessage(40 << 20, 4_000), 'the sign-ins of one user that need the full detections take 40.0 MiB of lines, more than the limit for one review worker (16.0 MiB)');
  });
});

describe('parallel review handing over a Graph page line', () => {
  it('names the line in the file', async () => {
    // The page is in the second of two byte ranges, so its line counts from the file's start.
    const lines = Array.from({ length: 40 }, (_, i) => JSON.stringify(graphSignIn({ id: `l-${i}` })));
    const file = writeInput(tempDir(), 'page.ndjson', [...lines, JSON.stringify({ value: [graphSignIn({ id: 'p1' })] }), ...lines.slice(0, 5)].join('\n'));
    const result = await reviewSignIns([file], { enricher: false, parallelFromBytes: 0, workers: 2 } as Parameters<typeof reviewSignIns>[1]);
    assert.deepEqual(result.summary.warnings, [`the log was reviewed in memory rather than on worker threads, because line 41 of ${file} contains a whole Graph page`]);
  });
});
