import type { SignInEvent } from '../event.js';
import { asn, isoTime, num, resultCode, text } from '../normalise.js';

/**
 * A validating reader for one NDJSON line holding a Graph signIn. It checks the whole line against
 * the JSON grammar in one pass over the bytes and builds only the fields that `ScanFields` projects.
 * It returns null for every line it cannot vouch for, and the caller then uses `JSON.parse` and
 * `normaliseRecord`, which stay the authority for every error message.
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

/** Top-level string fields that `fromGraphSignIn` copies through `text()`, with their ids. */
const STRING_FIELDS: readonly [number, keyof SignInEvent][] = [
  [USER_ID, 'userId'],
  [USER_PRINCIPAL_NAME, 'userPrincipalName'],
  [IP_ADDRESS, 'ipAddress'],
  [AUTHENTICATION_PROTOCOL, 'authenticationProtocol'],
  [ORIGINAL_TRANSFER_METHOD, 'originalTransferMethod'],
  [SESSION_ID, 'sessionId'],
  [UNIQUE_TOKEN_IDENTIFIER, 'uniqueTokenIdentifier'],
  [INCOMING_TOKEN_TYPE, 'incomingTokenType'],
  [USER_AGENT, 'userAgent'],
  [CLIENT_APP_USED, 'clientAppUsed'],
  [RISK_LEVEL_DURING_SIGN_IN, 'riskLevelDuringSignIn'],
  [RISK_STATE, 'riskState'],
];

// Contexts: which object the parser is in, so that a key is compared only where it matters.
const OTHER = 0;
const TOP = 1;
const IN_STATUS = 2;
const IN_LOCATION = 3;
const IN_GEO_COORDINATES = 4;

/**
 * `String()` throws on an object with an own `toString` key that is not a function, and the
 * normaliser calls `String()` on the items of several arrays (`signInEventTypes`, risk event types,
 * grant controls). A line with such a key anywhere goes to the slow path, which reports it.
 */
const EVERYWHERE: readonly [string, number][] = [['toString', BAIL]];

const KEYS_BY_CONTEXT: readonly (readonly [string, number][])[] = [
  EVERYWHERE,
  [
    ...EVERYWHERE,
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
  [...EVERYWHERE, ['errorCode', ERROR_CODE]],
  [...EVERYWHERE, ['countryOrRegion', COUNTRY_OR_REGION], ['geoCoordinates', GEO_COORDINATES]],
  [...EVERYWHERE, ['latitude', LATITUDE], ['longitude', LONGITUDE]],
];

interface KeyCandidate {
  bytes: Uint8Array;
  id: number;
}

/** For each context, the wanted keys indexed by their length in bytes. */
const KEY_TABLES: (KeyCandidate[] | undefined)[][] = KEYS_BY_CONTEXT.map((keys) => {
  const table: (KeyCandidate[] | undefined)[] = [];
  for (const [key, id] of keys) {
    const candidates = (table[key.length] ??= []);
    candidates.push({ bytes: Buffer.from(key, 'latin1'), id });
  }
  return table;
});

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
 * four levels, and the normaliser's `JSON.stringify` of a very deep value would overflow the stack.
 */
const MAX_DEPTH = 64;

// Per-call scratch state, reused so that a line allocates nothing before its values are decoded.
const valueStarts = new Int32Array(VALUE_COUNT);
const valueEnds = new Int32Array(VALUE_COUNT);
const openBytes = new Uint8Array(MAX_DEPTH);
const openContexts = new Uint8Array(MAX_DEPTH);
const openValueIds = new Int8Array(MAX_DEPTH);
/** Set by `scanString` when the string it scanned contains a backslash escape. */
let stringHasEscape = false;

/**
 * Reads the sign-in in bytes[start, end), one NDJSON line without its newline. Returns an event
 * whose `ScanFields` projection equals that of `JSON.parse` and `fromGraphSignIn`, or null when
 * the line is not valid JSON, is not a Graph signIn that `normaliseRecord` would read as one, or
 * holds something this reader leaves to the slow path (escapes in keys, duplicate keys it needs,
 * unusual values, nesting deeper than 64 levels).
 */
export function readGraphSignInLine(bytes: Buffer, start: number, end: number): SignInEvent | null {
  return checkLine(bytes, start, end) ? buildEvent(bytes) : null;
}

/**
 * Checks that bytes[start, end) is one JSON object and records in `valueStarts`/`valueEnds` the
 * spans of the values the event needs (-1 when absent). One pass with an explicit stack: the
 * parser is always either at a key (`atKey`) or at a value, and after each value it handles the
 * commas and closing brackets that follow.
 */
function checkLine(bytes: Buffer, start: number, end: number): boolean {
  valueStarts.fill(-1);
  const view = viewOf(bytes);
  let i = skipWhitespace(bytes, start, end);
  if (i >= end || bytes[i] !== OPEN_OBJECT) return false;
  let depth = 0;
  let context = TOP;
  let valueId = -1;
  let atKey = false;

  for (;;) {
    if (atKey) {
      if (i >= end || bytes[i] !== QUOTE) return false;
      const keyStart = i + 1;
      i = scanString(bytes, view, keyStart, end);
      if (i < 0) return false;
      // An escaped key may spell a wanted key, and comparing it would need decoding.
      if (stringHasEscape) return false;
      valueId = matchKey(bytes, keyStart, i - 1, context);
      if (valueId === BAIL) return false;
      if (valueId >= 0 && valueStarts[valueId]! >= 0) return false;
      i = skipWhitespace(bytes, i, end);
      if (i >= end || bytes[i] !== COLON) return false;
      i = skipWhitespace(bytes, i + 1, end);
    }

    // A value starts at i.
    if (i >= end) return false;
    const first = bytes[i]!;
    if (first === QUOTE) {
      const valueStart = i;
      i = scanString(bytes, view, i + 1, end);
      if (i < 0) return false;
      if (valueId >= 0) {
        valueStarts[valueId] = valueStart;
        valueEnds[valueId] = i;
      }
    } else if (first === OPEN_OBJECT || first === OPEN_ARRAY) {
      if (valueId >= 0) valueStarts[valueId] = i;
      const close = first === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
      i = skipWhitespace(bytes, i + 1, end);
      if (i >= end) return false;
      if (bytes[i] === close) {
        i++;
        if (valueId >= 0) valueEnds[valueId] = i;
      } else {
        if (depth === MAX_DEPTH) return false;
        context = first === OPEN_ARRAY ? OTHER : depth === 0 ? TOP : childContext(valueId);
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
      i = first === 0x74 || first === 0x66 || first === 0x6e ? scanLiteral(bytes, i, end) : scanNumber(bytes, i, end);
      if (i < 0) return false;
      if (valueId >= 0) {
        valueStarts[valueId] = valueStart;
        valueEnds[valueId] = i;
      }
    }

    // After a value: commas and closing brackets, until the next key or value.
    for (;;) {
      i = skipWhitespace(bytes, i, end);
      if (depth === 0) return i === end;
      if (i >= end) return false;
      const byte = bytes[i];
      const open = openBytes[depth - 1];
      if (byte === COMMA) {
        i = skipWhitespace(bytes, i + 1, end);
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

/** Returns the id of the key in bytes[start, end) in this context, -1 for a key the reader ignores, or BAIL. */
function matchKey(bytes: Buffer, start: number, end: number, context: number): number {
  const table = KEY_TABLES[context]!;
  const length = end - start;
  if (length >= table.length) return -1;
  const candidates = table[length];
  if (candidates === undefined) return -1;
  for (let c = 0; c < candidates.length; c++) {
    const candidate = candidates[c]!;
    const key = candidate.bytes;
    let k = 0;
    while (k < length && bytes[start + k] === key[k]) k++;
    if (k === length) return candidate.id;
  }
  return -1;
}

function skipWhitespace(bytes: Buffer, i: number, end: number): number {
  while (i < end) {
    const byte = bytes[i]!;
    if (byte > 0x20 || (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09)) break;
    i++;
  }
  return i;
}

/**
 * Scans a string from just after its opening quote. Returns the index after the closing quote, or
 * -1 when the string is invalid or runs past `end`. Sets `stringHasEscape`.
 */
function scanString(bytes: Buffer, view: DataView, i: number, end: number): number {
  stringHasEscape = false;
  for (;;) {
    // Four bytes at a time while none is a quote, a backslash or a control byte (below 0x20). Each
    // term is the exact "has a zero byte" or "has a byte below n" test on a 32-bit word.
    while (i + 4 <= end) {
      const word = view.getInt32(i, true);
      const quotes = word ^ 0x22222222;
      const backslashes = word ^ 0x5c5c5c5c;
      const special = ((quotes - 0x01010101) & ~quotes) | ((backslashes - 0x01010101) & ~backslashes) | ((word - 0x20202020) & ~word);
      if ((special & 0x80808080) !== 0) break;
      i += 4;
    }
    // Past the end of the buffer, bytes[i] is undefined and the loop stops; the checks below reject it.
    while (PLAIN_STRING_BYTE[bytes[i]!] === 1) i++;
    if (i >= end) return -1;
    const byte = bytes[i];
    if (byte === QUOTE) return i + 1;
    if (byte !== BACKSLASH) return -1;
    stringHasEscape = true;
    if (i + 1 >= end) return -1;
    const escaped = bytes[i + 1]!;
    if (SHORT_ESCAPE[escaped] === 1) {
      i += 2;
    } else if (escaped === 0x75) {
      if (i + 6 > end) return -1;
      if (HEX_DIGIT[bytes[i + 2]!]! & HEX_DIGIT[bytes[i + 3]!]! & HEX_DIGIT[bytes[i + 4]!]! & HEX_DIGIT[bytes[i + 5]!]!) i += 6;
      else return -1;
    } else {
      return -1;
    }
  }
}

let view: DataView = new DataView(new ArrayBuffer(0));
let viewBytes: Buffer | null = null;

/** Returns a DataView over the same bytes, kept while the caller passes the same buffer. */
function viewOf(bytes: Buffer): DataView {
  if (bytes !== viewBytes) {
    view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    viewBytes = bytes;
  }
  return view;
}

/** Scans `true`, `false` or `null` at i. Returns the index after it, or -1. */
function scanLiteral(bytes: Buffer, i: number, end: number): number {
  const first = bytes[i];
  if (first === 0x74) {
    return i + 4 <= end && bytes[i + 1] === 0x72 && bytes[i + 2] === 0x75 && bytes[i + 3] === 0x65 ? i + 4 : -1;
  }
  if (first === 0x66) {
    return i + 5 <= end && bytes[i + 1] === 0x61 && bytes[i + 2] === 0x6c && bytes[i + 3] === 0x73 && bytes[i + 4] === 0x65 ? i + 5 : -1;
  }
  return i + 4 <= end && bytes[i + 1] === 0x75 && bytes[i + 2] === 0x6c && bytes[i + 3] === 0x6c ? i + 4 : -1;
}

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
 * throw or where a value needs more than the common cases.
 */
function buildEvent(bytes: Buffer): SignInEvent | null {
  const createdDateTime = readTime(bytes);
  if (createdDateTime === null) return null;
  const event: SignInEvent = { id: '', createdDateTime };

  for (let f = 0; f < STRING_FIELDS.length; f++) {
    const [id, name] = STRING_FIELDS[f]!;
    if (valueStarts[id]! < 0) continue;
    const value = readScalar(bytes, id);
    if (value === UNREAD) return null;
    (event as unknown as Record<string, string | null>)[name] = text(value);
  }
  if (event.userPrincipalName) event.userPrincipalName = event.userPrincipalName.toLowerCase();

  if (valueStarts[ASN]! >= 0) {
    // asn() gives null for an object or array, so such a value needs no decoding.
    const value = readScalar(bytes, ASN);
    event.autonomousSystemNumber = value === UNREAD ? null : asn(value);
  }

  if (valueStarts[STATUS]! >= 0 && bytes[valueStarts[STATUS]!] === OPEN_OBJECT) {
    const errorCode = readErrorCode(bytes);
    if (errorCode === UNREAD) return null;
    event.status = { errorCode };
  }

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
    event.location = { countryOrRegion, geoCoordinates };
  }

  // Graph's beta property, with the older v1.0 one when the beta one is missing or null.
  let riskId = RISK_EVENT_TYPES_V2;
  if (valueStarts[riskId]! < 0 || bytes[valueStarts[riskId]!] === 0x6e) riskId = RISK_EVENT_TYPES;
  if (valueStarts[riskId]! >= 0 && bytes[valueStarts[riskId]!] === OPEN_ARRAY) {
    const start = valueStarts[riskId]!;
    const end = valueEnds[riskId]!;
    // The line has passed the check and has no `toString` key, so String() cannot throw here.
    event.riskEventTypes_v2 = end - start === 2 ? [] : (JSON.parse(bytes.toString('utf8', start, end)) as unknown[]).map(String);
  }
  return event;
}

/** Reads createdDateTime through `isoTime`, or returns null where the slow path must report it. */
function readTime(bytes: Buffer): string | null {
  const start = valueStarts[CREATED]!;
  // normaliseRecord reads a record without createdDateTime as another format.
  if (start < 0) return null;
  if (bytes[start] !== QUOTE) return null;
  const end = valueEnds[CREATED]!;
  if (end - start === 26 && isCanonicalTime(bytes, start + 1)) return bytes.toString('latin1', start + 1, end - 1);
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
  for (const [offset, byte] of TIME_PUNCTUATION) if (bytes[i + offset] !== byte) return false;
  for (const offset of TIME_DIGITS) {
    const byte = bytes[i + offset]!;
    if (byte < ZERO || byte > 0x39) return false;
  }
  const year = digits(bytes, i, 4);
  const month = digits(bytes, i + 5, 2);
  const day = digits(bytes, i + 8, 2);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month]! + (leap ? 1 : 0)) return false;
  return digits(bytes, i + 11, 2) <= 23 && digits(bytes, i + 14, 2) <= 59 && digits(bytes, i + 17, 2) <= 59;
}

const TIME_PUNCTUATION: readonly [number, number][] = [
  [4, MINUS],
  [7, MINUS],
  [10, 0x54],
  [13, COLON],
  [16, COLON],
  [19, DOT],
  [23, 0x5a],
];
const TIME_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];

function digits(bytes: Buffer, i: number, count: number): number {
  let value = 0;
  for (let k = 0; k < count; k++) value = value * 10 + bytes[i + k]! - ZERO;
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
  if (first === QUOTE) return readString(bytes, start, end);
  if (first === 0x6e) return null;
  if (first === 0x74) return true;
  if (first === 0x66) return false;
  if (first === OPEN_OBJECT || first === OPEN_ARRAY) return UNREAD;
  return readNumber(bytes, start, end);
}

/** Decodes the string whose quotes are at start and end - 1. */
function readString(bytes: Buffer, start: number, end: number): string {
  if (end - start === 2) return '';
  let ascii = true;
  for (let i = start + 1; i < end - 1; i++) {
    const byte = bytes[i]!;
    if (byte === BACKSLASH) return JSON.parse(bytes.toString('utf8', start, end)) as string;
    if (byte >= 0x80) ascii = false;
  }
  // Both quotes are ASCII, so decoding only the string's bytes gives the same characters as
  // decoding the whole line would, invalid UTF-8 sequences included.
  return bytes.toString(ascii ? 'latin1' : 'utf8', start + 1, end - 1);
}

/** Decodes a number the check has accepted, as JSON.parse would. */
function readNumber(bytes: Buffer, start: number, end: number): number {
  const negative = bytes[start] === MINUS;
  let i = negative ? start + 1 : start;
  // Up to 15 digits, an integer is exact in a double, so it can be summed digit by digit.
  if (end - i <= 15) {
    let value = 0;
    for (; i < end; i++) {
      const byte = bytes[i]!;
      if (byte < ZERO || byte > 0x39) break;
      value = value * 10 + byte - ZERO;
    }
    if (i === end) return negative ? -value : value;
  }
  return Number(bytes.toString('latin1', start, end));
}
