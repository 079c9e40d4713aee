import { closeSync, openSync, readSync, writeSync } from 'node:fs';

import type { AuditEvent } from '../event.js';

/**
 * Spill files of the parallel review's scan phase. Each sign-in that enters the review becomes a
 * 40-byte event record instead of its 2 KB line: the line's place in the input, its time and its
 * session. What the sign-ins of one signature share (user, place, the gate's result, the beta fields
 * present) is one fact record, which also carries how many events it has and their first and last
 * time. The detect phase decides from the facts alone which users need the full detections, and reads
 * event records only for them, to read their lines again.
 *
 * Event record, little-endian: u32 fact id (bit 31: the sign-in has a session id), u32 session hash,
 * f64 time (ms), f64 byte offset, u32 range, u32 line, u32 record, u32 byte length. The WebAssembly
 * scan (wasm/graph-line.ts) writes the same layout.
 *
 * Fact file: `F` u32 id, u16 flags, u32 user, u32 country, f64 ASN, f64 latitude, f64 longitude, u32
 * events, f64 first time, f64 last time. User and country are numbers in the file's dictionary
 * (country NO_COUNTRY when absent), a missing number is NaN. `D` u32 length, UTF-8 bytes adds the
 * next dictionary entry; `R` empties it. An audit event, rare beside sign-ins, is `A` u32 length and
 * its JSON in UTF-8. One fact id may have several fact records; their events add up.
 */

const FACT = 0x46;
const AUDIT = 0x41;
const ENTRY = 0x44;
const RESET = 0x52;
export const FACT_BYTES = 59;
export const EVENT_BYTES = 40;
/** Bit of an event record's fact id: the sign-in has a session id. */
const EVENT_HAS_SESSION = 0x80000000;
const NO_COUNTRY = 0xffffffff;
/**
 * Flag bits. MAY_ALERT: the event may alert alone. HAS_PLACE: a successful sign-in, whose place
 * counts. HAS_SESSION: it has a session id (set on the events the detect phase rebuilds, not on
 * facts). Then one bit per beta-only field present.
 */
export const MAY_ALERT = 1;
export const HAS_PLACE = 2;
export const HAS_SESSION = 4;
export const COVERAGE_SHIFT = 3;
/** Flag bit after the six coverage bits: the sign-in has an IP address. */
export const HAS_IP = 1 << 9;

/**
 * Dictionary entries per file before the dictionary starts again. A user belongs to one partition,
 * so a worker's dictionaries together hold about one entry per user. The cap keeps a log of millions
 * of distinct users from growing them past a few MB.
 */
const DEFAULT_DICTIONARY_ENTRIES = 8192;

/** The place of a successful sign-in, as the detections that compare events see it (see detections/gate.ts). */
export interface Place {
  country: string | null;
  asn: number;
  latitude: number;
  longitude: number;
}

/** The parts of a sign-in's record that the sign-ins of one user from one place share. */
export interface SharedParts extends Place {
  user: string;
  refs: DictionaryRefs;
}

/** A sign-in as the detect phase rebuilds it from its fact and its event record. */
export interface CompactEvent extends Place {
  flags: number;
  user: string;
  /** Hash of the session id (see detections/gate.ts); meaningful with HAS_SESSION. */
  session: number;
  time: number;
  range: number;
  line: number;
  record: number;
  offset: number;
  length: number;
}

/** The values the sign-ins of one signature share, with their count and their first and last time. */
export interface FactRecord extends Place {
  id: number;
  /** MAY_ALERT, HAS_PLACE, HAS_IP and the coverage bits. */
  flags: number;
  user: string;
  events: number;
  from: number;
  to: number;
}

/** One sign-in's event record. */
export interface EventRecord {
  fact: number;
  /** The session hash, or null without a session id. */
  session: number | null;
  time: number;
  offset: number;
  range: number;
  line: number;
  record: number;
  length: number;
}

/**
 * A user's and a country's numbers in one writer's dictionary, which a caller keeps across the
 * sign-ins it writes. They are valid while `epoch` equals the writer's. A caller starts with -1,
 * which no writer's epoch equals.
 */
export interface DictionaryRefs {
  epoch: number;
  user: number;
  country: number;
}

/**
 * One file that the writers of many partitions append their blocks to, so that a worker creates one
 * file rather than one per partition: creating hundreds of files took a tenth of a second per worker.
 * `blocks` lists each partition's blocks in the order they were written, as offset and length pairs.
 */
export class SpillFile {
  readonly blocks: number[][];
  private fd: number | null = null;
  private size = 0;

  constructor(
    private readonly file: string,
    partitions: number,
  ) {
    this.blocks = Array.from({ length: partitions }, () => []);
  }

  append(partition: number, bytes: Buffer, length: number): void {
    this.fd ??= openSync(this.file, 'w', 0o600);
    let written = 0;
    while (written < length) written += writeWithPath(this.file, this.fd, bytes, written, length - written, this.size + written);
    this.blocks[partition]!.push(this.size, length);
    this.size += length;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Writes to a file open as fd. A failed write (a full disk) names no file, so the file is added to
 * the error, which lets the review tell its own files from the input.
 */
function writeWithPath(file: string, fd: number, bytes: Buffer, offset: number, length: number, position?: number): number {
  try {
    return writeSync(fd, bytes, offset, length, position);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    failure.path ??= file;
    throw failure;
  }
}

/** Reads the blocks one partition wrote to a spill file, open as fd, into one buffer. */
export function readBlocks(fd: number, blocks: readonly number[]): Buffer {
  let total = 0;
  for (let k = 1; k < blocks.length; k += 2) total += blocks[k]!;
  const bytes = Buffer.allocUnsafe(total);
  let at = 0;
  for (let k = 0; k < blocks.length; k += 2) {
    const length = blocks[k + 1]!;
    let read = 0;
    while (read < length) {
      const got = readSync(fd, bytes, at + read, length - read, blocks[k]! + read);
      if (got === 0) throw new Error('spill file damaged: a block ends past the end of the file');
      read += got;
    }
    at += length;
  }
  return bytes;
}

/** The destination of a writer's bytes: a file of its own, or a partition's blocks in a shared spill file. */
export type CompactTarget = string | { spill: SpillFile; partition: number };

export class CompactWriter {
  private readonly bytes: Buffer;
  private readonly view: DataView;
  private used = 0;
  private fd: number | null = null;
  private readonly dictionary = new Map<string, number>();
  /** Counts the times the dictionary started again, which invalidates every `DictionaryRefs`. */
  private epoch = 0;

  constructor(
    private readonly target: CompactTarget,
    bufferBytes: number,
    private readonly dictionaryEntries = DEFAULT_DICTIONARY_ENTRIES,
  ) {
    this.bytes = Buffer.alloc(Math.max(bufferBytes, 4096));
    // DataView's accessors compile to plain loads and stores; Buffer's readDoubleLE and friends do not.
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /**
   * Writes a fact record. The user's and the country's dictionary numbers come from `shared.refs`
   * while they are valid, and are stored there otherwise.
   */
  writeFact(shared: SharedParts, id: number, flags: number, events: number, from: number, to: number): void {
    const refs = shared.refs;
    if (refs.epoch !== this.epoch) {
      refs.user = this.ref(shared.user);
      const before = this.epoch;
      refs.country = shared.country === null ? NO_COUNTRY : this.ref(shared.country);
      // The country's entry may have started the dictionary again, and the user's number with it.
      if (this.epoch !== before) refs.user = this.ref(shared.user);
      refs.epoch = this.epoch;
    }
    this.room(FACT_BYTES);
    const view = this.view;
    const at = this.used;
    this.bytes[at] = FACT;
    view.setUint32(at + 1, id, true);
    view.setUint16(at + 5, flags, true);
    view.setUint32(at + 7, refs.user, true);
    view.setUint32(at + 11, refs.country, true);
    view.setFloat64(at + 15, shared.asn, true);
    view.setFloat64(at + 23, shared.latitude, true);
    view.setFloat64(at + 31, shared.longitude, true);
    view.setUint32(at + 39, events, true);
    view.setFloat64(at + 43, from, true);
    view.setFloat64(at + 51, to, true);
    this.used = at + FACT_BYTES;
  }

  writeAudit(event: AuditEvent): void {
    const json = Buffer.from(JSON.stringify(event), 'utf8');
    const head = Buffer.allocUnsafe(5);
    head[0] = AUDIT;
    head.writeUInt32LE(json.length, 1);
    this.raw(head);
    this.raw(json);
  }

  /** Appends bytes through the buffer, or straight to the file when they do not fit in it. */
  private raw(bytes: Buffer): void {
    if (bytes.length > this.bytes.length) {
      this.flush();
      this.out(bytes, bytes.length);
      return;
    }
    this.room(bytes.length);
    bytes.copy(this.bytes, this.used);
    this.used += bytes.length;
  }

  private ref(value: string): number {
    const known = this.dictionary.get(value);
    if (known !== undefined) return known;
    if (this.dictionary.size >= this.dictionaryEntries) {
      this.room(1);
      this.bytes[this.used++] = RESET;
      this.dictionary.clear();
      this.epoch++;
    }
    const length = Buffer.byteLength(value);
    if (5 + length <= this.bytes.length) {
      this.room(5 + length);
      this.bytes[this.used] = ENTRY;
      this.bytes.writeUInt32LE(length, this.used + 1);
      this.bytes.write(value, this.used + 5, 'utf8');
      this.used += 5 + length;
    } else {
      // An entry longer than the buffer (a freak user name) goes to the file on its own.
      const entry = Buffer.allocUnsafe(5 + length);
      entry[0] = ENTRY;
      entry.writeUInt32LE(length, 1);
      entry.write(value, 5, 'utf8');
      this.raw(entry);
    }
    const index = this.dictionary.size;
    this.dictionary.set(value, index);
    return index;
  }

  private room(needed: number): void {
    if (this.used + needed > this.bytes.length) this.flush();
  }

  private flush(): void {
    if (this.used > 0) this.out(this.bytes, this.used);
    this.used = 0;
  }

  private out(bytes: Buffer, length: number): void {
    if (typeof this.target === 'string') {
      this.fd ??= openSync(this.target, 'w', 0o600);
      writeWithPath(this.target, this.fd, bytes, 0, length);
    } else {
      this.target.spill.append(this.target.partition, bytes, length);
    }
  }

  /** Writes what is buffered. A writer of its own file that never received an event leaves no file. */
  close(): void {
    if (this.used > 0) this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/**
 * Calls `visit` for each fact record of a fact file's bytes, in order, and `visitAudit` for each audit.
 * The object passed is reused for the next record, so a visitor that keeps one copies it.
 */
export function readCompact(bytes: Buffer, visit: (fact: Readonly<FactRecord>) => void, visitAudit?: (event: AuditEvent) => void): void {
  const dictionary: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fact: FactRecord = { id: 0, flags: 0, user: '', country: null, asn: 0, latitude: 0, longitude: 0, events: 0, from: 0, to: 0 };
  let at = 0;
  while (at < bytes.length) {
    const kind = bytes[at]!;
    if (kind === ENTRY) {
      const length = view.getUint32(at + 1, true);
      dictionary.push(bytes.toString('utf8', at + 5, at + 5 + length));
      at += 5 + length;
    } else if (kind === AUDIT) {
      const length = view.getUint32(at + 1, true);
      if (at + 5 + length > bytes.length) throw new Error(`spill file damaged: an audit record at byte ${at} runs past the end`);
      if (visitAudit) visitAudit(JSON.parse(bytes.toString('utf8', at + 5, at + 5 + length)) as AuditEvent);
      at += 5 + length;
    } else if (kind === RESET) {
      dictionary.length = 0;
      at += 1;
    } else if (kind === FACT) {
      const country = view.getUint32(at + 11, true);
      fact.id = view.getUint32(at + 1, true);
      fact.flags = view.getUint16(at + 5, true);
      fact.user = dictionary[view.getUint32(at + 7, true)]!;
      fact.country = country === NO_COUNTRY ? null : dictionary[country]!;
      fact.asn = view.getFloat64(at + 15, true);
      fact.latitude = view.getFloat64(at + 23, true);
      fact.longitude = view.getFloat64(at + 31, true);
      fact.events = view.getUint32(at + 39, true);
      fact.from = view.getFloat64(at + 43, true);
      fact.to = view.getFloat64(at + 51, true);
      if (fact.user === undefined) throw new Error(`spill file damaged: a fact record at byte ${at} names no dictionary entry`);
      visit(fact);
      at += FACT_BYTES;
    } else {
      throw new Error(`spill file damaged: unknown record kind ${kind} at byte ${at}`);
    }
  }
}

/**
 * Writes event records into per-partition buffers of a spill file: the scan's writer where the
 * WebAssembly scan is not in use (it writes the same records itself otherwise).
 */
export class EventWriter {
  private readonly bytes: Buffer;
  private readonly view: DataView;
  private readonly used: Int32Array;

  constructor(
    private readonly spill: SpillFile,
    partitions: number,
    private readonly capacity: number,
  ) {
    this.bytes = Buffer.alloc(partitions * capacity);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    this.used = new Int32Array(partitions);
  }

  write(partition: number, fact: number, session: number | null, time: number, offset: number, range: number, line: number, record: number, length: number): void {
    if (this.used[partition]! + EVENT_BYTES > this.capacity) this.flush(partition);
    const at = partition * this.capacity + this.used[partition]!;
    writeEventRecord(this.view, at, fact, session, time, offset, range, line, record, length);
    this.used[partition] = this.used[partition]! + EVENT_BYTES;
  }

  flush(partition: number): void {
    const length = this.used[partition]!;
    if (length > 0) this.spill.append(partition, this.bytes.subarray(partition * this.capacity, partition * this.capacity + length), length);
    this.used[partition] = 0;
  }

  close(): void {
    for (let partition = 0; partition < this.used.length; partition++) this.flush(partition);
  }
}

/** Writes one event record at byte `at` of a view. */
export function writeEventRecord(view: DataView, at: number, fact: number, session: number | null, time: number, offset: number, range: number, line: number, record: number, length: number): void {
  view.setUint32(at, (fact | (session === null ? 0 : EVENT_HAS_SESSION)) >>> 0, true);
  view.setUint32(at + 4, session ?? 0, true);
  view.setFloat64(at + 8, time, true);
  view.setFloat64(at + 16, offset, true);
  view.setUint32(at + 24, range, true);
  view.setUint32(at + 28, line, true);
  view.setUint32(at + 32, record, true);
  view.setUint32(at + 36, length, true);
}

/** Calls `visit` for each event record of a spill file's bytes. The object passed is reused. */
export function readEvents(bytes: Buffer, visit: (event: Readonly<EventRecord>) => void): void {
  if (bytes.length % EVENT_BYTES !== 0) throw new Error(`spill file damaged: ${bytes.length} bytes of event records is not a whole number of records`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const event: EventRecord = { fact: 0, session: null, time: 0, offset: 0, range: 0, line: 0, record: 0, length: 0 };
  for (let at = 0; at < bytes.length; at += EVENT_BYTES) {
    const fact = view.getUint32(at, true);
    event.fact = (fact & ~EVENT_HAS_SESSION) >>> 0;
    event.session = (fact & EVENT_HAS_SESSION) !== 0 ? view.getUint32(at + 4, true) : null;
    event.time = view.getFloat64(at + 8, true);
    event.offset = view.getFloat64(at + 16, true);
    event.range = view.getUint32(at + 24, true);
    event.line = view.getUint32(at + 28, true);
    event.record = view.getUint32(at + 32, true);
    event.length = view.getUint32(at + 36, true);
    visit(event);
  }
}
