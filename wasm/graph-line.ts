// AssemblyScript source of the JSON check behind the sign-in review's byte reader
// (src/signins/fast/graph-line.ts). `scripts/build-wasm.mjs` compiles it to WebAssembly with SIMD.
//
// It does what `checkLine` in graph-line.ts does, with the same result for every line: it checks one
// NDJSON line against the JSON grammar as V8's JSON.parse applies it, and records the spans of the
// values the caller asked for. The JavaScript side writes the key table and reads the spans. The gain
// is in strings, most of a sign-in's bytes: sixteen bytes are tested at once for a quote, a backslash
// or a control byte, where JavaScript tests four.
//
// Positions passed in and written out are relative to the input area (`inputStart()`), which is where
// the caller reads file chunks to, so that no line is copied.
//
// For an accepted line it also computes what the scan needs per line and cannot keep per user: the
// time in milliseconds and the hash of the session id. It gives the line a number for its signature:
// the bytes of every other value the scan reads. Lines with the same signature get the same number,
// so the caller works out the user, the network and the gate's result once per signature.

// Contexts: the object the parser is in. The JavaScript side numbers the nested contexts from 2.
const OTHER: i32 = 0;
const TOP: i32 = 1;

/** A key that sends the whole line to the slow path. */
const BAIL: i32 = -2;
const MAX_VALUES: i32 = 32;
const MAX_KEYS: i32 = 64;
const MAX_KEY_WORDS: i32 = 256;
const KEY_SLOTS: i32 = 256;
/** Deeper lines go to the slow path, which reports what JSON.stringify makes of them. */
const MAX_DEPTH: i32 = 64;
/** Keys shorter than this are never needed, and the comparison reads four bytes at a time. */
const MIN_KEY_LENGTH: i32 = 4;

const QUOTE: u32 = 0x22;
const BACKSLASH: u32 = 0x5c;
const COMMA: u32 = 0x2c;
const COLON: u32 = 0x3a;
const OPEN_OBJECT: u32 = 0x7b;
const CLOSE_OBJECT: u32 = 0x7d;
const OPEN_ARRAY: u32 = 0x5b;
const CLOSE_ARRAY: u32 = 0x5d;
const MINUS: u32 = 0x2d;
const PLUS: u32 = 0x2b;
const DOT: u32 = 0x2e;
const ZERO: u32 = 0x30;

/** `true`, `null` and `fals` as little-endian 32-bit words. */
const TRUE_WORD: u32 = 0x65757274;
const NULL_WORD: u32 = 0x6c6c756e;
const FALS_WORD: u32 = 0x736c6166;

/**
 * Bits of the result of `check`. ACCEPTED: the line is valid. NON_ASCII_LINE: one of its strings has
 * a byte of 0x80 or more. SIGNATURES_RESET: the signature table was emptied before this line's
 * signature was added. FAST: the line has a time, a session hash and a signature number.
 * HAS_SESSION: the line has a session id.
 */
const ACCEPTED: i32 = 1;
const NON_ASCII_LINE: i32 = 2;
const SIGNATURES_RESET: i32 = 4;
const FAST: i32 = 8;
const HAS_SESSION: i32 = 16;

/** Bits of a value's flags: the string has a backslash escape, or a byte of 0x80 or more. */
const HAS_ESCAPE: i32 = 1;
const NON_ASCII: i32 = 2;

// The key table, written by the caller: the same chained hash table as graph-line.ts builds.
const keySlots = memory.data(KEY_SLOTS * 2, 16);
const keyContexts = memory.data(MAX_KEYS, 16);
const keyLengths = memory.data(MAX_KEYS * 2, 16);
const keyIds = memory.data(MAX_KEYS, 16);
const keyNext = memory.data(MAX_KEYS * 2, 16);
const keyWordStarts = memory.data((MAX_KEYS + 1) * 2, 16);
const keyWords = memory.data(MAX_KEY_WORDS * 4, 16);
/** The context of an object that is the value of each needed key (OTHER for the rest). */
const childContexts = memory.data(MAX_VALUES, 16);
/** The way each value enters the signature: not at all, with its bytes, or with its first byte (its type). */
const signatureModes = memory.data(MAX_VALUES, 16);
const SIGNATURE_BYTES: u8 = 1;
/** The ids of the time and of the session id, which the signature leaves out. */
let timeId: i32 = 0;
let sessionId: i32 = 0;

// The result of the last check, read by the caller.
const valueStarts = memory.data(MAX_VALUES * 4, 16);
const valueEnds = memory.data(MAX_VALUES * 4, 16);
const valueFlags = memory.data(MAX_VALUES * 4, 16);
/** For a FAST line: the time in milliseconds (f64), the session hash and the signature number (i32). */
const lineFacts = memory.data(16, 16);
/** A line's signature, built here before it is looked up. */
const MAX_SIGNATURE: i32 = 4096;
const signature = memory.data(MAX_SIGNATURE + 64, 16);

// The stack of open objects and arrays.
const openBytes = memory.data(MAX_DEPTH, 16);
const openContexts = memory.data(MAX_DEPTH, 16);
const openValueIds = memory.data(MAX_DEPTH, 16);
/** The key count of each open object, resumed when the object nested in it closes. */
const openPlaces = memory.data(MAX_DEPTH * 4, 16);

let valueCount: i32 = 0;
/** Non-zero once a string of the line being checked has a byte of 0x80 or more. */
let lineHigh: i32 = 0;

export function keySlotsPointer(): usize { return keySlots; }
export function keyContextsPointer(): usize { return keyContexts; }
export function keyLengthsPointer(): usize { return keyLengths; }
export function keyIdsPointer(): usize { return keyIds; }
export function keyNextPointer(): usize { return keyNext; }
export function keyWordStartsPointer(): usize { return keyWordStarts; }
export function keyWordsPointer(): usize { return keyWords; }
export function childContextsPointer(): usize { return childContexts; }
export function signatureModesPointer(): usize { return signatureModes; }
export function lineFactsPointer(): usize { return lineFacts; }
export function valueStartsPointer(): usize { return valueStarts; }
export function valueEndsPointer(): usize { return valueEnds; }
export function valueFlagsPointer(): usize { return valueFlags; }
export function limits(): i32 { return MAX_VALUES | (MAX_KEYS << 8) | (MAX_KEY_WORDS << 16); }

// The signature table: hash slots, then the bytes of the signatures. It lies after the static data
// and before the input area. A slot contains the hash, the number plus one, and the offset and length
// of the signature's bytes. So a lookup reads one slot and the bytes it compares, because each read
// is a likely cache miss: the lines of different users alternate.
const SIGNATURE_SLOTS: i32 = 1 << 16;
const SLOT_BYTES: i32 = 16;
/** Signatures before the table is emptied: at most half the slots, so that probe chains stay short. */
const MAX_SIGNATURES: i32 = 1 << 15;
const SIGNATURE_AREA_BYTES: i32 = 8 << 20;

@inline function signatureSlots(): usize {
  return (__heap_base + 63) & ~(<usize>63);
}

@inline function signatureArea(): usize {
  return signatureSlots() + <usize>SIGNATURE_SLOTS * SLOT_BYTES;
}

let signatureCount: i32 = 0;
let signatureUsed: i32 = 0;

// After the signature table come the fact table, the partitions' buffers of event records, and the
// input. The fact table has one entry per signature number: i32 fact id plus one (0 until the caller
// sets it), i32 partition (-1 for sign-ins the review leaves out), i32 events, i32 unused, f64 first
// time and f64 last time.
const FACT_BYTES: i32 = 32;

@inline function factTable(): usize {
  return (signatureArea() + <usize>SIGNATURE_AREA_BYTES + 63) & ~(<usize>63);
}

/**
 * Size of an event record. Its fields, little-endian: u32 fact id (bit 31 set when the sign-in has a
 * session id), u32 session hash, f64 time (ms), f64 byte offset of the line, u32 range, u32 line,
 * u32 record and u32 line length. src/signins/fast/compact.ts reads them.
 */
const EVENT_RECORD: i32 = 40;
let partitionCount: i32 = 0;
let partitionCapacity: i32 = 0;

/** The partitions' fill counts (i32 each), then their buffers of partitionCapacity bytes. */
@inline function partitionArea(): usize {
  return factTable() + <usize>MAX_SIGNATURES * FACT_BYTES;
}

@inline function partitionBuffers(): usize {
  return (partitionArea() + <usize>partitionCount * 4 + 63) & ~(<usize>63);
}

export function partitionAreaPointer(): usize { return partitionArea(); }
export function partitionBuffersPointer(): usize { return partitionBuffers(); }

/** Start of the input area: the first 64-byte boundary after the partitions' buffers. */
export function inputStart(): usize {
  return (partitionBuffers() + <usize>partitionCount * <usize>partitionCapacity + 63) & ~(<usize>63);
}

/**
 * Sets up the writing scan: `scanLines` then writes the event records of the lines whose signature
 * has a fact, and returns to the caller only the other lines. It moves the input area, so the caller
 * takes a new input buffer after it. Capacity is a multiple of EVENT_RECORD.
 */
export function setPartitions(count: i32, capacity: i32): void {
  partitionCount = count;
  partitionCapacity = capacity;
  writing = 1;
  memory.fill(partitionArea(), 0, <usize>count * 4);
  resetSignatures();
}

let writing: i32 = 0;
/** Flag of a full signature table in writing mode. The caller saves the sums, then calls `resetSignatures`. */
let tableFull: i32 = 0;

/** Empties the signature table and the facts of its numbers. */
export function resetSignatures(): void {
  memory.fill(signatureSlots(), 0, <usize>SIGNATURE_SLOTS * SLOT_BYTES);
  memory.fill(factTable(), 0, <usize>MAX_SIGNATURES * FACT_BYTES);
  signatureCount = 0;
  signatureUsed = 0;
  tableFull = 0;
}

export function signatureCountNow(): i32 { return signatureCount; }
export function factTablePointer(): usize { return factTable(); }

/**
 * Counters of the writing scan, shared with the caller. The i32 at index:
 * - 0: lines read in the range; 1: records; 2: sign-ins counted here;
 * - 3: the partition to flush; 4: the input position after the last line done here;
 * - 5: 1 once a line done here has a byte of 0x80 or more; 6: the range; 7: why `scanLines` stopped.
 * Then three f64 from byte 64: the file offset of the input's first byte, and the review's period in ms.
 */
const counters = memory.data(96, 16);
const STOP_FLUSH: i32 = 1;
const STOP_TABLE_FULL: i32 = 2;
export function countersPointer(): usize { return counters; }

/**
 * Appends an event record to a partition's buffer and, for sig >= 0, adds the event to the
 * signature's sums. Returns 0 when the buffer is full: the caller flushes it and calls again.
 */
export function emit(partition: i32, fact: i32, hasSession: i32, session: i32, time: f64, offset: f64, range: i32, line: i32, record: i32, length: i32, sig: i32): i32 {
  const used = partitionArea() + (<usize>partition << 2);
  const at = load<i32>(used);
  if (at + EVENT_RECORD > partitionCapacity) return 0;
  const p = partitionBuffers() + <usize>partition * <usize>partitionCapacity + <usize>at;
  store<u32>(p, <u32>fact | (hasSession != 0 ? 0x80000000 : 0));
  store<i32>(p, session, 4);
  store<f64>(p, time, 8);
  store<f64>(p, offset, 16);
  store<i32>(p, range, 24);
  store<i32>(p, line, 28);
  store<i32>(p, record, 32);
  store<i32>(p, length, 36);
  store<i32>(used, at + EVENT_RECORD);
  if (sig >= 0) {
    const entry = factTable() + <usize>sig * FACT_BYTES;
    const count = load<i32>(entry, 8);
    if (count == 0 || time < load<f64>(entry, 16)) store<f64>(entry, time, 16);
    if (count == 0 || time > load<f64>(entry, 24)) store<f64>(entry, time, 24);
    store<i32>(entry, count + 1, 8);
  }
  return 1;
}

/** Gives a signature number its fact and partition (-1: sign-ins the review leaves out). */
export function setFact(sig: i32, fact: i32, partition: i32): void {
  const entry = factTable() + <usize>sig * FACT_BYTES;
  store<i32>(entry, fact + 1);
  store<i32>(entry, partition, 4);
}

/** Sets how many value ids the key table uses, and the ids of the time and of the session id. */
export function setValues(count: i32, time: i32, session: i32): void {
  valueCount = count;
  timeId = time;
  sessionId = session;
}

/**
 * Hashes length bytes at p, sixteen at a time in two independent lanes, so that the multiplications
 * of one lane overlap those of the other. Reads up to seven bytes past them, which the caller keeps
 * readable.
 */
function hashBytes(p: usize, length: i32): i32 {
  let a: u64 = <u64>length * 0x9e3779b97f4a7c15;
  let b: u64 = 0xc2b2ae3d27d4eb4f;
  let i: i32 = 0;
  for (; i + 16 <= length; i += 16) {
    a = rotl<u64>((a ^ load<u64>(p + <usize>i)) * 0xff51afd7ed558ccd, 29);
    b = rotl<u64>((b ^ load<u64>(p + <usize>i, 8)) * 0xc4ceb9fe1a85ec53, 31);
  }
  if (i + 8 <= length) {
    a = rotl<u64>((a ^ load<u64>(p + <usize>i)) * 0xff51afd7ed558ccd, 29);
    i += 8;
  }
  if (i < length) {
    // The remaining bytes, with those past the value masked off.
    const tail = load<u64>(p + <usize>i) & ((<u64>1 << (<u64>(length - i) << 3)) - 1);
    b = rotl<u64>((b ^ tail) * 0xc4ceb9fe1a85ec53, 31);
  }
  let hash = (a ^ rotl<u64>(b, 17)) * 0x9e3779b97f4a7c15;
  hash ^= hash >> 32;
  return <i32>hash;
}

/** True when length bytes at a and at b are equal. */
function sameBytes(a: usize, b: usize, length: i32): bool {
  let i: i32 = 0;
  for (; i + 16 <= length; i += 16) if (!i8x16.all_true(i8x16.eq(v128.load(a + <usize>i), v128.load(b + <usize>i)))) return false;
  for (; i < length; i++) if (load<u8>(a + <usize>i) != load<u8>(b + <usize>i)) return false;
  return true;
}

/** Returns the number of the signature of length bytes at p, adding it to the table when new. */
function signatureNumber(p: usize, length: i32): i32 {
  const hash = hashBytes(p, length);
  let slot = hash & (SIGNATURE_SLOTS - 1);
  let at = signatureSlots() + <usize>slot * SLOT_BYTES;
  for (;;) {
    const stored = load<i32>(at, 4);
    if (stored == 0) break;
    if (load<i32>(at) == hash && load<i32>(at, 12) == length && sameBytes(signatureArea() + <usize>load<i32>(at, 8), p, length)) return stored - 1;
    slot = (slot + 1) & (SIGNATURE_SLOTS - 1);
    at = signatureSlots() + <usize>slot * SLOT_BYTES;
  }
  const index = signatureCount++;
  memory.copy(signatureArea() + <usize>signatureUsed, p, <usize>length);
  store<i32>(at, hash);
  store<i32>(at, index + 1, 4);
  store<i32>(at, signatureUsed, 8);
  store<i32>(at, length, 12);
  signatureUsed += length;
  return index;
}

const DAYS_IN_MONTH: StaticArray<i32> = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Reads count decimal digits at p. Returns -1 when one of them is not a digit. */
function digits(p: usize, count: i32): i32 {
  let value: i32 = 0;
  for (let k = 0; k < count; k++) {
    const digit = <u32>load<u8>(p + <usize>k) - ZERO;
    if (digit > 9) return -1;
    value = value * 10 + <i32>digit;
  }
  return value;
}

/**
 * Returns the milliseconds of a time `YYYY-MM-DDTHH:MM:SS.mmmZ` at p with every part in range, as
 * the byte reader's isCanonicalTime accepts it and Date.UTC counts it. Returns NaN for any other text
 * and for years below 100, which the caller reads itself.
 */
function canonicalTime(p: usize): f64 {
  if (<u32>load<u8>(p + 4) != MINUS || <u32>load<u8>(p + 7) != MINUS || <u32>load<u8>(p + 10) != 0x54 || <u32>load<u8>(p + 13) != COLON) return NaN;
  if (<u32>load<u8>(p + 16) != COLON || <u32>load<u8>(p + 19) != DOT || <u32>load<u8>(p + 23) != 0x5a) return NaN;
  const year = digits(p, 4);
  const month = digits(p + 5, 2);
  const day = digits(p + 8, 2);
  const hour = digits(p + 11, 2);
  const minute = digits(p + 14, 2);
  const second = digits(p + 17, 2);
  const millisecond = digits(p + 20, 3);
  if (year < 100 || millisecond < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  const leap = month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  if (day > unchecked(DAYS_IN_MONTH[month]) + (leap ? 1 : 0)) return NaN;
  // Days since 1970-01-01 in the proleptic Gregorian calendar, as Date.UTC counts them.
  const y = month <= 2 ? year - 1 : year;
  const era = y / 400;
  const yearOfEra = y - era * 400;
  const dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  const days = <i64>(era * 146097 + dayOfEra - 719468);
  return <f64>((((days * 24 + <i64>hour) * 60 + <i64>minute) * 60 + <i64>second) * 1000 + <i64>millisecond);
}

/**
 * Works out the time, the session hash and the signature number of an accepted line. Returns FAST
 * with HAS_SESSION and SIGNATURES_RESET as they apply, or 0 when the caller must read the line
 * itself: a time in another form, a session id that is not null or a plain ASCII string, or a
 * signature longer than MAX_SIGNATURE.
 */
function lineSignature(base: usize): i32 {
  const timeStart = load<i32>(valueStarts + (<usize>timeId << 2));
  if (timeStart < 0 || load<i32>(valueEnds + (<usize>timeId << 2)) - timeStart != 26 || <u32>load<u8>(base + <usize>timeStart) != QUOTE) return 0;
  const time = canonicalTime(base + <usize>timeStart + 1);
  if (isNaN(time)) return 0;

  // FNV-1a of the session id's bytes: for ASCII text, the hash the scan computes from its characters.
  let result = FAST;
  let hash: u32 = 0;
  const sessionStart = load<i32>(valueStarts + (<usize>sessionId << 2));
  if (sessionStart >= 0) {
    const first = <u32>load<u8>(base + <usize>sessionStart);
    if (first == QUOTE) {
      if (load<i32>(valueFlags + (<usize>sessionId << 2)) != 0) return 0;
      const sessionEnd = base + <usize>load<i32>(valueEnds + (<usize>sessionId << 2)) - 1;
      if (sessionEnd > base + <usize>sessionStart + 1) {
        hash = 0x811c9dc5;
        for (let p = base + <usize>sessionStart + 1; p < sessionEnd; p++) hash = (hash ^ <u32>load<u8>(p)) * 0x01000193;
        result |= HAS_SESSION;
      }
    } else if (first != 0x6e) {
      return 0;
    }
  }

  // Each value in order: its first byte (0 when absent), then for SIGNATURE_BYTES its length and bytes.
  let w = signature;
  const limit = signature + <usize>MAX_SIGNATURE;
  for (let id = 0; id < valueCount; id++) {
    const mode = load<u8>(signatureModes + <usize>id);
    if (mode == 0) continue;
    const start = load<i32>(valueStarts + (<usize>id << 2));
    if (start < 0) {
      store<u8>(w, 0);
      w++;
      continue;
    }
    store<u8>(w, load<u8>(base + <usize>start));
    w++;
    if (mode == SIGNATURE_BYTES) {
      const length = load<i32>(valueEnds + (<usize>id << 2)) - start;
      if (w + 4 + <usize>length > limit) return 0;
      store<i32>(w, length);
      // Sixteen bytes at a time: a call to memory.copy per value cost more than the copy. The last
      // store may write past the value, where the next one, or nothing that is compared, goes.
      for (let k: usize = 0; k < <usize>length; k += 16) v128.store(w + 4 + k, v128.load(base + <usize>start + k));
      w += 4 + <usize>length;
    }
  }
  const length = <i32>(w - signature);
  if (signatureCount == MAX_SIGNATURES || signatureUsed + length > SIGNATURE_AREA_BYTES) {
    // The writing scan keeps sums per number, which its caller saves before the table is emptied.
    if (writing != 0) {
      tableFull = 1;
      return 0;
    }
    resetSignatures();
    result |= SIGNATURES_RESET;
  }
  store<f64>(lineFacts, time);
  store<u32>(lineFacts + 8, hash);
  store<i32>(lineFacts + 12, signatureNumber(signature, length));
  return result;
}

@inline function keyHash(context: i32, length: i32, first: i32, middle: i32, last: i32): i32 {
  return (context * 37 + length * 7 + first + middle * 3 + last * 5) & (KEY_SLOTS - 1);
}

/** Returns true for JSON's whitespace except the newline, which ends an NDJSON line and so is never inside one. */
@inline function isSpace(byte: u32): bool {
  return byte == 0x20 || byte == 0x0d || byte == 0x09;
}

/**
 * Set by `scanLines` while it checks a line whose end it has not searched for. The check then runs to
 * the end of the input. It accepts the object only when a newline follows it (or the end of the input,
 * with lineAtEnd), and leaves that position in lineEndFound.
 */
let lineMode: i32 = 0;
let lineAtEnd: i32 = 0;
let lineEndFound: usize = 0;

function skipWhitespace(i: usize, end: usize): usize {
  while (i < end && isSpace(<u32>load<u8>(i))) i++;
  return i;
}

@inline function isHex(byte: u32): bool {
  return (byte - ZERO < 10) || ((byte | 0x20) - 0x61 < 6);
}

/** Checks the escape whose backslash is at i. Returns the address after it, or 0. */
function skipEscape(i: usize, end: usize): usize {
  if (i + 1 >= end) return 0;
  const escaped = <u32>load<u8>(i + 1);
  // \" \\ \/ \b \f \n \r \t
  if (escaped == QUOTE || escaped == BACKSLASH || escaped == 0x2f || escaped == 0x62 || escaped == 0x66 || escaped == 0x6e || escaped == 0x72 || escaped == 0x74) return i + 2;
  if (escaped != 0x75 || i + 6 > end) return 0;
  return isHex(<u32>load<u8>(i + 2)) && isHex(<u32>load<u8>(i + 3)) && isHex(<u32>load<u8>(i + 4)) && isHex(<u32>load<u8>(i + 5)) ? i + 6 : 0;
}

@inline function isDigitAt(i: usize, end: usize): bool {
  return i < end && <u32>load<u8>(i) - ZERO < 10;
}

/** Scans a number, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, at i. Returns the address after it, or 0. */
function scanNumber(i: usize, end: usize): usize {
  if (<u32>load<u8>(i) == MINUS) i++;
  if (!isDigitAt(i, end)) return 0;
  if (<u32>load<u8>(i) == ZERO) i++;
  else while (isDigitAt(i, end)) i++;
  if (i < end && <u32>load<u8>(i) == DOT) {
    i++;
    if (!isDigitAt(i, end)) return 0;
    while (isDigitAt(i, end)) i++;
  }
  if (i < end && (<u32>load<u8>(i) | 0x20) == 0x65) {
    i++;
    if (i < end && (<u32>load<u8>(i) == PLUS || <u32>load<u8>(i) == MINUS)) i++;
    if (!isDigitAt(i, end)) return 0;
    while (isDigitAt(i, end)) i++;
  }
  return i;
}

/** Looks up the key in [keyStart, keyEnd) in this context. Returns its id, or -1 when it is not needed. */
function lookUpKey(context: i32, keyStart: usize, keyEnd: usize): i32 {
  const length = <i32>(keyEnd - keyStart);
  let candidate = <i32>load<i16>(keySlots + (<usize>keyHash(context, length, load<u8>(keyStart), load<u8>(keyStart + (length >> 1)), load<u8>(keyEnd - 1)) << 1));
  for (; candidate >= 0; candidate = <i32>load<i16>(keyNext + (<usize>candidate << 1))) {
    if (<i32>load<i16>(keyLengths + (<usize>candidate << 1)) != length || <i32>load<i8>(keyContexts + <usize>candidate) != context) continue;
    // Whole words from the start, then the last word, which may overlap the one before.
    const last = <i32>load<i16>(keyWordStarts + (<usize>(candidate + 1) << 1)) - 1;
    let w = <i32>load<i16>(keyWordStarts + (<usize>candidate << 1));
    let position = keyStart;
    while (w < last && load<u32>(position) == load<u32>(keyWords + (<usize>w << 2))) {
      w++;
      position += 4;
    }
    if (w == last && load<u32>(keyEnd - 4) == load<u32>(keyWords + (<usize>w << 2))) return <i32>load<i8>(keyIds + <usize>candidate);
  }
  return -1;
}

// Keys remembered by their place in their object. The lines of one export repeat their keys in the
// same order, so a key is first compared with the key the last line had at that place. That costs
// one or two vector compares, where the hash table costs a hash and a chain. An entry contains up to
// PREDICTED_KEY_BYTES bytes of the key, its length and its id.
const PREDICTED_CONTEXTS: i32 = 8;
const PREDICTED_PLACES: i32 = 64;
const PREDICTED_KEY_BYTES: i32 = 48;
const PREDICTION_BYTES: i32 = 64;
const predictions = memory.data(PREDICTED_CONTEXTS * PREDICTED_PLACES * PREDICTION_BYTES, 16);

/** True when the key of length bytes at p equals the bytes of a prediction entry. */
@inline function samePrediction(entry: usize, p: usize, length: i32): bool {
  let k: i32 = 0;
  for (; k + 16 <= length; k += 16) if (!i8x16.all_true(i8x16.eq(v128.load(entry + <usize>k), v128.load(p + <usize>k)))) return false;
  if (k == length) return true;
  const mask = (1 << (length - k)) - 1;
  return (i8x16.bitmask(i8x16.eq(v128.load(entry + <usize>k), v128.load(p + <usize>k))) & mask) == mask;
}

/** Returns the id of the key in [keyStart, keyEnd), the place-th key of an object in this context. */
function keyAt(context: i32, place: i32, keyStart: usize, keyEnd: usize): i32 {
  const length = <i32>(keyEnd - keyStart);
  if (context >= PREDICTED_CONTEXTS || place >= PREDICTED_PLACES || length > PREDICTED_KEY_BYTES) return lookUpKey(context, keyStart, keyEnd);
  const entry = predictions + <usize>((context * PREDICTED_PLACES + place) * PREDICTION_BYTES);
  if (load<i32>(entry, PREDICTED_KEY_BYTES) == length && samePrediction(entry, keyStart, length)) return load<i32>(entry, PREDICTED_KEY_BYTES + 4);
  const id = lookUpKey(context, keyStart, keyEnd);
  // The vector copies may take bytes past the key, which the comparison masks off.
  for (let k: i32 = 0; k < length; k += 16) v128.store(entry + <usize>k, v128.load(keyStart + <usize>k));
  store<i32>(entry, length, PREDICTED_KEY_BYTES);
  store<i32>(entry, id, PREDICTED_KEY_BYTES + 4);
  return id;
}

/**
 * Checks that input[start, end) is one JSON object and records the spans of the needed values
 * (start -1 when absent), then, when sign is not 0, works out the line's facts (`lineSignature`). Returns ACCEPTED with
 * the other result bits when the line is accepted, 0 when the slow path must read it:
 * invalid JSON, an escaped or duplicate needed key, a BAIL key or nesting deeper than MAX_DEPTH.
 * The caller keeps at least 16 readable bytes after `end`, which vector loads may touch.
 */
export function check(start: i32, end: i32, sign: i32): i32 {
  const base = inputStart();
  for (let id = 0; id < valueCount; id++) store<i32>(valueStarts + (<usize>id << 2), -1);
  lineHigh = 0;
  const stop = base + <usize>end;
  let i = skipWhitespace(base + <usize>start, stop);
  if (i >= stop || <u32>load<u8>(i) != OPEN_OBJECT) return 0;
  let depth: i32 = 0;
  let context: i32 = TOP;
  let valueId: i32 = -1;
  let atKey = false;
  /** The number of keys before this one in the object the parser is in. */
  let place: i32 = 0;
  const quotes = i8x16.splat(<i8>QUOTE);
  const backslashes = i8x16.splat(<i8>BACKSLASH);
  const controls = i8x16.splat(0x20);

  for (;;) {
    // A key or a value starts at i.
    if (i >= stop) return 0;
    const first = <u32>load<u8>(i);
    if (first == QUOTE) {
      const stringStart = i;
      let escaped: i32 = 0;
      let high: i32 = 0;
      i++;
      for (;;) {
        const bytes = v128.load(i);
        const special = i8x16.bitmask(v128.or(v128.or(i8x16.eq(bytes, quotes), i8x16.eq(bytes, backslashes)), i8x16.lt_u(bytes, controls)));
        if (special == 0) {
          // Sixteen plain bytes. Bit 7 of a byte marks non-ASCII text.
          high |= i8x16.bitmask(bytes);
          i += 16;
          // The string has not ended before the line did.
          if (i >= stop) return 0;
          continue;
        }
        const offset = ctz(special);
        high |= i8x16.bitmask(bytes) & ((1 << offset) - 1);
        i += <usize>offset;
        if (i >= stop) return 0;
        const byte = <u32>load<u8>(i);
        if (byte == QUOTE) break;
        // A control byte may not stand in a string as itself.
        if (byte != BACKSLASH) return 0;
        escaped = HAS_ESCAPE;
        i = skipEscape(i, stop);
        if (i == 0) return 0;
      }
      i++;
      lineHigh |= high;

      if (atKey) {
        // An escaped key may spell a needed key, and comparing it would require decoding.
        if (escaped != 0) return 0;
        const keyStart = stringStart + 1;
        const keyEnd = i - 1;
        valueId = -1;
        // Keys of the objects the reader skips need no lookup.
        if (<i32>(keyEnd - keyStart) >= MIN_KEY_LENGTH && context != OTHER) valueId = keyAt(context, place, keyStart, keyEnd);
        place++;
        if (valueId == BAIL) return 0;
        // A duplicate needed key: JSON.parse keeps the last, which the slow path handles.
        if (valueId >= 0 && load<i32>(valueStarts + (<usize>valueId << 2)) >= 0) return 0;
        if (i < stop && <u32>load<u8>(i) <= 0x20) i = skipWhitespace(i, stop);
        if (i >= stop || <u32>load<u8>(i) != COLON) return 0;
        i++;
        if (i < stop && <u32>load<u8>(i) <= 0x20) i = skipWhitespace(i, stop);
        atKey = false;
        continue;
      }
      if (valueId >= 0) {
        store<i32>(valueStarts + (<usize>valueId << 2), <i32>(stringStart - base));
        store<i32>(valueEnds + (<usize>valueId << 2), <i32>(i - base));
        store<i32>(valueFlags + (<usize>valueId << 2), escaped | (high != 0 ? NON_ASCII : 0));
      }
    } else if (atKey) {
      return 0;
    } else if (first == OPEN_OBJECT || first == OPEN_ARRAY) {
      if (valueId >= 0) store<i32>(valueStarts + (<usize>valueId << 2), <i32>(i - base));
      const close = first == OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY;
      i++;
      if (i < stop && <u32>load<u8>(i) <= 0x20) i = skipWhitespace(i, stop);
      if (i >= stop) return 0;
      if (<u32>load<u8>(i) == close) {
        i++;
        if (valueId >= 0) store<i32>(valueEnds + (<usize>valueId << 2), <i32>(i - base));
      } else {
        if (depth == MAX_DEPTH) return 0;
        if (first == OPEN_ARRAY) context = OTHER;
        else if (depth == 0) context = TOP;
        else context = valueId >= 0 ? <i32>load<u8>(childContexts + <usize>valueId) : OTHER;
        store<u8>(openBytes + <usize>depth, <u8>first);
        store<u8>(openContexts + <usize>depth, <u8>context);
        store<i8>(openValueIds + <usize>depth, <i8>valueId);
        store<i32>(openPlaces + (<usize>depth << 2), place);
        place = 0;
        depth++;
        atKey = first == OPEN_OBJECT;
        valueId = -1;
        continue;
      }
    } else {
      const valueStart = i;
      // The literals compared as one 32-bit word.
      const word = i + 4 <= stop ? load<u32>(i) : 0;
      if (word == TRUE_WORD || word == NULL_WORD) i += 4;
      else if (word == FALS_WORD && i + 5 <= stop && <u32>load<u8>(i + 4) == 0x65) i += 5;
      else if (first == MINUS || first - ZERO < 10) i = scanNumber(i, stop);
      else return 0;
      if (i == 0) return 0;
      if (valueId >= 0) {
        store<i32>(valueStarts + (<usize>valueId << 2), <i32>(valueStart - base));
        store<i32>(valueEnds + (<usize>valueId << 2), <i32>(i - base));
      }
    }

    // After a value: commas and closing brackets, until the next key or value.
    for (;;) {
      if (i < stop && <u32>load<u8>(i) <= 0x20) i = skipWhitespace(i, stop);
      if (depth == 0) {
        if (lineMode != 0) {
          if (i < stop && <u32>load<u8>(i) == 0x0a) lineEndFound = i;
          else if (i == stop && lineAtEnd != 0) lineEndFound = i;
          else return 0;
        } else if (i != stop) return 0;
        return ACCEPTED | (lineHigh != 0 ? NON_ASCII_LINE : 0) | (sign != 0 ? lineSignature(base) : 0);
      }
      if (i >= stop) return 0;
      const byte = <u32>load<u8>(i);
      const open = <u32>load<u8>(openBytes + <usize>(depth - 1));
      if (byte == COMMA) {
        i++;
        if (i < stop && <u32>load<u8>(i) <= 0x20) i = skipWhitespace(i, stop);
        atKey = open == OPEN_OBJECT;
        valueId = -1;
        break;
      }
      if ((byte == CLOSE_OBJECT && open == OPEN_OBJECT) || (byte == CLOSE_ARRAY && open == OPEN_ARRAY)) {
        i++;
        depth--;
        const closedId = <i32>load<i8>(openValueIds + <usize>depth);
        if (closedId >= 0) store<i32>(valueEnds + (<usize>closedId << 2), <i32>(i - base));
        place = load<i32>(openPlaces + (<usize>depth << 2));
        if (depth > 0) context = <i32>load<u8>(openContexts + <usize>(depth - 1));
        continue;
      }
      return 0;
    }
  }  // Not reached: every path out of the loop returns.
  return 0;
}

// Records of the lines `scanLines` found, six i32 and one f64 a line. The i32 are the result bits of
// `check` (0 for a line it did not accept), the line's start, the end of its content (before a
// carriage return) and its end (the newline, or the end of the input). For a FAST line they go on
// with its signature number and session hash, and the f64 is its time.
const MAX_RECORDS: i32 = 1024;
const RECORD_INTS: i32 = 6;
const recordInts = memory.data(MAX_RECORDS * RECORD_INTS * 4, 16);
const recordTimes = memory.data(MAX_RECORDS * 8, 16);

export function recordIntsPointer(): usize { return recordInts; }
export function recordTimesPointer(): usize { return recordTimes; }
export function maxRecords(): i32 { return MAX_RECORDS; }

/** Returns the address of the first newline in [i, stop), or stop. Reads up to 15 bytes past stop. */
function findNewline(i: usize, stop: usize): usize {
  const newlines = i8x16.splat(0x0a);
  while (i < stop) {
    const found = i8x16.bitmask(i8x16.eq(v128.load(i), newlines));
    if (found != 0) {
      const at = i + <usize>ctz(found);
      return at < stop ? at : stop;
    }
    i += 16;
  }
  return stop;
}

/**
 * Splits input[start, filled) into lines and checks each one, recording up to MAX_RECORDS of them.
 * A line without its newline is left for the next call unless atEnd is set. Returns the number of
 * lines recorded. The caller reads the lines the check did not give a signature number itself.
 */
export function scanLines(start: i32, filled: i32, atEnd: i32): i32 {
  const base = inputStart();
  const stop = base + <usize>filled;
  let i = base + <usize>start;
  let count: i32 = 0;
  store<i32>(counters, 0, 28);
  lineAtEnd = atEnd;
  while (count < MAX_RECORDS && i < stop) {
    // The check finds where an accepted line ends, so only other lines need a search for the newline.
    lineMode = 1;
    const bits = check(<i32>(i - base), filled, 1);
    lineMode = 0;
    let lineEnd = lineEndFound;
    if (bits == 0) {
      lineEnd = findNewline(i, stop);
      if (lineEnd == stop && atEnd == 0) break;
    }
    const contentEnd = lineEnd > i && <u32>load<u8>(lineEnd - 1) == 0x0d ? lineEnd - 1 : lineEnd;
    const record = recordInts + <usize>(count * RECORD_INTS) * 4;
    if (writing != 0) {
      if (tableFull != 0) {
        store<i32>(counters, STOP_TABLE_FULL, 28);
        break;
      }
      if ((bits & FAST) != 0) {
        const sig = load<i32>(lineFacts, 12);
        const entry = factTable() + <usize>sig * FACT_BYTES;
        const fact = load<i32>(entry);
        if (fact != 0) {
          const time = load<f64>(lineFacts);
          const partition = load<i32>(entry, 4);
          const line = load<i32>(counters) + 1;
          const recordNumber = load<i32>(counters, 4);
          if (partition >= 0 && time >= load<f64>(counters, 72) && time <= load<f64>(counters, 80)) {
            const offset = load<f64>(counters, 64) + <f64>(i - base);
            if (emit(partition, fact - 1, bits & HAS_SESSION, load<i32>(lineFacts, 8), time, offset, load<i32>(counters, 24), line, recordNumber, <i32>(contentEnd - i), sig) == 0) {
              store<i32>(counters, partition, 12);
              store<i32>(counters, STOP_FLUSH, 28);
              break;
            }
          }
          store<i32>(counters, line);
          store<i32>(counters, recordNumber + 1, 4);
          store<i32>(counters, load<i32>(counters, 8) + 1, 8);
          if ((bits & NON_ASCII_LINE) != 0) store<i32>(counters, 1, 20);
          i = lineEnd + 1;
          continue;
        }
      }
    }
    store<i32>(record, bits);
    store<i32>(record, <i32>(i - base), 4);
    store<i32>(record, <i32>(contentEnd - base), 8);
    store<i32>(record, <i32>(lineEnd - base), 12);
    if ((bits & FAST) != 0) {
      store<i32>(record, load<i32>(lineFacts, 12), 16);
      store<u32>(record, load<u32>(lineFacts, 8), 20);
      store<f64>(recordTimes + <usize>count * 8, load<f64>(lineFacts));
    }
    count++;
    i = lineEnd + 1;
    // The writing scan hands over one line at a time, which the caller reads and counts before
    // the next call.
    if (writing != 0) break;
  }
  store<i32>(counters, <i32>(i - base), 16);
  return count;
}
