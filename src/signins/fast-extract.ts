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

/** Keys to look at, by length then first byte, so most keys are rejected without decoding them. */
const KEYS_BY_LENGTH = new Map<number, string[]>();
for (const key of [...WANTED, CA_POLICIES]) {
  const list = KEYS_BY_LENGTH.get(key.length) ?? [];
  list.push(key);
  KEYS_BY_LENGTH.set(key.length, list);
}

/** Returns the wanted key stored at buffer[start, end), or null for a key that is not read. */
function matchKey(buffer: Buffer, start: number, end: number): string | null {
  const candidates = KEYS_BY_LENGTH.get(end - start);
  if (!candidates) return null;
  for (const key of candidates) {
    let equal = true;
    for (let i = 0; i < key.length; i++) {
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
    let depth = 0;
    let index = start;
    while (index < end) {
      const byte = buffer[index]!;
      if (byte === QUOTE) {
        index = skipString(buffer, index, end);
        if (index === -1) return -1;
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        depth--;
        if (depth === 0) return index + 1;
      }
      index++;
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

/** Reads a string value; escapes are rare in these fields, so JSON.parse handles only those strings. */
function readString(buffer: Buffer, start: number, stop: number): string {
  let ascii = true;
  for (let i = start + 1; i < stop - 1; i++) {
    const byte = buffer[i]!;
    if (byte === BACKSLASH) return JSON.parse(buffer.toString('utf8', start, stop)) as string;
    if (byte > 0x7f) ascii = false;
  }
  return buffer.toString(ascii ? 'latin1' : 'utf8', start + 1, stop - 1);
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
  const result: Record<string, unknown> = {};
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
      if (first === QUOTE) result[key] = readString(buffer, index, valueEnd);
      else if (first === OPEN_BRACE || first === OPEN_BRACKET) result[key] = JSON.parse(buffer.toString('utf8', index, valueEnd));
      else {
        const literal = buffer.toString('latin1', index, valueEnd);
        result[key] = literal === 'true' ? true : literal === 'false' ? false : literal === 'null' ? null : Number(literal);
      }
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
