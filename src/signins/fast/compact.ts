import { closeSync, openSync, readSync, writeSync } from 'node:fs';

import type { AuditEvent } from '../event.js';

/**
 * Compact spill records of the parallel review's scan phase, 71 bytes instead of the 2 KB line.
 * Each sign-in keeps only what decides whether its user needs the full detections, what the summary
 * counts, and where the line is in the input, so that those users' lines can be read again.
 *
 * Layout, little-endian: an event record is `E`, u16 flags, u32 user, u32 country, u32 session
 * hash, f64 ASN, f64 latitude, f64 longitude, f64 time (ms), u32 range, u32 line, u32 record, f64
 * byte offset, u32 byte length. User and country are numbers in the file's dictionary (country
 * NO_COUNTRY when absent), a missing number is NaN. `D` u32 length, UTF-8 bytes adds the next
 * dictionary entry; `R` empties it. An audit event, rare beside sign-ins, is `A` u32 length and its
 * JSON in UTF-8.
 */

const EVENT = 0x45;
const AUDIT = 0x41;
const ENTRY = 0x44;
const RESET = 0x52;
export const EVENT_BYTES = 71;
const NO_COUNTRY = 0xffffffff;
/** Flag bits. MAY_ALERT: the event may alert alone. HAS_PLACE: a successful sign-in, whose place counts. HAS_SESSION: it has a session id. Then one bit per beta-only field present. */
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
    while (written < length) written += writeSync(this.fd, bytes, written, length - written, this.size + written);
    this.blocks[partition]!.push(this.size, length);
    this.size += length;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
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

  write(event: CompactEvent): void {
    this.writeWithRefs(event, { epoch: -1, user: 0, country: 0 });
  }

  /**
   * Writes a sign-in as `write` does, taking the user's and the country's dictionary numbers from
   * `refs` while they hold, and storing them there otherwise.
   */
  writeWithRefs(event: CompactEvent, refs: DictionaryRefs): void {
    this.writeShared({ ...event, refs }, event.flags, event.session, event.time, event.range, event.line, event.record, event.offset, event.length);
  }

  /**
   * Writes a sign-in from the parts it shares with others of its user and place, whose dictionary
   * numbers `shared.refs` keeps, and its own parts. No object is built per sign-in.
   */
  writeShared(shared: SharedParts, flags: number, session: number, time: number, range: number, line: number, record: number, offset: number, length: number): void {
    const refs = shared.refs;
    if (refs.epoch !== this.epoch) {
      refs.user = this.ref(shared.user);
      const before = this.epoch;
      refs.country = shared.country === null ? NO_COUNTRY : this.ref(shared.country);
      // The country's entry may have started the dictionary again, and the user's number with it.
      if (this.epoch !== before) refs.user = this.ref(shared.user);
      refs.epoch = this.epoch;
    }
    this.room(EVENT_BYTES);
    const view = this.view;
    const at = this.used;
    this.bytes[at] = EVENT;
    view.setUint16(at + 1, flags, true);
    view.setUint32(at + 3, refs.user, true);
    view.setUint32(at + 7, refs.country, true);
    view.setUint32(at + 11, session, true);
    view.setFloat64(at + 15, shared.asn, true);
    view.setFloat64(at + 23, shared.latitude, true);
    view.setFloat64(at + 31, shared.longitude, true);
    view.setFloat64(at + 39, time, true);
    view.setUint32(at + 47, range, true);
    view.setUint32(at + 51, line, true);
    view.setUint32(at + 55, record, true);
    view.setFloat64(at + 59, offset, true);
    view.setUint32(at + 67, length, true);
    this.used = at + EVENT_BYTES;
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
      writeSync(this.fd, bytes, 0, length);
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
 * Calls `visit` for each event record of a compact spill file's bytes, in order. The object passed
 * is reused for the next record (a million events would otherwise be a million objects), so a
 * visitor that keeps one copies it.
 */
export function readCompact(bytes: Buffer, visit: (event: Readonly<CompactEvent>) => void, visitAudit?: (event: AuditEvent) => void): void {
  const dictionary: string[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const event: CompactEvent = { flags: 0, user: '', session: 0, country: null, asn: 0, latitude: 0, longitude: 0, time: 0, range: 0, line: 0, record: 0, offset: 0, length: 0 };
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
    } else if (kind === EVENT) {
      const country = view.getUint32(at + 7, true);
      event.flags = view.getUint16(at + 1, true);
      event.user = dictionary[view.getUint32(at + 3, true)]!;
      event.country = country === NO_COUNTRY ? null : dictionary[country]!;
      event.session = view.getUint32(at + 11, true);
      event.asn = view.getFloat64(at + 15, true);
      event.latitude = view.getFloat64(at + 23, true);
      event.longitude = view.getFloat64(at + 31, true);
      event.time = view.getFloat64(at + 39, true);
      event.range = view.getUint32(at + 47, true);
      event.line = view.getUint32(at + 51, true);
      event.record = view.getUint32(at + 55, true);
      event.offset = view.getFloat64(at + 59, true);
      event.length = view.getUint32(at + 67, true);
      visit(event);
      at += EVENT_BYTES;
    } else {
      throw new Error(`spill file damaged: unknown record kind ${kind} at byte ${at}`);
    }
  }
}
