import type { SignInEvent } from '../event.js';
import { asn, isoTime, itemText, num, resultCode, text } from '../normalise.js';
import { WasmLineChecker } from './graph-line-wasm.js';

/**
 * A validating reader for one NDJSON line that contains a Graph signIn. It checks the whole line
 * against the JSON grammar (RFC 8259, as V8's JSON.parse applies it) in one pass over the bytes and
 * builds only the fields that `ScanFields` projects. It returns null for every line it cannot vouch
 * for, and the caller then uses `JSON.parse` and `normaliseRecord`, which stay the authority for
 * every error message.
 */

// Ids of the values the reader keeps. Top-level keys come first, then the nested ones.
const CREATED = 0;
const USER_ID = 1;
const USER_PRINCIPAL_NAME = 2;
const IP_ADDRESS = 3;
const ASN = 4;
const AUTHENTICATION_PROTOCOL = 5;
const ORIGINAL_TRANSFER_METHOD = 6;
const SESSION_ID = 7;
const UNIQUE_TOKEN_IDENTIFIER = 8;
const INCOMING_TOKEN_TYPE = 9;
const USER_AGENT = 10;
const CLIENT_APP_USED = 11;
const RISK_LEVEL_DURING_SIGN_IN = 12;
const RISK_STATE = 13;
const RISK_EVENT_TYPES_V2 = 14;
const RISK_EVENT_TYPES = 15;
const STATUS = 16;
const LOCATION = 17;
const ERROR_CODE = 18;
const COUNTRY_OR_REGION = 19;
const GEO_COORDINATES = 20;
const LATITUDE = 21;
const LONGITUDE = 22;
const VALUE_COUNT = 23;
/** A key that sends the whole line to the slow path. */
const BAIL = -2;

/** Top-level string fields that `fromGraphSignIn` copies through `text()`. */
const STRING_FIELD_IDS = [
  USER_ID,
  USER_PRINCIPAL_NAME,
  IP_ADDRESS,
  AUTHENTICATION_PROTOCOL,
  ORIGINAL_TRANSFER_METHOD,
  SESSION_ID,
  UNIQUE_TOKEN_IDENTIFIER,
  INCOMING_TOKEN_TYPE,
  USER_AGENT,
  CLIENT_APP_USED,
  RISK_LEVEL_DURING_SIGN_IN,
  RISK_STATE,
];

// Contexts: which object the parser is in, so that a key is compared only where it matters.
const OTHER = 0;
const TOP = 1;
const IN_STATUS = 2;
const IN_LOCATION = 3;
const IN_GEO_COORDINATES = 4;

/** The keys wanted in each context; no key is wanted in the objects the reader skips (OTHER). */
const KEYS_BY_CONTEXT: readonly (readonly [string, number][])[] = [
  [],
  [
    ['createdDateTime', CREATED],
    ['userId', USER_ID],
    ['userPrincipalName', USER_PRINCIPAL_NAME],
    ['ipAddress', IP_ADDRESS],
    ['autonomousSystemNumber', ASN],
    ['authenticationProtocol', AUTHENTICATION_PROTOCOL],
    ['originalTransferMethod', ORIGINAL_TRANSFER_METHOD],
    ['sessionId', SESSION_ID],
    ['uniqueTokenIdentifier', UNIQUE_TOKEN_IDENTIFIER],
    ['incomingTokenType', INCOMING_TOKEN_TYPE],
    ['userAgent', USER_AGENT],
    ['clientAppUsed', CLIENT_APP_USED],
    ['riskLevelDuringSignIn', RISK_LEVEL_DURING_SIGN_IN],
    ['riskState', RISK_STATE],
    ['riskEventTypes_v2', RISK_EVENT_TYPES_V2],
    ['riskEventTypes', RISK_EVENT_TYPES],
    ['status', STATUS],
    ['location', LOCATION],
    // Keys of Azure Monitor's diagnostic-settings envelope, which `normaliseRecord` unwraps first.
    ['properties', BAIL],
    ['category', BAIL],
  ],
  [['errorCode', ERROR_CODE]],
  [['countryOrRegion', COUNTRY_OR_REGION], ['geoCoordinates', GEO_COORDINATES]],
  [['latitude', LATITUDE], ['longitude', LONGITUDE]],
];

/** Slots of the key hash table: a power of two well above the number of keys. */
const KEY_SLOTS = 256;

/**
 * Hashes a key by its context, length and three of its bytes, so that most keys the reader
 * ignores land in an empty slot and are dismissed without comparing bytes.
 */
function keyHash(context: number, length: number, first: number, middle: number, last: number): number {
  return (context * 37 + length * 7 + first + middle * 3 + last * 5) & (KEY_SLOTS - 1);
}

/** Keys shorter than this are never wanted, and the comparison reads four bytes at a time. */
const MIN_KEY_LENGTH = 4;

// The wanted keys as a chained hash table in typed arrays. A slot contains a candidate's number.
// Each candidate has its context, length, id, next candidate and its bytes as little-endian
// 32-bit words (the last word ending at the key's last byte, overlapping the one before).
const keyCount = KEYS_BY_CONTEXT.reduce((count, keys) => count + keys.length, 0);
const keySlots = new Int16Array(KEY_SLOTS).fill(-1);
const keyContexts = new Int8Array(keyCount);
const keyLengths = new Int16Array(keyCount);
const keyIds = new Int8Array(keyCount);
const keyNext = new Int16Array(keyCount);
const keyWordStarts = new Int16Array(keyCount + 1);
const keyWords: number[] = [];
{
  let candidate = 0;
  KEYS_BY_CONTEXT.forEach((keys, context) => {
    for (const [key, id] of keys) {
      const bytes = Buffer.from(key, 'latin1');
      const slot = keyHash(context, bytes.length, bytes[0]!, bytes[bytes.length >> 1]!, bytes[bytes.length - 1]!);
      keyContexts[candidate] = context;
      keyLengths[candidate] = bytes.length;
      keyIds[candidate] = id;
      keyNext[candidate] = keySlots[slot]!;
      keySlots[slot] = candidate;
      keyWordStarts[candidate] = keyWords.length;
      for (let w = 0; w < Math.ceil(bytes.length / 4); w++) keyWords.push(bytes.readInt32LE(Math.min(w * 4, bytes.length - 4)));
      candidate++;
    }
  });
  keyWordStarts[candidate] = keyWords.length;
}
const keyWordValues = Int32Array.from(keyWords);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;

/** 1 for a byte that may stand in a string as itself: not a quote, backslash or control byte. */
const PLAIN_STRING_BYTE = new Uint8Array(256);
for (let byte = 0x20; byte < 256; byte++) PLAIN_STRING_BYTE[byte] = byte === QUOTE || byte === BACKSLASH ? 0 : 1;

/** 1 for the byte after a backslash in the escapes `\" \\ \/ \b \f \n \r \t`. */
const SHORT_ESCAPE = new Uint8Array(256);
for (const byte of Buffer.from('"\\/bfnrt', 'latin1')) SHORT_ESCAPE[byte] = 1;

const HEX_DIGIT = new Uint8Array(256);
for (const byte of Buffer.from('0123456789abcdefABCDEF', 'latin1')) HEX_DIGIT[byte] = 1;

/**
 * Maximum nesting depth the reader follows. Deeper lines go to the slow path. Graph signIns nest
 * three or four levels, and the normaliser's `JSON.stringify` of a value nested thousands of levels
 * deep throws a RangeError that the slow path must report.
 */
const MAX_DEPTH = 64;

// Per-call scratch state, reused so that a line allocates nothing before its values are decoded.
// The spans point at the WebAssembly check's results after a line it checked.
const jsValueStarts = new Int32Array(VALUE_COUNT);
const jsValueEnds = new Int32Array(VALUE_COUNT);
const jsValueFlags = new Int32Array(VALUE_COUNT);
let valueStarts: Int32Array = jsValueStarts;
let valueEnds: Int32Array = jsValueEnds;
let valueFlags: Int32Array = jsValueFlags;
const openBytes = new Uint8Array(MAX_DEPTH);
const openContexts = new Uint8Array(MAX_DEPTH);
const openValueIds = new Int8Array(MAX_DEPTH);
/** Bits of `valueFlags`: the string value has a backslash escape, or a byte of 0x80 or more. */
const HAS_ESCAPE = 1;
const NON_ASCII = 2;

/**
 * Reads the sign-in in bytes[start, end), one NDJSON line without its newline. Returns an event
 * whose `ScanFields` projection equals that of `JSON.parse` and `fromGraphSignIn`. The event
 * carries only the `ScanFields` and an empty `id`. Returns null when the line is not valid JSON or
 * not a Graph signIn that `normaliseRecord` would read as one. Also returns null for what this
 * reader leaves to the slow path: escaped keys, duplicate keys it needs, unusual values and
 * nesting deeper than 64 levels.
 */
export function readGraphSignInLine(bytes: Buffer, start: number, end: number): SignInEvent | null {
  return scanGraphSignInLine(bytes, start, end) === LINE_SLOW ? null : buildEvent(bytes);
}

/** `scanGraphSignInLine` found a line that only JSON.parse and the normaliser can read (or report). */
export const LINE_SLOW = -2;
/** `scanGraphSignInLine` accepted a line, and `lastLineEvent` builds its event. */
export const LINE_EVENT = -1;

/**
 * Checks the sign-in in bytes[start, end) as `readGraphSignInLine` does, without building its event.
 * Returns LINE_SLOW, LINE_EVENT, or, for a line in the WebAssembly check's buffer with a time in
 * Graph's form and a plain session id, the number of its signature (0 or more). Two lines with the
 * same signature number give the same `ScanFields` but for the time and the session id, whose values
 * `lastLineTime` and `lastLineSession` give. The numbers restart when `signatureEpoch` changes.
 */
export function scanGraphSignInLine(bytes: Buffer, start: number, end: number): number {
  // Spans are kept in Int32Arrays, so positions must stay below 2^31.
  if (end > MAX_POSITION || start < 0 || start > end || end > bytes.length) return LINE_SLOW;
  lineBytes = bytes;
  if (wasm !== null && bytes === wasm.buffer) {
    const result = wasmCheck(wasm, start, end, true);
    if (result === 0) return LINE_SLOW;
    if ((result & LINE_FAST) === 0) return LINE_EVENT;
    if ((result & LINE_SIGNATURES_RESET) !== 0) epoch++;
    lineHasSession = (result & LINE_HAS_SESSION) !== 0;
    return wasm.facts[3]!;
  }
  lineHigh = 0;
  valueStarts = jsValueStarts;
  valueEnds = jsValueEnds;
  valueFlags = jsValueFlags;
  return checkLine(bytes, start, end) ? LINE_EVENT : LINE_SLOW;
}

/**
 * Checks the lines of bytes[start, filled), the WebAssembly check's buffer, for the scan: `atEnd`
 * when no more bytes follow. Returns the number of lines recorded in `lineRecords` and `lineTimes`,
 * 0 when the check is not in use or no whole line is left.
 */
export function scanLines(bytes: Buffer, start: number, filled: number, atEnd: boolean): number {
  if (wasm === null || bytes !== wasm.buffer || filled > bytes.length || start >= filled) return 0;
  return wasm.scanLines(start, filled, atEnd);
}

/**
 * Returns six numbers per line of the last `scanLines`. They are the check's result bits (0 for a
 * line it did not accept), the line's start, content end and end (its newline). For a LINE_FAST line
 * they go on with its signature number and session hash.
 */
export function lineRecords(): Int32Array {
  return wasm!.records;
}

/** Returns the time in milliseconds of each LINE_FAST line of the last `scanLines`. */
export function lineTimes(): Float64Array {
  return wasm!.times;
}

/** Bits of the WebAssembly check's result besides acceptance (see `check` in wasm/graph-line.ts). */
export const LINE_NON_ASCII = 2;
export const LINE_SIGNATURES_RESET = 4;
export const LINE_FAST = 8;
export const LINE_HAS_SESSION = 16;

/**
 * Reads the event of a line as `readGraphSignInLine` does, but without adding to the signature
 * table, so that the numbers `scanLines` gave stay as they were.
 */
export function eventOfLine(bytes: Buffer, start: number, end: number): SignInEvent | null {
  if (wasm === null || bytes !== wasm.buffer) return readGraphSignInLine(bytes, start, end);
  if (end > MAX_POSITION || start < 0 || start > end || end > bytes.length) return null;
  return wasmCheck(wasm, start, end, false) === 0 ? null : buildEvent(bytes);
}

/** Runs the WebAssembly check on a line of its buffer and points the spans at its results. Returns its result bits. */
function wasmCheck(checker: WasmLineChecker, start: number, end: number, sign: boolean): number {
  const result = checker.check(start, end, sign);
  if (result !== 0) {
    lineHigh = (result & LINE_NON_ASCII) !== 0 ? 0x80 : 0;
    valueStarts = checker.starts;
    valueEnds = checker.ends;
    valueFlags = checker.flags;
  }
  return result;
}

/** Builds the event of the line `scanGraphSignInLine` accepted last, or returns null where the slow path must read it. */
export function lastLineEvent(): SignInEvent | null {
  return buildEvent(lineBytes);
}

/** Returns the milliseconds of the last line that got a signature number. */
export function lastLineTime(): number {
  return wasm!.time[0]!;
}

/** Returns the session hash of the last line that got a signature number, as `sessionHash` gives it for its event. */
export function lastLineSession(): number | null {
  return lineHasSession ? wasm!.facts[2]! >>> 0 : null;
}

/** Returns a number that changes whenever signature numbers restart, so that a cache kept by them must be emptied. */
export function signatureEpoch(): number {
  return epoch;
}

let lineBytes: Buffer = Buffer.alloc(0);
let lineHasSession = false;
let epoch = 0;


/**
 * The way each value enters a line's signature: with its bytes, or with its first byte only (its type:
 * absent, null, a string, an object). The time and the session id are left out, because the check
 * gives their values per line. The values of the other type-only fields are not in `ScanFields`,
 * which counts only whether they are present. Every value must have a mode, or two lines that differ
 * in it would share a number; the module checks that when it loads.
 */
const SIGNATURE_MODES = new Uint8Array(VALUE_COUNT);
{
  const WITH_BYTES = 1;
  const TYPE_ONLY = 2;
  for (const id of [USER_ID, USER_PRINCIPAL_NAME, IP_ADDRESS, ASN, AUTHENTICATION_PROTOCOL, ORIGINAL_TRANSFER_METHOD, USER_AGENT, CLIENT_APP_USED]) SIGNATURE_MODES[id] = WITH_BYTES;
  for (const id of [RISK_LEVEL_DURING_SIGN_IN, RISK_STATE, RISK_EVENT_TYPES_V2, RISK_EVENT_TYPES, ERROR_CODE, COUNTRY_OR_REGION, LATITUDE, LONGITUDE]) SIGNATURE_MODES[id] = WITH_BYTES;
  for (const id of [SESSION_ID, UNIQUE_TOKEN_IDENTIFIER, INCOMING_TOKEN_TYPE, STATUS, LOCATION, GEO_COORDINATES]) SIGNATURE_MODES[id] = TYPE_ONLY;
  for (let id = 0; id < VALUE_COUNT; id++) {
    if (id !== CREATED && SIGNATURE_MODES[id] === 0) throw new Error(`value ${id} of the byte reader has no signature mode`);
  }
}

/**
 * The WebAssembly version of `checkLine` (wasm/graph-line.ts), used for lines in its own buffer,
 * or null where it cannot run or TOKENGAP_WASM=off turns it off. Both checks accept the same lines
 * and record the same spans, and the tests run every case through both.
 */
let wasm: WasmLineChecker | null = null;
let wasmLoaded = false;

function loadWasm(): WasmLineChecker | null {
  if (process.env.TOKENGAP_WASM === 'off') return null;
  try {
    return new WasmLineChecker({
      slots: keySlots,
      contexts: keyContexts,
      lengths: keyLengths,
      ids: keyIds,
      next: keyNext,
      wordStarts: keyWordStarts,
      words: keyWordValues,
      childContexts: Uint8Array.from({ length: VALUE_COUNT }, (_, id) => childContext(id)),
      valueCount: VALUE_COUNT,
      signatureModes: SIGNATURE_MODES,
      timeId: CREATED,
      sessionId: SESSION_ID,
    });
  } catch {
    // A runtime without WebAssembly SIMD: the JavaScript check gives the same result, more slowly.
    return null;
  }
}

/**
 * Returns a buffer of at least `capacity` bytes for reading lines into. Lines read from it take the
 * WebAssembly check when it is available, and any other buffer takes the JavaScript one. The buffer
 * stays valid until the next call, which may move it and carries over `keep` bytes from its start.
 */
export function lineBuffer(capacity: number, keep: number = 0): Buffer {
  if (usesWasm() && wasm !== null) return wasm.resize(capacity, keep);
  const previous = plainBuffer;
  plainBuffer = Buffer.allocUnsafe(capacity);
  if (previous && keep > 0) previous.copy(plainBuffer, 0, 0, keep);
  return plainBuffer;
}

let plainBuffer: Buffer | null = null;

/**
 * Returns this thread's WebAssembly check, which the parallel review's scan also has write its event
 * records (`setPartitions`), or null where the check is not in use.
 */
export function wasmChecker(): WasmLineChecker | null {
  return usesWasm() ? wasm : null;
}

/** True when lines in `lineBuffer`'s buffer take the WebAssembly check. */
export function usesWasm(): boolean {
  // Loaded on first use: only threads that scan files need it.
  if (!wasmLoaded) {
    wasm = loadWasm();
    wasmLoaded = true;
  }
  return wasm !== null;
}

/** OR of the words of every string of the last line read; bit 7 of a byte marks a non-ASCII byte. */
let lineHigh = 0;

/**
 * True when the last line `readGraphSignInLine` accepted is pure ASCII, so it cannot hold a byte
 * sequence that is not UTF-8. Outside strings, a byte of 0x80 or more fails the JSON check.
 */
export function lastLineWasAscii(): boolean {
  return (lineHigh & 0x80808080) === 0;
}

const MAX_POSITION = 0x7fffffff;

/**
 * Checks that bytes[start, end) is one JSON object and records in `valueStarts`/`valueEnds` the
 * spans of the values the event needs (-1 when absent). One pass with an explicit stack: the
 * parser is always either at a key (`atKey`) or at a value, and after each value it handles the
 * commas and closing brackets that follow.
 */
function checkLine(bytes: Buffer, start: number, end: number): boolean {
  for (let id = 0; id < VALUE_COUNT; id++) valueStarts[id] = -1;
  const view = viewOf(bytes);
  let i = skipWhitespace(bytes, start, end);
  if (i >= end || bytes[i] !== OPEN_OBJECT) return false;
  let depth = 0;
  let context = TOP;
  let valueId = -1;
  let atKey = false;

  // Whitespace is rare in NDJSON, so each skip first tests one byte inline.
  for (;;) {
    // A key or a value starts at i.
    if (i >= end) return false;
    const first = bytes[i]!;
    if (first === QUOTE) {
      // The string is scanned here rather than in a function, because a call per string cost as
      // much as scanning a short string in the benchmark.
      const stringStart = i;
      let escaped = 0;
      let high = 0;
      let found = false;
      i++;
      for (;;) {
        // Four bytes at a time while none is a quote, a backslash or a control byte (below 0x20).
        // XOR with 0x02 maps the quote to 0x20 and keeps control bytes below 0x20, so one "has a
        // byte below 0x21" test finds both, and a "has a zero byte" test finds backslashes. Both
        // are exact, and the lowest flagged byte is always a true match (only bytes above a match
        // can be flagged falsely), so its position comes from the lowest set bit.
        while (i + 4 <= end) {
          const word = view.getInt32(i, true);
          const quotesAndControls = word ^ 0x02020202;
          const backslashes = word ^ 0x5c5c5c5c;
          const special = (((quotesAndControls - 0x21212121) & ~quotesAndControls) | ((backslashes - 0x01010101) & ~backslashes)) & 0x80808080;
          if (special !== 0) {
            const lowest = special & -special;
            // The plain bytes before the match: all bits below its byte.
            high |= word & ((lowest >>> 7) - 1);
            i += (31 - Math.clz32(lowest)) >>> 3;
            found = true;
            break;
          }
          high |= word;
          i += 4;
        }
        if (!found) {
          // Within four bytes of the end, byte by byte. Past the end of the buffer, bytes[i] is
          // undefined and the loop stops. The checks below reject it.
          for (;;) {
            const byte = bytes[i]!;
            if (PLAIN_STRING_BYTE[byte] !== 1) break;
            high |= byte;
            i++;
          }
          if (i >= end) return false;
        }
        found = false;
        const byte = bytes[i];
        if (byte === QUOTE) break;
        if (byte !== BACKSLASH) return false;
        escaped = HAS_ESCAPE;
        i = skipEscape(bytes, i, end);
        if (i < 0) return false;
      }
      i++;
      lineHigh |= high;

      if (atKey) {
        // An escaped key may spell a wanted key, and comparing it would need decoding.
        if (escaped !== 0) return false;
        const keyStart = stringStart + 1;
        const keyEnd = i - 1;
        const length = keyEnd - keyStart;
        valueId = -1;
        // Keys of the objects the reader skips (device details, policies, steps) need no lookup.
        if (length >= MIN_KEY_LENGTH && context !== OTHER) {
          // The candidates in the key's hash slot, compared whole words from the start, then the
          // last word, which may overlap the one before. Most keys find an empty slot.
          let candidate = keySlots[keyHash(context, length, bytes[keyStart]!, bytes[keyStart + (length >> 1)]!, bytes[keyEnd - 1]!)]!;
          for (; candidate >= 0; candidate = keyNext[candidate]!) {
            if (keyLengths[candidate] !== length || keyContexts[candidate] !== context) continue;
            const last = keyWordStarts[candidate + 1]! - 1;
            let w = keyWordStarts[candidate]!;
            let position = keyStart;
            while (w < last && view.getInt32(position, true) === keyWordValues[w]) {
              w++;
              position += 4;
            }
            if (w === last && view.getInt32(keyEnd - 4, true) === keyWordValues[w]) {
              valueId = keyIds[candidate]!;
              break;
            }
          }
        }
        if (valueId === BAIL) return false;
        if (valueId >= 0 && valueStarts[valueId]! >= 0) return false;
        if (i < end && bytes[i]! <= 0x20) i = skipWhitespace(bytes, i, end);
        if (i >= end || bytes[i] !== COLON) return false;
        i++;
        if (i < end && bytes[i]! <= 0x20) i = skipWhitespace(bytes, i, end);
        atKey = false;
        continue;
      }
      if (valueId >= 0) {
        valueStarts[valueId] = stringStart;
        valueEnds[valueId] = i;
        // The OR of all the string's bytes has bit 7 set in one of its four bytes for non-ASCII text.
        valueFlags[valueId] = escaped | ((high & 0x80808080) !== 0 ? NON_ASCII : 0);
      }
    } else if (atKey) {
      return false;
    } else if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
      if (valueId >= 0) valueStarts[valueId] = i;
      const close = first === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
      i++;
      if (i < end && bytes[i]! <= 0x20) i = skipWhitespace(bytes, i, end);
      if (i >= end) return false;
      if (bytes[i] === close) {
        i++;
        if (valueId >= 0) valueEnds[valueId] = i;
      } else {
        if (depth === MAX_DEPTH) return false;
        if (first === OPEN_ARRAY) context = OTHER;
        else if (depth === 0) context = TOP;
        else context = childContext(valueId);
        openBytes[depth] = first;
        openContexts[depth] = context;
        openValueIds[depth] = valueId;
        depth++;
        atKey = first === OPEN_OBJECT;
        valueId = -1;
        continue;
      }
    } else {
      const valueStart = i;
      // The literals compared as one 32-bit word, numbers in a function.
      const word = i + 4 <= end ? view.getInt32(i, true) : 0;
      if (word === TRUE_WORD || word === NULL_WORD) i += 4;
      else if (word === FALS_WORD && i + 5 <= end && bytes[i + 4] === 0x65) i += 5;
      else if (first === MINUS || (first >= ZERO && first <= 0x39)) i = scanNumber(bytes, i, end);
      else return false;
      if (i < 0) return false;
      if (valueId >= 0) {
        valueStarts[valueId] = valueStart;
        valueEnds[valueId] = i;
      }
    }

    // After a value: commas and closing brackets, until the next key or value.
    for (;;) {
      if (i < end && bytes[i]! <= 0x20) i = skipWhitespace(bytes, i, end);
      if (depth === 0) return i === end;
      if (i >= end) return false;
      const byte = bytes[i];
      const open = openBytes[depth - 1];
      if (byte === COMMA) {
        i++;
        if (i < end && bytes[i]! <= 0x20) i = skipWhitespace(bytes, i, end);
        atKey = open === OPEN_OBJECT;
        valueId = -1;
        break;
      }
      if ((byte === CLOSE_OBJECT && open === OPEN_OBJECT) || (byte === CLOSE_ARRAY && open === OPEN_ARRAY)) {
        i++;
        depth--;
        const closedId = openValueIds[depth]!;
        if (closedId >= 0) valueEnds[closedId] = i;
        if (depth > 0) context = openContexts[depth - 1]!;
        continue;
      }
      return false;
    }
  }
}

function childContext(valueId: number): number {
  if (valueId === STATUS) return IN_STATUS;
  if (valueId === LOCATION) return IN_LOCATION;
  if (valueId === GEO_COORDINATES) return IN_GEO_COORDINATES;
  return OTHER;
}

function skipWhitespace(bytes: Buffer, i: number, end: number): number {
  while (i < end) {
    const byte = bytes[i]!;
    // A newline ends an NDJSON line, so it never counts as whitespace within one.
    if (byte > 0x20 || (byte !== 0x20 && byte !== 0x0d && byte !== 0x09)) break;
    i++;
  }
  return i;
}

/** Checks the escape whose backslash is at i. Returns the index after it, or -1. */
function skipEscape(bytes: Buffer, i: number, end: number): number {
  if (i + 1 >= end) return -1;
  const escaped = bytes[i + 1]!;
  if (SHORT_ESCAPE[escaped] === 1) return i + 2;
  if (escaped !== 0x75 || i + 6 > end) return -1;
  return HEX_DIGIT[bytes[i + 2]!]! & HEX_DIGIT[bytes[i + 3]!]! & HEX_DIGIT[bytes[i + 4]!]! & HEX_DIGIT[bytes[i + 5]!]! ? i + 6 : -1;
}

let view: DataView = new DataView(new ArrayBuffer(0));
let viewBytes: Buffer | null = null;

/**
 * Returns a DataView over the same bytes, kept while the caller passes the same buffer. The view
 * keeps the last buffer alive until a call with another one.
 */
function viewOf(bytes: Buffer): DataView {
  if (bytes !== viewBytes) {
    view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    viewBytes = bytes;
  }
  return view;
}

const TRUE_WORD = Buffer.from('true', 'latin1').readInt32LE(0);
const NULL_WORD = Buffer.from('null', 'latin1').readInt32LE(0);
const FALS_WORD = Buffer.from('fals', 'latin1').readInt32LE(0);

function isDigit(bytes: Buffer, i: number, end: number): boolean {
  if (i >= end) return false;
  const byte = bytes[i]!;
  return byte >= ZERO && byte <= 0x39;
}

/** Scans a number, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, at i. Returns the index after it, or -1. */
function scanNumber(bytes: Buffer, i: number, end: number): number {
  if (bytes[i] === MINUS) i++;
  if (!isDigit(bytes, i, end)) return -1;
  if (bytes[i] === ZERO) i++;
  else while (isDigit(bytes, i, end)) i++;
  if (i < end && bytes[i] === DOT) {
    i++;
    if (!isDigit(bytes, i, end)) return -1;
    while (isDigit(bytes, i, end)) i++;
  }
  if (i < end && (bytes[i]! | 0x20) === 0x65) {
    i++;
    if (i < end && (bytes[i] === PLUS || bytes[i] === MINUS)) i++;
    if (!isDigit(bytes, i, end)) return -1;
    while (isDigit(bytes, i, end)) i++;
  }
  return i;
}

/** Marks a value the reader leaves to the slow path. */
const UNREAD = Symbol('unread');

/**
 * Builds the event from the spans `checkLine` recorded, through the normaliser's own helpers so
 * that each field gets the same value as `fromGraphSignIn` gives it. Returns null where that would
 * throw or where a value needs more than the common cases. A field whose key the line lacks is
 * undefined, as in the normaliser's event, but the key is present on this event.
 */
function buildEvent(bytes: Buffer): SignInEvent | null {
  const createdDateTime = readTime(bytes);
  if (createdDateTime === null) return null;
  // text() of an object or array is its JSON text, which is left to the slow path.
  for (let f = 0; f < STRING_FIELD_IDS.length; f++) {
    const start = valueStarts[STRING_FIELD_IDS[f]!]!;
    if (start >= 0 && (bytes[start] === OPEN_OBJECT || bytes[start] === OPEN_ARRAY)) return null;
  }

  let status: SignInEvent['status'];
  if (valueStarts[STATUS]! >= 0 && bytes[valueStarts[STATUS]!] === OPEN_OBJECT) {
    const errorCode = readErrorCode(bytes);
    if (errorCode === UNREAD) return null;
    status = { errorCode };
  }

  let location: SignInEvent['location'];
  if (valueStarts[LOCATION]! >= 0 && bytes[valueStarts[LOCATION]!] === OPEN_OBJECT) {
    let countryOrRegion: string | null = null;
    if (valueStarts[COUNTRY_OR_REGION]! >= 0) {
      const value = readScalar(bytes, COUNTRY_OR_REGION);
      if (value === UNREAD) return null;
      countryOrRegion = text(value);
    }
    let geoCoordinates: { latitude: number | null; longitude: number | null } | null = null;
    if (valueStarts[GEO_COORDINATES]! >= 0 && bytes[valueStarts[GEO_COORDINATES]!] === OPEN_OBJECT) {
      geoCoordinates = { latitude: readCoordinate(bytes, LATITUDE), longitude: readCoordinate(bytes, LONGITUDE) };
    }
    location = { countryOrRegion, geoCoordinates };
  }

  let autonomousSystemNumber: number | null | undefined;
  if (valueStarts[ASN]! >= 0) {
    // asn() gives null for an object or array, so such a value needs no decoding.
    const value = readScalar(bytes, ASN);
    autonomousSystemNumber = value === UNREAD ? null : asn(value);
  }

  // Graph's beta property, with the older v1.0 one when the beta one is missing or null.
  let riskEventTypes: string[] | undefined;
  let riskId = RISK_EVENT_TYPES_V2;
  if (valueStarts[riskId]! < 0 || bytes[valueStarts[riskId]!] === 0x6e) riskId = RISK_EVENT_TYPES;
  if (valueStarts[riskId]! >= 0 && bytes[valueStarts[riskId]!] === OPEN_ARRAY) {
    const start = valueStarts[riskId]!;
    const end = valueEnds[riskId]!;
    riskEventTypes = end - start === 2 ? [] : (JSON.parse(bytes.toString('utf8', start, end)) as unknown[]).map(itemText);
  }

  const userPrincipalName = readText(bytes, USER_PRINCIPAL_NAME);
  // One object literal, so that every event has the same shape.
  return {
    id: '',
    createdDateTime,
    userId: readText(bytes, USER_ID),
    userPrincipalName: userPrincipalName ? userPrincipalName.toLowerCase() : userPrincipalName,
    ipAddress: readText(bytes, IP_ADDRESS),
    autonomousSystemNumber,
    authenticationProtocol: readText(bytes, AUTHENTICATION_PROTOCOL),
    originalTransferMethod: readText(bytes, ORIGINAL_TRANSFER_METHOD),
    sessionId: readText(bytes, SESSION_ID),
    uniqueTokenIdentifier: readText(bytes, UNIQUE_TOKEN_IDENTIFIER),
    incomingTokenType: readText(bytes, INCOMING_TOKEN_TYPE),
    userAgent: readText(bytes, USER_AGENT),
    clientAppUsed: readText(bytes, CLIENT_APP_USED),
    riskLevelDuringSignIn: readText(bytes, RISK_LEVEL_DURING_SIGN_IN),
    riskState: readText(bytes, RISK_STATE),
    riskEventTypes_v2: riskEventTypes,
    status,
    location,
  };
}

/** `text()` of a scalar top-level value, or undefined when the line lacks the key. */
function readText(bytes: Buffer, id: number): string | null | undefined {
  const start = valueStarts[id]!;
  if (start < 0) return undefined;
  if (bytes[start] === QUOTE) return readString(bytes, id);
  const value = readScalar(bytes, id);
  return value === UNREAD ? null : text(value);
}

/** Reads createdDateTime through `isoTime`, or returns null where the slow path must report it. */
function readTime(bytes: Buffer): string | null {
  const start = valueStarts[CREATED]!;
  // normaliseRecord reads a record without createdDateTime as another format.
  if (start < 0) return null;
  if (bytes[start] !== QUOTE) return null;
  const end = valueEnds[CREATED]!;
  if (end - start === 26 && isCanonicalTime(bytes, start + 1)) return latin1(bytes, start + 1, end - 1);
  const value = readScalar(bytes, CREATED);
  if (value === UNREAD) return null;
  try {
    return isoTime(value, 'createdDateTime');
  } catch {
    return null;
  }
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Checks for a time that `isoTime` returns unchanged: `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form Graph
 * writes, with every part in range. Date.parse rolls an out-of-range day over into the next month
 * (2026-02-30 becomes 2026-03-02 in Node 20), so such a time takes the slow route through isoTime.
 */
function isCanonicalTime(bytes: Buffer, i: number): boolean {
  if (bytes[i + 4] !== MINUS || bytes[i + 7] !== MINUS || bytes[i + 10] !== 0x54 || bytes[i + 13] !== COLON) return false;
  if (bytes[i + 16] !== COLON || bytes[i + 19] !== DOT || bytes[i + 23] !== 0x5a) return false;
  const year = digits(bytes, i, 4);
  const month = digits(bytes, i + 5, 2);
  const day = digits(bytes, i + 8, 2);
  const hour = digits(bytes, i + 11, 2);
  const minute = digits(bytes, i + 14, 2);
  const second = digits(bytes, i + 17, 2);
  const millisecond = digits(bytes, i + 20, 3);
  // digits() returns -1 for a non-digit, which every check below rejects.
  if (year < 0 || millisecond < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= DAYS_IN_MONTH[month]! + (leap ? 1 : 0);
}

/** Parses the decimal digits in bytes[i, i + count). Returns -1 when one of them is not a digit. */
function digits(bytes: Buffer, i: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) {
    const digit = bytes[i + k]! - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** `status.errorCode` as `fromGraphSignIn` gives it, or UNREAD where resultCode would throw. */
function readErrorCode(bytes: Buffer): number | null | typeof UNREAD {
  if (valueStarts[ERROR_CODE]! < 0) return null;
  const value = readScalar(bytes, ERROR_CODE);
  if (value === UNREAD) return UNREAD;
  if (value === null) return null;
  try {
    return resultCode(value);
  } catch {
    return UNREAD;
  }
}

function readCoordinate(bytes: Buffer, id: number): number | null {
  if (valueStarts[id]! < 0) return null;
  const value = readScalar(bytes, id);
  // num() gives null for an object or array.
  return value === UNREAD ? null : num(value);
}

/** Decodes a string, number or literal value; UNREAD for an object or array. */
function readScalar(bytes: Buffer, id: number): string | number | boolean | null | typeof UNREAD {
  const start = valueStarts[id]!;
  const end = valueEnds[id]!;
  const first = bytes[start];
  if (first === QUOTE) return readString(bytes, id);
  if (first === 0x6e) return null;
  if (first === 0x74) return true;
  if (first === 0x66) return false;
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) return UNREAD;
  return readNumber(bytes, start, end);
}

/** Decodes the string value `id`, whose quotes are at its start and end - 1. */
function readString(bytes: Buffer, id: number): string {
  const start = valueStarts[id]!;
  const end = valueEnds[id]!;
  if (end - start === 2) return '';
  const flags = valueFlags[id]!;
  if ((flags & HAS_ESCAPE) !== 0) return JSON.parse(bytes.toString('utf8', start, end)) as string;
  // Both quotes are ASCII, so decoding only the string's bytes gives the same characters as
  // decoding the whole line would, invalid UTF-8 sequences included.
  if ((flags & NON_ASCII) !== 0) return bytes.toString('utf8', start + 1, end - 1);
  return CACHED_VALUE[id] === 1 ? cachedLatin1(bytes, start + 1, end - 1) : latin1(bytes, start + 1, end - 1);
}

/**
 * 1 for the values that go through the cache: Graph's enumerations and country codes, a handful of
 * short values that recur on every line. Users and addresses missed the cache too often to gain on
 * the benchmark file, and unique or long values (ids, times, user agents) never gain.
 */
const CACHED_VALUE = new Uint8Array(VALUE_COUNT);
for (const id of [AUTHENTICATION_PROTOCOL, ORIGINAL_TRANSFER_METHOD, INCOMING_TOKEN_TYPE, CLIENT_APP_USED, RISK_LEVEL_DURING_SIGN_IN, RISK_STATE, COUNTRY_OR_REGION]) {
  CACHED_VALUE[id] = 1;
}

/** The cache of recent ASCII values: a direct-mapped table, where a value evicts the one in its slot. */
const CACHE_BITS = 10;
const CACHE_SLOTS = 1 << CACHE_BITS;
const MAX_CACHED_LENGTH = 64;
const cachedStrings: string[] = new Array<string>(CACHE_SLOTS).fill('');

/**
 * Decodes ASCII bytes[start, end), returning the same string as the last time these bytes came
 * through this slot. A hit costs a comparison of a few bytes, below the cost of the native call,
 * and lets events share one copy of a repeated value.
 */
function cachedLatin1(bytes: Buffer, start: number, end: number): string {
  const length = end - start;
  if (length > MAX_CACHED_LENGTH) return latin1(bytes, start, end);
  const hash = Math.imul(length ^ (bytes[start]! << 8) ^ (bytes[end - 1]! << 16) ^ (bytes[start + (length >> 1)]! << 24) ^ bytes[end - 2]!, 0x9e3779b1);
  const slot = hash >>> (32 - CACHE_BITS);
  const cached = cachedStrings[slot]!;
  if (cached.length === length) {
    let k = 0;
    while (k < length && cached.charCodeAt(k) === bytes[start + k]) k++;
    if (k === length) return cached;
  }
  const value = latin1(bytes, start, end);
  cachedStrings[slot] = value;
  return value;
}

interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}

/**
 * Node's binding behind `toString('latin1')`, called directly to skip the encoding lookup and
 * argument checks. That saved about 35 ns of 100 ns a value (Node 20.20 on a loaded 2-core VM).
 * `latin1Slice` is not a documented API, so the reader falls back to `toString` without it.
 */
const sliceLatin1: ((bytes: Buffer, start: number, end: number) => string) =
  typeof (Buffer.prototype as unknown as Partial<Latin1Slicer>).latin1Slice === 'function'
    ? (bytes, start, end) => (bytes as unknown as Latin1Slicer).latin1Slice(start, end)
    : (bytes, start, end) => bytes.toString('latin1', start, end);

function latin1(bytes: Buffer, start: number, end: number): string {
  return sliceLatin1(bytes, start, end);
}

/** Decodes a number the check has accepted, as JSON.parse would. */
function readNumber(bytes: Buffer, start: number, end: number): number {
  const negative = bytes[start] === MINUS;
  let i = negative ? start + 1 : start;
  // When the digits form an integer of at most 2^53 - 1, a double represents it exactly. Dividing
  // it by an exact power of ten is then one correctly rounded operation, so the result is the
  // correctly rounded value of the text, as JSON.parse gives it (Clinger's fast path).
  if (end - i <= 16) {
    let mantissa = 0;
    let fractionDigits = -1;
    for (; i < end; i++) {
      const byte = bytes[i]!;
      if (byte === DOT) fractionDigits = 0;
      else if (byte >= ZERO && byte <= 0x39) {
        mantissa = mantissa * 10 + byte - ZERO;
        if (fractionDigits >= 0) fractionDigits++;
      } else break;
    }
    if (i === end && mantissa <= Number.MAX_SAFE_INTEGER) {
      const value = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits]! : mantissa;
      return negative ? -value : value;
    }
  }
  return Number(bytes.toString('latin1', start, end));
}

/** 10^0 to 10^16, each exact in a double. */
const POWERS_OF_TEN = Array.from({ length: 17 }, (_, k) => 10 ** k);
