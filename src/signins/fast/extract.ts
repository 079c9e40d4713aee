import { StringInterner } from './record.js';

/**
 * Reads the fields the detections use straight from the bytes of one Graph signIn JSON object,
 * without building the whole object: values of other keys (conditional access details,
 * authentication details, device and network details) are skipped by bracket matching. Most of a
 * beta sign-in's bytes sit in such values.
 *
 * Returns null when the object is not a Graph signIn (no top-level `createdDateTime`) or when the
 * scanner cannot follow it. The caller then falls back to JSON.parse and the full normaliser,
 * which also produces the error message for a malformed record.
 * NOTE: values of skipped keys are only bracket-matched, not validated, so a syntax error inside
 * one of them is not reported on this path.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** Top-level keys whose values are read; everything else is skipped. */
const WANTED = new Set([
  'id',
  'createdDateTime',
  'userId',
  'userPrincipalName',
  'userDisplayName',
  'appId',
  'appDisplayName',
  'resourceId',
  'ipAddress',
  'clientAppUsed',
  'userAgent',
  'isInteractive',
  'authenticationProtocol',
  'originalTransferMethod',
  'incomingTokenType',
  'sessionId',
  'uniqueTokenIdentifier',
  'correlationId',
  'autonomousSystemNumber',
  'authenticationRequirement',
  'conditionalAccessStatus',
  'status',
  'location',
  'riskLevelDuringSignIn',
  'riskLevelAggregated',
  'riskState',
  'riskDetail',
  'riskEventTypes_v2',
  'riskEventTypes',
]);

/** Read only when the sign-in failed Conditional Access, because only device-code-blocked uses it. */
const CA_POLICIES = 'appliedConditionalAccessPolicies';

/** Keys to look at, by length, so most keys are rejected without decoding them. */
const KEYS_BY_LENGTH: (string[] | undefined)[] = [];
for (const key of [...WANTED, CA_POLICIES]) (KEYS_BY_LENGTH[key.length] ??= []).push(key);

/** Returns the wanted key stored at buffer[start, end), or null for a key that is not read. */
function matchKey(buffer: Buffer, start: number, end: number): string | null {
  const candidates = KEYS_BY_LENGTH[end - start];
  if (candidates === undefined) return null;
  const last = end - start - 1;
  for (const key of candidates) {
    // First and last bytes reject most keys of the same length at once.
    if (buffer[start] !== key.charCodeAt(0) || buffer[end - 1] !== key.charCodeAt(last)) continue;
    let equal = true;
    for (let i = 1; i < last; i++) {
      if (buffer[start + i] !== key.charCodeAt(i)) {
        equal = false;
        break;
      }
    }
    if (equal) return key;
  }
  return null;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Index just past the closing quote of the string whose opening quote is at `start`. A plain loop:
 * Buffer#indexOf costs more per call than scanning the few bytes of a typical JSON string.
 */
function skipString(buffer: Buffer, start: number, end: number): number {
  for (let index = start + 1; index < end; index++) {
    const byte = buffer[index];
    if (byte === BACKSLASH) index++;
    else if (byte === QUOTE) return index + 1;
  }
  return -1;
}

/** Index just past the JSON value starting at `start`. */
function skipValue(buffer: Buffer, start: number, end: number): number {
  const first = buffer[start];
  if (first === QUOTE) return skipString(buffer, start, end);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    // One tight loop with strings skipped inline: most of a sign-in's bytes are in such values.
    let depth = 0;
    let index = start;
    while (index < end) {
      const byte = buffer[index++]!;
      if (byte === QUOTE) {
        while (index < end) {
          const inner = buffer[index++]!;
          if (inner === QUOTE) break;
          if (inner === BACKSLASH) index++;
        }
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (--depth === 0) return index;
      }
    }
    return -1;
  }
  let index = start;
  while (index < end) {
    const byte = buffer[index]!;
    if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isSpace(byte)) break;
    index++;
  }
  return index;
}

/** Values unique to each event; every other short ASCII value is interned. */
const UNIQUE = new Set(['id', 'createdDateTime', 'uniqueTokenIdentifier', 'correlationId']);
const MAX_INTERNED = 256;

/**
 * Strings and parsed nested values (status, location) recur across events: users, apps, clients,
 * countries. Sharing them saves decoding, JSON.parse calls and garbage collection. The parsed
 * values are shared, so callers must copy rather than change them (fromGraphSignIn copies).
 */
const strings = new StringInterner();
const parsed = new Map<string, unknown>();

/** Reads a string value; escapes are rare in these fields, so JSON.parse handles only those strings. */
function readString(buffer: Buffer, start: number, stop: number, intern: boolean): string {
  let ascii = true;
  for (let i = start + 1; i < stop - 1; i++) {
    const byte = buffer[i]!;
    if (byte === BACKSLASH) return JSON.parse(buffer.toString('utf8', start, stop)) as string;
    if (byte > 0x7f) ascii = false;
  }
  if (ascii && intern && stop - start - 2 <= MAX_INTERNED) return strings.get(buffer, start + 1, stop - 1);
  return buffer.toString(ascii ? 'latin1' : 'utf8', start + 1, stop - 1);
}

/** A number, true, false or null; small non-negative integers (error codes, ASNs) without a string. */
function readLiteral(buffer: Buffer, start: number, end: number): unknown {
  if (end - start <= 9) {
    let value = 0;
    let index = start;
    for (; index < end; index++) {
      const digit = buffer[index]! - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (index === end && end > start && !(buffer[start] === 0x30 && end - start > 1)) return value;
  }
  const literal = buffer.toString('latin1', start, end);
  return literal === 'true' ? true : literal === 'false' ? false : literal === 'null' ? null : Number(literal);
}

/** JSON.parse of a nested value, shared between events whose value has the same ASCII bytes. */
function readNested(buffer: Buffer, start: number, end: number): unknown {
  if (end - start > MAX_INTERNED) return JSON.parse(buffer.toString('utf8', start, end));
  for (let i = start; i < end; i++) if (buffer[i]! > 0x7f) return JSON.parse(buffer.toString('utf8', start, end));
  const text = strings.get(buffer, start, end);
  let value = parsed.get(text);
  if (value === undefined) {
    value = JSON.parse(text);
    if (parsed.size > 10_000) parsed.clear();
    parsed.set(text, value);
  }
  return value;
}

/**
 * Reads the wanted top-level values of the object in `buffer[start, end)`, as JSON.parse would
 * give them, or returns null (see the module comment).
 */
export function extractSignInFields(buffer: Buffer, start: number, end: number): Record<string, unknown> | null {
  let index = start;
  while (index < end && isSpace(buffer[index]!)) index++;
  if (buffer[index] !== OPEN_BRACE) return null;
  index++;
  // A prototype-less object goes straight to dictionary mode, which is cheaper than building a
  // hidden class per key order for about 25 keys.
  const result = Object.create(null) as Record<string, unknown>;
  let policies: [number, number] | null = null;

  for (;;) {
    while (index < end && (isSpace(buffer[index]!) || buffer[index] === COMMA)) index++;
    if (index >= end) return null;
    if (buffer[index] === CLOSE_BRACE) break;
    if (buffer[index] !== QUOTE) return null;
    const keyEnd = skipString(buffer, index, end);
    if (keyEnd === -1) return null;
    const key = matchKey(buffer, index + 1, keyEnd - 1);
    index = keyEnd;
    while (index < end && isSpace(buffer[index]!)) index++;
    if (buffer[index] !== COLON) return null;
    index++;
    while (index < end && isSpace(buffer[index]!)) index++;
    const valueEnd = skipValue(buffer, index, end);
    if (valueEnd === -1) return null;

    if (key !== null && key !== CA_POLICIES) {
      const first = buffer[index];
      if (first === QUOTE) result[key] = readString(buffer, index, valueEnd, !UNIQUE.has(key));
      else if (first === OPEN_BRACE || first === OPEN_BRACKET) result[key] = readNested(buffer, index, valueEnd);
      else result[key] = readLiteral(buffer, index, valueEnd);
    } else if (key === CA_POLICIES) {
      policies = [index, valueEnd];
    }
    index = valueEnd;
  }
  if (typeof result.createdDateTime !== 'string') return null;
  if (policies && result.conditionalAccessStatus === 'failure') {
    result[CA_POLICIES] = JSON.parse(buffer.toString('utf8', policies[0], policies[1]));
  }
  return result;
}
