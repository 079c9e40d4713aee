import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

// The benchmark's seeded generator, so every run tries the same mutants.
import { generateSignIns, random } from '../../bench/signins/generate.js';
import { sessionHash } from '../../src/signins/detections/gate.js';
import { lastLineEvent, lastLineSession, lastLineTime, lastLineWasAscii, LINE_EVENT, LINE_SLOW, lineBuffer, lineRecords, readGraphSignInLine, scanGraphSignInLine, scanLines, signatureEpoch, usesWasm } from '../../src/signins/fast/graph-line.js';
import { isoMs } from '../../src/signins/normalise.js';
import type { SignInEvent } from '../../src/signins/event.js';
import { projectScanFields } from '../../src/signins/fast/scan-fields.js';
import { fromGraphSignIn } from '../../src/signins/normalise.js';
import { corpusPath, corpusSkip } from '../helpers/shared.js';
import { graphSignIn, tempDir } from './fixtures.js';

/**
 * Differential tests of the byte reader against JSON.parse and fromGraphSignIn: whenever the reader
 * returns an event, the slow path must succeed on the same line, read it as a Graph signIn and give
 * the same scan projection. Every line goes through both of the reader's checks, the JavaScript one
 * and the WebAssembly one, which must agree exactly.
 */

let shift = 0;

/**
 * Reads bytes[start, end) with the JavaScript check, then copies the bytes into the WebAssembly
 * check's buffer, at an alignment that changes from call to call, and reads them there. The two
 * must accept the same lines and give the same events. Returns the event.
 */
function readLine(bytes: Buffer, start: number, end: number): SignInEvent | null {
  const viaJavaScript = readGraphSignInLine(bytes, start, end);
  const javaScriptAscii = lastLineWasAscii();
  shift = (shift + 1) % 16;
  const buffer = lineBuffer(bytes.length + shift);
  bytes.copy(buffer, shift);
  const scanned = scanGraphSignInLine(buffer, start + shift, end + shift);
  const viaWasm = scanned === LINE_SLOW ? null : lastLineEvent();
  const text = bytes.toString('utf8', start, end).slice(0, 300);
  if (scanned >= 0 && viaWasm !== null) {
    signed++;
    checkSignature(scanned, viaWasm, text);
  }
  assert.equal(viaWasm !== null, viaJavaScript !== null, `the checks disagree on: ${text}`);
  if (viaWasm !== null) {
    assert.deepStrictEqual(viaWasm, viaJavaScript, `the checks read different events from: ${text}`);
    assert.equal(lastLineWasAscii(), javaScriptAscii, `the checks disagree on ASCII: ${text}`);
  }
  return viaJavaScript;
}

/** Names the kind of a value: absent, null or its type. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'absent';
  if (value === null) return 'null';
  return typeof value;
}

/** Lines that got a signature number. */
let signed = 0;

/** The projections seen per signature number, in the current signature epoch. */
const signatures = new Map<number, string>();
let signaturesEpoch = -1;

/**
 * Checks the facts the WebAssembly check gave a line with a signature number. Its time and session
 * hash are those of its event. Every line with that number has the same projection once the time and
 * the session id's value are left out.
 */
function checkSignature(scanned: number, event: SignInEvent, text: string): void {
  assert.equal(lastLineTime(), isoMs(event.createdDateTime), `time of: ${text}`);
  assert.equal(lastLineSession(), sessionHash(event), `session hash of: ${text}`);
  if (signatureEpoch() !== signaturesEpoch) {
    signatures.clear();
    signaturesEpoch = signatureEpoch();
  }
  const projection = projectScanFields(event) as unknown as Record<string, unknown>;
  const { createdDateTime: _time, sessionId, uniqueTokenIdentifier, incomingTokenType, ...rest } = projection;
  // The values of these three are not in the signature, only whether they are present and their type.
  const kinds = [sessionId, uniqueTokenIdentifier, incomingTokenType].map(kindOf);
  const key = JSON.stringify({ ...rest, kinds });
  const seen = signatures.get(scanned);
  if (seen === undefined) signatures.set(scanned, key);
  else assert.equal(key, seen, `signature ${scanned} stands for two projections: ${text}`);
}

describe('graph line reader checks', () => {
  it('uses the WebAssembly check', { skip: process.env.TOKENGAP_WASM === 'off' ? 'TOKENGAP_WASM=off' : false }, () => {
    assert.equal(usesWasm(), true);
    const line = Buffer.from('{"createdDateTime":"2026-05-01T09:00:00.000Z","userId":"u1"}');
    const buffer = lineBuffer(line.length);
    line.copy(buffer);
    assert.equal(readGraphSignInLine(buffer, 0, line.length)?.userId, 'u1');
  });

  it('numbers signatures again after the table fills', { skip: process.env.TOKENGAP_WASM === 'off' ? 'TOKENGAP_WASM=off' : false }, () => {
    // Users that recur, then more distinct users than the table holds; then users with long agents
    // that fill its bytes.
    const cases = [
      { count: 70_000, line: (n: number) => `{"createdDateTime":"2026-05-01T09:00:00.000Z","userId":"${n < 40_000 ? `u${n % 20_000}` : `v${n}`}","sessionId":"s${n % 7}"}` },
      { count: 4_000, line: (n: number) => `{"createdDateTime":"2026-05-01T09:00:00.000Z","userId":"u${n % 10}","userAgent":"${String(n).padStart(3_000, 'a')}"}` },
    ];
    for (const { count, line } of cases) {
      const startEpoch = signatureEpoch();
      let epoch = startEpoch;
      const users = new Map<number, string>();
      const numbers = new Map<string, number>();
      let hits = 0;
      for (let n = 0; n < count; n++) {
        const bytes = Buffer.from(line(n), 'latin1');
        const buffer = lineBuffer(bytes.length);
        bytes.copy(buffer);
        const number = scanGraphSignInLine(buffer, 0, bytes.length);
        assert.ok(number >= 0, `line ${n} got no signature number`);
        if (signatureEpoch() !== epoch) {
          users.clear();
          numbers.clear();
          epoch = signatureEpoch();
        }
        const key = bytes.toString('latin1').replace(/"sessionId":"s\d"/, '');
        const seen = users.get(number);
        if (seen === undefined) users.set(number, key);
        else assert.equal(key, seen, `signature ${number} stands for two lines`);
        const earlier = numbers.get(key);
        if (earlier === undefined) numbers.set(key, number);
        else {
          assert.equal(number, earlier, `line ${n} got a new number for a known signature`);
          hits++;
        }
      }
      assert.ok(signatureEpoch() > startEpoch, 'the table was never emptied');
      if (count === 70_000) assert.ok(hits >= 20_000, `${hits} lines found their signature`);
    }
  });

  it('keeps the carried bytes when the WebAssembly buffer grows', () => {
    const first = lineBuffer(1 << 10);
    const length = first.write('{"createdDateTime":"2026-05-01T09:00:00.000Z","userId":"kept"}', 0, 'latin1');
    const larger = lineBuffer(64 << 20, length);
    assert.ok(larger.length >= 64 << 20);
    assert.equal(readGraphSignInLine(larger, 0, length)?.userId, 'kept');
  });
});

type SlowResult = { ok: true; event: ReturnType<typeof fromGraphSignIn>; record: Record<string, unknown> } | { ok: false; error: string };

/** JSON.parse then fromGraphSignIn, as the slow path runs them, or the error either throws. */
function readSlowly(text: string): SlowResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `JSON.parse: ${(error as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'not an object' };
  const record = value as Record<string, unknown>;
  try {
    return { ok: true, event: fromGraphSignIn(record), record };
  } catch (error) {
    return { ok: false, error: `fromGraphSignIn: ${(error as Error).message}` };
  }
}

/** Bytes placed around a line, so that a reader looking past `start` or `end` is caught. */
const SURROUNDINGS: [string, string][] = [
  ['', ''],
  ['\n', '\n{"createdDateTime":"2026-01-01T00:00:00.000Z"}\n'],
  ['}', '"'],
  ['x', '1'],
  ['', ',"a":1}'],
];

/**
 * Runs the reader on `line` inside the given surroundings and checks the differential property.
 * Returns whether the reader accepted the line.
 */
function checkLine(line: Buffer, surrounding: [string, string] = SURROUNDINGS[0]!): boolean {
  const before = Buffer.from(surrounding[0], 'latin1');
  const bytes = Buffer.concat([before, line, Buffer.from(surrounding[1], 'latin1')]);
  const fast = readLine(bytes, before.length, before.length + line.length);
  if (fast === null) return false;
  const text = line.toString('utf8');
  const slow = readSlowly(text);
  assert.ok(slow.ok, `the reader accepted a line the slow path rejects (${slow.ok ? '' : slow.error}): ${text.slice(0, 300)}`);
  assert.ok('createdDateTime' in slow.record, `the reader accepted a line without createdDateTime: ${text.slice(0, 300)}`);
  assert.ok(!('properties' in slow.record), `the reader accepted a diagnostic record with properties: ${text.slice(0, 300)}`);
  assert.ok(!('category' in slow.record), `the reader accepted a diagnostic record with category: ${text.slice(0, 300)}`);
  assert.deepStrictEqual(projectScanFields(fast), projectScanFields(slow.event), `projections differ for: ${text.slice(0, 300)}`);
  return true;
}

function lineOf(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

let generatedLines: Buffer[] = [];

before(async () => {
  const file = join(tempDir(), 'generated.ndjson');
  await generateSignIns(file, 3_000, 2);
  const content = readFileSync(file);
  generatedLines = [];
  for (let start = 0; start < content.length; ) {
    const end = content.indexOf(0x0a, start);
    generatedLines.push(content.subarray(start, end < 0 ? content.length : end));
    start = end < 0 ? content.length : end + 1;
  }
});

describe('graph line reader on generated lines', () => {
  it('accepts and matches 99% of lines', () => {
    assert.ok(generatedLines.length >= 3_000, `expected 3,000 generated lines, got ${generatedLines.length}`);
    let accepted = 0;
    const signedBefore = signed;
    for (const line of generatedLines) if (checkLine(line)) accepted++;
    assert.ok(accepted >= generatedLines.length * 0.99, `fast path took ${accepted} of ${generatedLines.length} lines`);
    if (usesWasm()) assert.ok(signed - signedBefore >= accepted * 0.99, `${signed - signedBefore} of ${accepted} lines got a signature number`);
  });

  it('ignores bytes around the line', () => {
    for (const surrounding of SURROUNDINGS) {
      for (const line of generatedLines.slice(0, 50)) assert.ok(checkLine(line, surrounding), `rejected with surroundings ${JSON.stringify(surrounding)}`);
    }
  });
});

/** Valid sign-ins, each accepted or not as stated, and compared with the slow path when accepted. */
const VALID_CASES: { name: string; line: string; accepted: boolean }[] = [
  { name: 'fixture sign-in', line: JSON.stringify(graphSignIn()), accepted: true },
  { name: 'indented with tabs and CR', line: JSON.stringify(graphSignIn(), null, '\t').replace(/\n/g, '\r'), accepted: true },
  // A newline ends an NDJSON line, so the reader never meets one inside a line, and leaves it to the slow path.
  { name: 'a newline between values', line: JSON.stringify(graphSignIn(), null, '\t'), accepted: false },
  { name: 'trailing spaces', line: `${JSON.stringify(graphSignIn())}   `, accepted: true },
  { name: 'only createdDateTime', line: '{"createdDateTime":"2026-05-01T09:00:00.000Z"}', accepted: true },
  { name: 'time without milliseconds', line: '{"createdDateTime":"2026-05-01T09:00:00Z"}', accepted: true },
  { name: 'time without zone', line: '{"createdDateTime":"2026-05-01T09:00:00"}', accepted: true },
  { name: 'space-separated time', line: '{"createdDateTime":"2025-01-15 09:30:45.123"}', accepted: true },
  { name: 'US portal time', line: '{"createdDateTime":"9/19/2023, 1:45:17.287 PM"}', accepted: true },
  { name: 'day past the end of February', line: '{"createdDateTime":"2026-02-30T00:00:00.000Z"}', accepted: true },
  { name: 'leap day', line: '{"createdDateTime":"2024-02-29T23:59:59.999Z"}', accepted: true },
  { name: 'hour 24', line: '{"createdDateTime":"2024-02-28T24:00:00.000Z"}', accepted: true },
  { name: 'unparseable time', line: '{"createdDateTime":"yesterday"}', accepted: false },
  { name: 'empty time', line: '{"createdDateTime":""}', accepted: false },
  { name: 'null time', line: '{"createdDateTime":null}', accepted: false },
  { name: 'numeric time', line: '{"createdDateTime":1714554000000}', accepted: false },
  { name: 'escaped time', line: '{"createdDateTime":"2026-05-01T09:00:00\\u002e000Z"}', accepted: true },
  { name: 'null strings', line: JSON.stringify(graphSignIn({ userId: null, userPrincipalName: null, ipAddress: null, sessionId: null })), accepted: true },
  { name: 'numbers and booleans as strings', line: JSON.stringify(graphSignIn({ userId: 42, sessionId: true, ipAddress: 1.5e300, riskState: false })), accepted: true },
  { name: 'object where a string is expected', line: JSON.stringify(graphSignIn({ userAgent: { a: 1 } })), accepted: false },
  { name: 'array where a string is expected', line: JSON.stringify(graphSignIn({ clientAppUsed: ['Browser'] })), accepted: false },
  { name: 'mixed-case user principal name', line: JSON.stringify(graphSignIn({ userPrincipalName: 'Ada.Lovelace@Contoso.EXAMPLE' })), accepted: true },
  { name: 'non-ASCII values', line: JSON.stringify(graphSignIn({ userPrincipalName: 'ÉLODIE@contoso.example', userAgent: 'Navigateur ☃ 😀' })), accepted: true },
  { name: 'escaped values', line: JSON.stringify(graphSignIn({ userAgent: 'curl "x" \\ \n\t', sessionId: 'a\u0001b' })), accepted: true },
  { name: 'escaped solidus and unicode', line: '{"createdDateTime":"2026-05-01T09:00:00Z","userAgent":"a\\/b\\u00e9\\uD83D\\uDE00"}', accepted: true },
  { name: 'lone surrogate escape', line: '{"createdDateTime":"2026-05-01T09:00:00Z","userAgent":"\\uD800"}', accepted: true },
  { name: 'invalid UTF-8 inside a string', line: '{"createdDateTime":"2026-05-01T09:00:00Z","userAgent":"a\u00ff"}', accepted: true },
  { name: 'ASN as text with prefix', line: JSON.stringify(graphSignIn({ autonomousSystemNumber: 'AS64500' })), accepted: true },
  { name: 'ASN negative', line: JSON.stringify(graphSignIn({ autonomousSystemNumber: -5 })), accepted: true },
  { name: 'ASN fraction', line: JSON.stringify(graphSignIn({ autonomousSystemNumber: 1.5 })), accepted: true },
  { name: 'ASN null', line: JSON.stringify(graphSignIn({ autonomousSystemNumber: null })), accepted: true },
  { name: 'ASN object', line: JSON.stringify(graphSignIn({ autonomousSystemNumber: { n: 1 } })), accepted: true },
  { name: 'ASN negative zero', line: '{"createdDateTime":"2026-05-01T09:00:00Z","autonomousSystemNumber":-0}', accepted: true },
  { name: 'ASN with exponent', line: '{"createdDateTime":"2026-05-01T09:00:00Z","autonomousSystemNumber":6.45E4}', accepted: true },
  { name: 'ASN of 20 digits', line: '{"createdDateTime":"2026-05-01T09:00:00Z","autonomousSystemNumber":12345678901234567890}', accepted: true },
  { name: 'error code as text', line: JSON.stringify(graphSignIn({ status: { errorCode: '50126' } })), accepted: true },
  { name: 'error code Failure', line: JSON.stringify(graphSignIn({ status: { errorCode: 'Failure' } })), accepted: true },
  { name: 'error code null', line: JSON.stringify(graphSignIn({ status: { errorCode: null } })), accepted: true },
  { name: 'error code missing', line: JSON.stringify(graphSignIn({ status: { failureReason: 'x' } })), accepted: true },
  { name: 'error code fraction', line: JSON.stringify(graphSignIn({ status: { errorCode: 1.5 } })), accepted: false },
  { name: 'error code unknown text', line: JSON.stringify(graphSignIn({ status: { errorCode: 'oops' } })), accepted: false },
  { name: 'error code object', line: JSON.stringify(graphSignIn({ status: { errorCode: {} } })), accepted: false },
  { name: 'status null', line: JSON.stringify(graphSignIn({ status: null })), accepted: true },
  { name: 'status array', line: JSON.stringify(graphSignIn({ status: [{ errorCode: 5 }] })), accepted: true },
  { name: 'status empty object', line: JSON.stringify(graphSignIn({ status: {} })), accepted: true },
  { name: 'nested errorCode elsewhere', line: JSON.stringify(graphSignIn({ deviceDetail: { status: { errorCode: 'oops' } }, status: { errorCode: 7 } })), accepted: true },
  { name: 'location without coordinates', line: JSON.stringify(graphSignIn({ location: { countryOrRegion: 'NG', geoCoordinates: null } })), accepted: true },
  { name: 'location empty', line: JSON.stringify(graphSignIn({ location: {} })), accepted: true },
  { name: 'location string', line: JSON.stringify(graphSignIn({ location: 'FR' })), accepted: true },
  { name: 'coordinates as text', line: JSON.stringify(graphSignIn({ location: { geoCoordinates: { latitude: ' 45.5 ', longitude: 'east' } } })), accepted: true },
  { name: 'coordinates objects', line: JSON.stringify(graphSignIn({ location: { geoCoordinates: { latitude: [1], longitude: {} } } })), accepted: true },
  { name: 'coordinates overflow', line: '{"createdDateTime":"2026-05-01T09:00:00Z","location":{"geoCoordinates":{"latitude":1e400,"longitude":-1e-400}}}', accepted: true },
  { name: 'country as number', line: JSON.stringify(graphSignIn({ location: { countryOrRegion: 33 } })), accepted: true },
  { name: 'risk types v2 filled', line: JSON.stringify(graphSignIn({ riskEventTypes_v2: ['unfamiliarFeatures', 'anonymizedIPAddress'] })), accepted: true },
  { name: 'risk types v2 null falls back', line: JSON.stringify(graphSignIn({ riskEventTypes_v2: null, riskEventTypes: ['leakedCredentials'] })), accepted: true },
  { name: 'risk types v2 absent falls back', line: JSON.stringify({ ...graphSignIn(), riskEventTypes_v2: undefined, riskEventTypes: [1, null, true] }), accepted: true },
  { name: 'risk types v2 text does not fall back', line: JSON.stringify(graphSignIn({ riskEventTypes_v2: 'x', riskEventTypes: ['y'] })), accepted: true },
  { name: 'risk types with spaces', line: '{"createdDateTime":"2026-05-01T09:00:00Z","riskEventTypes_v2":[ ]}', accepted: true },
  { name: 'risk types holding objects', line: '{"createdDateTime":"2026-05-01T09:00:00Z","riskEventTypes_v2":[{"a":[1]},[2,3]]}', accepted: true },
  { name: 'toString key in a risk type', line: '{"createdDateTime":"2026-05-01T09:00:00Z","riskEventTypes_v2":[{"toString":1}]}', accepted: true },
  { name: 'toString key in event types', line: '{"createdDateTime":"2026-05-01T09:00:00Z","signInEventTypes":[{"toString":1}]}', accepted: true },
  { name: 'wanted key inside a string', line: '{"createdDateTime":"2026-05-01T09:00:00Z","userAgent":"\\"sessionId\\":\\"evil\\"","x":"\\"userId\\":1"}', accepted: true },
  { name: 'wanted keys nested elsewhere', line: JSON.stringify({ deviceDetail: { userId: 'no', location: { countryOrRegion: 'XX' } }, ...graphSignIn() }), accepted: true },
  { name: 'duplicate wanted key', line: '{"createdDateTime":"2026-05-01T09:00:00Z","userId":"a","userId":"b"}', accepted: false },
  { name: 'duplicate ignored key', line: '{"createdDateTime":"2026-05-01T09:00:00Z","appId":"a","appId":"b"}', accepted: true },
  { name: 'escaped wanted key', line: '{"createdDateTime":"2026-05-01T09:00:00Z","user\\u0049d":"a"}', accepted: false },
  { name: 'diagnostic envelope', line: JSON.stringify({ time: '2026-05-01T09:00:00Z', category: 'SignInLogs', properties: graphSignIn() }), accepted: false },
  { name: 'category key beside createdDateTime', line: JSON.stringify(graphSignIn({ category: 'SignInLogs' })), accepted: false },
  { name: 'properties key beside createdDateTime', line: JSON.stringify(graphSignIn({ properties: null })), accepted: false },
  { name: 'Sentinel row', line: JSON.stringify({ TimeGenerated: '2026-05-01T09:00:00Z', UserPrincipalName: 'a@b', Type: 'SigninLogs' }), accepted: false },
  { name: 'audit event', line: JSON.stringify({ activityDateTime: '2026-05-01T09:00:00Z', activityDisplayName: 'Add device' }), accepted: false },
  { name: 'nesting of 60 levels', line: `{"createdDateTime":"2026-05-01T09:00:00Z","x":${'['.repeat(60)}${']'.repeat(60)}}`, accepted: true },
  { name: 'nesting of 100 levels', line: `{"createdDateTime":"2026-05-01T09:00:00Z","x":${'['.repeat(100)}1${']'.repeat(100)}}`, accepted: false },
  { name: 'top-level array', line: `[${JSON.stringify(graphSignIn())}]`, accepted: false },
  { name: 'top-level string', line: '"2026-05-01T09:00:00Z"', accepted: false },
  { name: '__proto__ key', line: '{"createdDateTime":"2026-05-01T09:00:00Z","__proto__":{"userId":"x"}}', accepted: true },
];

describe('graph line reader on valid lines', () => {
  for (const { name, line, accepted } of VALID_CASES) {
    it(`${accepted ? 'reads' : 'leaves to the slow path'}: ${name}`, () => {
      const bytes = Buffer.from(line, name === 'invalid UTF-8 inside a string' ? 'latin1' : 'utf8');
      assert.equal(checkLine(bytes), accepted);
    });
  }
});

/** Invalid JSON, each row with one fault, all inside an otherwise valid sign-in. */
const BASE = '{"createdDateTime":"2026-05-01T09:00:00Z","userId":"u","deviceDetail":{"isCompliant":true,"trustType":null},"list":[1,[2],{"a":"b"}],"n":-1.5e3}';
const INVALID_CASES: { name: string; line: string }[] = [
  { name: 'empty line', line: '' },
  { name: 'whitespace only', line: '   ' },
  { name: 'truncated in a string', line: BASE.slice(0, 30) },
  { name: 'truncated after a key', line: BASE.slice(0, BASE.indexOf(':')) },
  { name: 'truncated before the last brace', line: BASE.slice(0, -1) },
  { name: 'trailing comma at the top level', line: BASE.replace(/}$/, ',}') },
  { name: 'trailing comma in a nested object', line: BASE.replace('"trustType":null}', '"trustType":null,}') },
  { name: 'trailing comma in an array', line: BASE.replace('[1,[2],{"a":"b"}]', '[1,[2],{"a":"b"},]') },
  { name: 'trailing comma in a nested array', line: BASE.replace('[2]', '[2,]') },
  { name: 'trailing comma in an object in an array', line: BASE.replace('{"a":"b"}', '{"a":"b",}') },
  { name: 'stray comma in deviceDetail', line: BASE.replace('"isCompliant":true,', '"isCompliant":true,,') },
  { name: 'leading comma in an array', line: BASE.replace('[1,', '[,1,') },
  { name: 'missing comma between members', line: BASE.replace(',"userId"', '"userId"') },
  { name: 'missing comma between items', line: BASE.replace('1,[2]', '1 [2]') },
  { name: 'missing colon', line: BASE.replace('"userId":', '"userId"') },
  { name: 'double colon', line: BASE.replace('"userId":', '"userId"::') },
  { name: 'bad literal tru', line: BASE.replace('true', 'tru') },
  { name: 'bad literal nul', line: BASE.replace('null', 'nul') },
  { name: 'bad literal False', line: BASE.replace('true', 'False') },
  { name: 'literal with extra letters', line: BASE.replace('true', 'truex') },
  { name: 'leading zero 01', line: BASE.replace('-1.5e3', '01') },
  { name: 'fraction without digits 1.', line: BASE.replace('-1.5e3', '1.') },
  { name: 'lone minus', line: BASE.replace('-1.5e3', '-') },
  { name: 'fraction without integer .5', line: BASE.replace('-1.5e3', '.5') },
  { name: 'plus sign +1', line: BASE.replace('-1.5e3', '+1') },
  { name: 'exponent without digits', line: BASE.replace('-1.5e3', '1e') },
  { name: 'exponent sign without digits', line: BASE.replace('-1.5e3', '1e+') },
  { name: 'hex number', line: BASE.replace('-1.5e3', '0x10') },
  { name: 'raw tab in a string', line: BASE.replace('"u"', '"a\tb"') },
  { name: 'raw newline in a string', line: BASE.replace('"u"', '"a\nb"') },
  { name: 'raw 0x01 in a string', line: BASE.replace('"u"', '"a\u0001b"') },
  { name: 'raw 0x1f in a key', line: BASE.replace('"userId"', '"user\u001fId"') },
  { name: 'bad escape \\x', line: BASE.replace('"u"', '"\\x41"') },
  { name: 'bad unicode escape \\u12G4', line: BASE.replace('"u"', '"\\u12G4"') },
  { name: 'short unicode escape', line: BASE.replace('"u"', '"\\u12"') },
  { name: 'escape at the end of the line', line: '{"createdDateTime":"2026-05-01T09:00:00Z","userId":"\\' },
  { name: 'unterminated string', line: BASE.replace(/}$/, ',"x":"abc}') },
  { name: 'unbalanced closing brace', line: BASE.replace('"trustType":null}', '"trustType":null}}') },
  { name: 'unbalanced closing bracket', line: BASE.replace('[2]', '[2]]') },
  { name: 'mismatched brackets', line: BASE.replace('[2]', '[2}') },
  { name: 'unclosed nested object', line: BASE.replace('"trustType":null}', '"trustType":null') },
  { name: 'extra closing brace after the object', line: '{"createdDateTime":"2026-05-01T09:00:00Z","a":1}}' },
  { name: 'text after the object', line: '{"createdDateTime":"2026-05-01T09:00:00Z"} x' },
  { name: 'second object on the line', line: '{"createdDateTime":"2026-05-01T09:00:00Z"}{}' },
  { name: 'NaN', line: BASE.replace('-1.5e3', 'NaN') },
  { name: 'Infinity', line: BASE.replace('-1.5e3', 'Infinity') },
  { name: 'negative Infinity', line: BASE.replace('-1.5e3', '-Infinity') },
  { name: 'single-quoted string', line: BASE.replace('"u"', "'u'") },
  { name: 'single-quoted key', line: BASE.replace('"userId"', "'userId'") },
  { name: 'unquoted key', line: BASE.replace('"userId"', 'userId') },
  { name: 'line comment', line: `${BASE} // note` },
  { name: 'block comment', line: BASE.replace(',"userId"', '/* c */,"userId"') },
  { name: 'non-breaking space as whitespace', line: BASE.replace(',"userId"', ',\u00a0"userId"') },
  { name: 'form feed as whitespace', line: BASE.replace(',"userId"', ',\f"userId"') },
  { name: 'byte order mark', line: `\ufeff${BASE}` },
  { name: 'key without value', line: '{"createdDateTime":"2026-05-01T09:00:00Z","a":}' },
  { name: 'number as key', line: '{"createdDateTime":"2026-05-01T09:00:00Z",1:2}' },
];

describe('graph line reader on invalid lines', () => {
  for (const { name, line } of INVALID_CASES) {
    it(`rejects ${name}`, () => {
      assert.throws(() => JSON.parse(line), SyntaxError, 'the case must be invalid JSON');
      assert.equal(readLine(Buffer.from(line, 'utf8'), 0, Buffer.byteLength(line)), null);
    });
  }
});

describe('graph line reader on corpus sign-ins', () => {
  it('reads each beta docs example as the slow path does', { skip: corpusSkip }, () => {
    const page = JSON.parse(readFileSync(corpusPath('graph-docs', 'beta_signin-list_example1.json'), 'utf8')) as { value: unknown[] };
    assert.ok(page.value.length > 0);
    for (const signIn of page.value) {
      assert.ok(checkLine(lineOf(signIn)), 'compact line rejected');
      assert.ok(checkLine(Buffer.from(JSON.stringify(signIn, null, 2).replace(/\n/g, '\r'), 'utf8')), 'indented line rejected');
    }
  });

  it('reads the null-filled signIn model as the slow path does', { skip: corpusSkip }, () => {
    const page = JSON.parse(readFileSync(corpusPath('zerotrustassessment', 'SignIn-model.json'), 'utf8')) as { value: unknown[] };
    assert.ok(page.value.length > 0);
    for (const signIn of page.value) assert.ok(checkLine(lineOf(signIn)));
  });

  it('leaves diagnostic and Sentinel records to the slow path', { skip: corpusSkip }, () => {
    const panther = readFileSync(corpusPath('panther', 'azure_signin_rule_tests.extracted.ndjson'), 'utf8').split('\n').filter(Boolean);
    const msticpy = readFileSync(corpusPath('msticpy', 'aad_logons.SigninLogs.converted.ndjson'), 'utf8').split('\n').filter(Boolean);
    assert.ok(panther.length > 0);
    assert.ok(msticpy.length > 0);
    for (const line of panther) {
      assert.equal(checkLine(lineOf((JSON.parse(line) as { log: unknown }).log)), false);
      assert.equal(checkLine(Buffer.from(line, 'utf8')), false);
    }
    for (const line of msticpy) assert.equal(checkLine(Buffer.from(line, 'utf8')), false);
  });

  it('rejects the v1.0 docs example with its trailing comma', { skip: corpusSkip }, () => {
    const text = readFileSync(corpusPath('graph-docs', 'v1.0_signin-list_example1_INVALID-trailing-comma.json'), 'utf8');
    // The page's first sign-in object, cut out of the invalid page as text.
    const first = text.slice(text.indexOf('{', text.indexOf('"value"')), text.lastIndexOf('}', text.lastIndexOf(']')) + 1);
    assert.equal(readLine(Buffer.from(first, 'utf8'), 0, Buffer.byteLength(first)), null);
    assert.throws(() => JSON.parse(first), SyntaxError);
  });
});

describe('graph line reader on string bytes', () => {
  it('handles every byte at every word offset', () => {
    // The string scan reads four bytes at a time, so each byte value goes at each offset of a
    // word, near the string's end and near the line's end, with a second byte after it.
    for (let value = 0; value < 256; value++) {
      for (let offset = 0; offset < 9; offset++) {
        for (const after of [0x61, 0x22, 0x5c, 0x01, 0xff]) {
          const text = Buffer.alloc(10, 0x61);
          text[offset] = value;
          text[offset + 1] = after;
          const line = Buffer.concat([Buffer.from('{"createdDateTime":"2026-05-01T09:00:00Z","userAgent":"'), text, Buffer.from('"}')]);
          const accepted = checkLine(line);
          let valid = true;
          try {
            JSON.parse(line.toString('utf8'));
          } catch {
            valid = false;
          }
          assert.equal(accepted, valid, `byte 0x${value.toString(16)} at ${offset} before 0x${after.toString(16)}`);
          const atEnd = Buffer.concat([Buffer.from('{"createdDateTime":"2026-05-01T09:00:00Z","userAgent":"'), text.subarray(0, offset + 2), Buffer.from('"}')]);
          checkLine(atEnd);
        }
      }
    }
  });
});

describe('graph line reader on numbers and times', () => {
  it('decodes decimals as JSON.parse does', () => {
    const next = random(7);
    const texts = ['0', '-0', '0.0', '-0.0', '1', '9007199254740991', '9007199254740993', '900719925474099.3', '0.1', '0.30000000000000004', '123456789012345.6'];
    for (let n = 0; n < 20_000; n++) {
      const digits = String(Math.floor(next() * 10 ** Math.floor(next() * 17)));
      const point = Math.floor(next() * (digits.length + 1));
      const fraction = point < digits.length ? `${digits.slice(0, point) || '0'}.${digits.slice(point)}` : digits;
      texts.push(next() < 0.5 ? `-${fraction}` : fraction);
    }
    for (const number of texts) {
      const line = `{"createdDateTime":"2026-05-01T09:00:00Z","location":{"geoCoordinates":{"latitude":${number},"longitude":null}}}`;
      const event = readLine(Buffer.from(line, 'latin1'), 0, line.length);
      assert.ok(event !== null, `rejected latitude ${number}`);
      assert.ok(Object.is(event.location?.geoCoordinates?.latitude, JSON.parse(number)), `latitude ${number}`);
    }
  });

  it('gives the times isoTime gives', () => {
    const times: string[] = [];
    for (const year of ['1900', '2000', '2023', '2024', '2100']) {
      for (let month = 0; month <= 13; month++) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          for (const clock of ['00:00:00.000', '23:59:59.999', '24:00:00.000', '12:60:00.000', '12:00:60.000']) {
            times.push(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${clock}Z`);
          }
        }
      }
    }
    for (const time of times) {
      const line = `{"createdDateTime":"${time}"}`;
      let expected: string | null;
      try {
        expected = fromGraphSignIn({ createdDateTime: time }).createdDateTime;
      } catch {
        expected = null;
      }
      assert.equal(readLine(Buffer.from(line, 'latin1'), 0, line.length)?.createdDateTime ?? null, expected, time);
    }
  });
});

/** Bytes the byte mutations insert or write: structure, quotes, escapes, control bytes, digits, UTF-8. */
const MUTATION_BYTES = [...Buffer.from('{}[]:,"\\ \t\r\n0123456789-+.eEtfnu/x\'', 'latin1'), 0x00, 0x01, 0x1f, 0x7f, 0x80, 0xc3, 0xa9, 0xe2, 0xff];

/** JSON values that replace a value, to swap its type or make it unusual. */
const REPLACEMENT_VALUES = [
  'null', 'true', 'false', '0', '-0', '1', '-1', '1.5', '1e400', '-1e-400', '12345678901234567890', '6.45E4', '0.1',
  '""', '" "', '"x"', '"AS123"', '"50126"', '"Success"', '"failure"', '"-7"', '" 42 "', '"2026-05-01T09:00:00Z"', '"2026-02-30T00:00:00.000Z"',
  '"\\u0041\\n"', '"\\uD800"', '"é☃"', '"Mixed@CASE.example"', '[]', '[ ]', '["a"]', '[1,null]', '{}', '{"errorCode":5}',
  '{"countryOrRegion":"DE","geoCoordinates":{"latitude":"1","longitude":2}}', '{"toString":1}', '[[[[]]]]',
];

/** Returns a mutant of `line` made by one random edit, or two for the last kind. */
function mutate(line: Buffer, next: () => number): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const position = Math.floor(next() * (line.length + 1));
  const byte = pick(MUTATION_BYTES);
  const kind = Math.floor(next() * 7);
  if (kind === 0) return Buffer.concat([line.subarray(0, position), line.subarray(position + 1)]);

  if (kind === 1) return Buffer.concat([line.subarray(0, position), Buffer.from([byte]), line.subarray(position)]);
  if (kind === 2) {
    const copy = Buffer.from(line);
    if (position < copy.length) copy[position] = byte;
    return copy;
  }

  if (kind === 3) return line.subarray(0, position);

  if (kind === 4) {
    // Replace the value after a random key with another value, of any type.
    const text = line.toString('utf8');
    const keys = [...text.matchAll(/"([A-Za-z_0-9]+)":/g)];
    if (keys.length === 0) return line;
    const key = pick(keys);
    const start = key.index! + key[0].length;
    const end = valueEnd(text, start);
    if (end < 0) return line;
    return Buffer.from(text.slice(0, start) + pick(REPLACEMENT_VALUES) + text.slice(end), 'utf8');
  }

  if (kind === 5) {
    // Repeat a random member, escape one letter of a key, or rename a key.
    const text = line.toString('utf8');
    const keys = [...text.matchAll(/"([A-Za-z_0-9]+)":/g)];
    if (keys.length === 0) return line;
    const key = pick(keys);
    const choice = Math.floor(next() * 3);
    if (choice === 0) return Buffer.from(`${text.slice(0, -1)},${key[0]}${pick(REPLACEMENT_VALUES)}}`, 'utf8');
    if (choice === 1) {
      const name = key[1]!;
      const escaped = `"\\u00${name.charCodeAt(0).toString(16)}${name.slice(1)}":`;
      return Buffer.from(text.slice(0, key.index!) + escaped + text.slice(key.index! + key[0].length), 'utf8');
    }
    return Buffer.from(text.slice(0, key.index!) + pick(['"category":', '"properties":', '"riskEventTypes":', '"toString":', '"status":', '"errorCode":']) + text.slice(key.index! + key[0].length), 'utf8');
  }

  // Two edits at once.
  return mutate(mutate(line, next), next);
}

/** Finds the index just after the JSON value at `start` in `text`, or -1. A rough scan, for valid lines only. */
function valueEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i;
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === ',' && depth === 0) return i;
  }
  return -1;
}

describe('graph line reader on mutants', () => {
  it('matches slow path on 30,000 mutants', () => {
    const next = random(0x5eed);
    // Attack lines differ most from the background ones, so they are always among the seeds.
    const seeds = [...generatedLines.filter((line) => !line.includes('"authenticationProtocol":"none"') || !line.includes('"userAgent":"Mozilla')), ...generatedLines.slice(0, 200)];
    let accepted = 0;
    let rejected = 0;
    for (let m = 0; m < 30_000; m++) {
      const mutant = mutate(seeds[Math.floor(next() * seeds.length)]!, next);
      const surrounding = SURROUNDINGS[Math.floor(next() * SURROUNDINGS.length)]!;
      if (checkLine(mutant, surrounding)) accepted++;
      else rejected++;
    }
    // Both outcomes must occur, or the mutations test nothing.
    assert.ok(accepted > 1_000, `only ${accepted} mutants accepted`);
    assert.ok(rejected > 1_000, `only ${rejected} mutants rejected`);
  });
});

describe('graph line reader: lines split by the WebAssembly scan', () => {
  it('splits as a newline search does', { skip: usesWasm() ? false : 'the WebAssembly check is not in use' }, () => {
    // The scan's check finds where an accepted line ends; other lines are split by a search.
    const good = JSON.stringify(graphSignIn({ createdDateTime: '2026-05-01T09:00:00.000Z' }));
    const lines = [good, `${good}\r`, `${good} \t `, `${good} x`, '', '   ', '{"a":1}', '{"a":', good.slice(0, 50), `${good}\r\r`, `\r${good}`, `${good}}`];
    for (const last of [good, '{"a":1} ', good.slice(0, 30), '']) {
      for (const atEnd of [true, false]) {
        const text = `${lines.join('\n')}\n${last}`;
        const filled = Buffer.byteLength(text);
        const buffer = lineBuffer(filled + 64);
        buffer.write(text);
        const found: number[][] = [];
        let next = 0;
        for (let count = scanLines(buffer, 0, filled, atEnd); count > 0; count = scanLines(buffer, next, filled, atEnd)) {
          const records = lineRecords();
          for (let k = 0; k < count; k++) found.push([records[k * 6]!, records[k * 6 + 1]!, records[k * 6 + 2]!, records[k * 6 + 3]!]);
          next = found.at(-1)![3]! + 1;
        }
        const expected: number[][] = [];
        let start = 0;
        for (const line of [...lines, last]) {
          const end = start + line.length;
          if (end < filled || (atEnd && start < filled)) expected.push([start, line.endsWith('\r') ? end - 1 : end, end]);
          start = end + 1;
        }
        const name = `last line ${JSON.stringify(last.slice(0, 12))}, at end ${atEnd}`;
        assert.deepEqual(found.map((record) => record.slice(1)), expected, name);
        // A line is accepted exactly when the check of its content alone accepts it.
        for (const [bits, lineStart, contentEnd] of found) {
          assert.equal(bits !== 0, scanGraphSignInLine(buffer, lineStart!, contentEnd!) !== LINE_SLOW, `${name}: ${buffer.toString('utf8', lineStart, contentEnd).slice(0, 40)}`);
        }
      }
    }
  });
});
