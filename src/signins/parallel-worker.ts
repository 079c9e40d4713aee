import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';

import type { Engagement } from '../engagement/schema.js';
import { log } from '../log.js';
import { mayAlertAlone, mayAlertByPlace, placeOf, samePlace, sessionHash } from './detections/gate.js';
import { DEFAULT_SETTINGS, type DetectionSettings } from './detections/types.js';
import { createEnricher, type Enricher, type SharedAsnTable } from './enrich.js';
import { BETA_ONLY_FIELDS, type AuditEvent, type SignInEvent } from './event.js';
import { COVERAGE_SHIFT, CompactWriter, EVENT_BYTES, EventWriter, HAS_IP, HAS_PLACE, HAS_SESSION, MAY_ALERT, readBlocks, readCompact, readEvents, SpillFile, type CompactEvent, type DictionaryRefs, type FactRecord, type Place } from './fast/compact.js';
import { eventOfLine, lastLineWasAscii, LINE_FAST, LINE_HAS_SESSION, LINE_NON_ASCII, lineBuffer, wasmChecker } from './fast/graph-line.js';
import type { WasmLineChecker } from './fast/graph-line-wasm.js';
import { BadRecordError, isoMs, normaliseRecord, type NormalisedRecord } from './normalise.js';
import { ActivityCollector, activityKey, type ReviewResult } from './review.js';
import { locateSyntaxError, newReadStats } from './read.js';

/** A byte range of an NDJSON file that starts at a line start and ends after a newline (or at the end). */
export interface ByteRange {
  id: number;
  file: string;
  start: number;
  end: number;
}

export interface ScanTask {
  phase: 'scan';
  worker: number;
  ranges: ByteRange[];
  spillDir: string;
  partitions: number;
  since: string | null;
  until: string | null;
  users: string[] | null;
  useDatabase: boolean;
  skipBadRecords: boolean;
  /** Lower-cased ids and UPNs of users that always get the full detections: break-glass accounts and requested timelines. */
  reviewUsers: string[];
  /** The caller's ASN table, sent with a worker's first task only. */
  asnTable?: SharedAsnTable;
}

/** Closes the spill files after the last range. */
export interface ScanEndTask {
  phase: 'scan-end';
}

/** The blocks of each partition in the worker's event and fact files (see `SpillFile`), as offset and length pairs. */
export interface ScanEndResult {
  blocks: number[][];
  factBlocks: number[][];
}

/** Returns the name of a worker's file of event records in the spill folder. */
export function spillFileName(worker: number): string {
  return `w${worker}-spill.bin`;
}

/** Returns the name of a worker's file of fact records in the spill folder. */
export function factFileName(worker: number): string {
  return `w${worker}-facts.bin`;
}

/** Records of one file that the scan read: sign-ins, audits, ignored and skipped ones. */
type FileStats = ScanResult['files'][string];

export interface ScanResult {
  /** Lines and records per range, to turn range-relative positions into file positions. */
  ranges: { id: number; lines: number; records: number }[];
  /** Per file: sign-ins, audits, ignored and skipped records read. */
  files: Record<string, { signIns: number; audits: number; ignored: number; skipped: number }>;
  audits: number;
  ignored: Record<string, number>;
  skipped: { range: number; line: number; record: number; problem: string }[];
  /**
   * Set when a bad record stops the review (no --skip-bad-records). `json` marks a syntax error, and
   * `contentEnd` is the file offset where the line's content ends.
   */
  error?: { range: number; line: number; record: number; problem: string; expected: string; json?: boolean; contentEnd: number };
  /**
   * Set when a line contains what only the in-memory review reads, such as a whole Graph page on one
   * line (several records). The caller then reviews the input in memory.
   */
  inMemoryOnly?: { range: number; line: number };
  /** Set to the file when it contains bytes that are not UTF-8, with the range they are in. */
  badEncoding?: string;
  badEncodingRange?: number;
}

export interface DetectTask {
  phase: 'detect';
  partitions: number[];
  workers: number;
  spillDir: string;
  engagement: Engagement | null;
  settings: Partial<DetectionSettings> | undefined;
  timelineUsers: string[] | undefined;
  useDatabase: boolean;
  /** File of each byte range, to read the lines of users that need the full detections again. */
  rangeFiles: Record<number, string>;
  /** For each partition of the task, the blocks of it in each worker's event file. */
  blocks: Record<number, number[][]>;
  /** For each partition of the task, the blocks of it in each worker's fact file. */
  factBlocks: Record<number, number[][]>;
  /** The scan's `reviewUsers`, to check lines read again against their records. */
  reviewUsers: string[];
  /** Audit files to load: one per worker that wrote one, and the caller's. */
  auditFiles: string[];
}

const CHUNK = 4 << 20;
/** Bytes of spill buffers per worker, shared by its partitions, so the total does not grow with the file. */
const SPILL_BUFFER_BYTES = 4 << 20;

/** Stable string hash (FNV-1a) so a user's events land in the same partition in every worker. */
export function partitionOf(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
}

/**
 * Audit events the detections read: device registrations, which the broker device-code detection
 * compares with sign-ins. An audit may name its user by object id, by UPN or both, while sign-ins are
 * partitioned by the review's user key (the id first). So these audits are not partitioned: each
 * worker loads all of them once and gives each partition those of its reviewed users.
 */
export function auditForDetections(audit: AuditEvent): boolean {
  return audit.kind === 'deviceRegistration';
}

/** Lower-cased ids and UPNs of the users an audit event belongs to, as the in-memory review matches them. */
export function auditUserKeys(audit: AuditEvent): string[] {
  const keys = new Set<string>();
  for (const target of audit.targets) {
    if (target.type && target.type.toLowerCase() !== 'user') continue;
    if (target.userPrincipalName) keys.add(target.userPrincipalName.toLowerCase());
    if (target.id) keys.add(target.id.toLowerCase());
  }
  if (audit.initiatedBy?.userPrincipalName) keys.add(audit.initiatedBy.userPrincipalName.toLowerCase());
  if (audit.initiatedBy?.userId) keys.add(audit.initiatedBy.userId.toLowerCase());
  return [...keys];
}

/**
 * State of the scan phase, kept across the range tasks one worker receives, so each worker appends
 * to one spill file per partition whatever the number of ranges it reads.
 */
interface ScanState {
  enricher: Enricher;
  users: Set<string> | null;
  reviewUsers: Set<string>;
  /** Each partition's writer of fact records, in the fact file. */
  outputs: CompactWriter[];
  /** The event file, and the fact file the outputs share. */
  spill: SpillFile;
  factSpill: SpillFile;
  /** The WebAssembly scan, which writes most event records itself; null where it is not in use. */
  checker: WasmLineChecker | null;
  /** The event writer where the WebAssembly scan is not in use. */
  events: EventWriter | null;
  /** The id the next fact gets. */
  nextFact: number;
  /** The audits the detections read, in one file per worker, opened on the first. */
  audits: CompactWriter | null;
  spillDir: string;
  worker: number;
  buffer: Buffer;
  /** Set once a line that was not pure ASCII (or not read by the byte reader) is in the buffer. */
  nonAscii: boolean;
  /** The facts the scan keeps per signature number that the byte reader gives a line. */
  signatures: (UserFacts | undefined)[];
  /** The review's period in milliseconds. */
  sinceMs: number;
  untilMs: number;
}

/**
 * The facts the scan writes for a sign-in besides its time and session. They are the same for every
 * line with one signature, because they depend only on the values the signature contains.
 */
interface UserFacts {
  /** False when --user leaves the sign-in out. */
  included: boolean;
  /** The fact's id in the worker's event and fact records. */
  id: number;
  /** The gate's result, whether a place is kept, and the beta fields present. */
  flags: number;
  user: string;
  partition: number;
  country: string | null;
  asn: number;
  latitude: number;
  longitude: number;
  /** The user's and the country's numbers in the partition's dictionary. */
  refs: DictionaryRefs;
}

/** Facts of a sign-in that --user leaves out. */
const LEFT_OUT: UserFacts = { included: false, id: -1, flags: 0, user: '', partition: 0, country: null, asn: Number.NaN, latitude: Number.NaN, longitude: Number.NaN, refs: { epoch: -1, user: 0, country: 0 } };
/** Marks a signature whose lines the byte reader cannot build an event for: they take the slow path. */
const SLOW_LINE: UserFacts = { ...LEFT_OUT };

let scanState: ScanState | null = null;
let enricherReady: Promise<Enricher> | null = null;

/** Returns the worker's one enricher, kept from the scan phase to the detect phase. */
function workerEnricher(useDatabase: boolean, asnTable?: SharedAsnTable): Promise<Enricher> {
  enricherReady ??= createEnricher({ useDatabase, ...(asnTable ? { asnTable } : {}) }).then((enricher) => {
    // The country database opens on the first lookup; a probe now keeps that cost out of the
    // first range's time.
    if (useDatabase) enricher.enrich({ id: 'probe', createdDateTime: '1970-01-01T00:00:00.000Z', ipAddress: '192.0.2.1' });
    return enricher;
  });
  return enricherReady;
}

async function startScan(task: ScanTask): Promise<ScanState> {
  if (scanState) return scanState;
  auditsByUser = null;
  const enricher = await workerEnricher(task.useDatabase, task.asnTable);
  const flushAt = Math.min(64 << 10, Math.max(4 << 10, Math.floor(SPILL_BUFFER_BYTES / task.partitions)));
  // Event buffers hold whole records, so that a partition's blocks are too.
  const eventCapacity = Math.floor(flushAt / EVENT_BYTES) * EVENT_BYTES;
  const spill = new SpillFile(join(task.spillDir, spillFileName(task.worker)), task.partitions);
  const factSpill = new SpillFile(join(task.spillDir, factFileName(task.worker)), task.partitions);
  const checker = wasmChecker();
  // Fact records are few beside events, so their buffers are smaller.
  const factFlushAt = Math.max(4 << 10, flushAt >> 2);
  scanState = {
    enricher,
    users: task.users ? new Set(task.users.map((user) => user.toLowerCase())) : null,
    reviewUsers: new Set(task.reviewUsers),
    // About 256,000 dictionary entries per worker in all, however many partitions share them.
    outputs: Array.from({ length: task.partitions }, (_, p) => new CompactWriter({ spill: factSpill, partition: p }, factFlushAt, Math.max(64, Math.floor(2 ** 18 / task.partitions)))),
    spill,
    factSpill,
    checker,
    events: checker ? null : new EventWriter(spill, task.partitions, eventCapacity),
    nextFact: 0,
    audits: null,
    spillDir: task.spillDir,
    worker: task.worker,
    // Lines read into this buffer take the WebAssembly JSON check where it is available, which
    // also writes the event records of the lines whose signature has a fact.
    buffer: checker ? checker.setPartitions(task.partitions, eventCapacity, CHUNK) : lineBuffer(CHUNK),
    nonAscii: false,
    signatures: [],
    // Graph's times and these are both ISO 8601 in UTC with milliseconds, so their order is the order of their milliseconds.
    sinceMs: task.since ? Date.parse(task.since) : Number.NEGATIVE_INFINITY,
    untilMs: task.until ? Date.parse(task.until) : Number.POSITIVE_INFINITY,
  };
  return scanState;
}

/** Flushes and closes the spill files once the worker has read all its ranges, and returns where each partition's blocks are. */
function endScan(): ScanEndResult {
  let blocks: number[][] = [];
  let factBlocks: number[][] = [];
  if (scanState) {
    const state = scanState;
    if (state.checker) {
      saveSignatureFacts(state);
      for (let partition = 0; partition < state.outputs.length; partition++) flushEvents(state, partition);
    }
    state.events?.close();
    for (const output of state.outputs) output.close();
    state.spill.close();
    state.factSpill.close();
    state.audits?.close();
    blocks = state.spill.blocks;
    factBlocks = state.factSpill.blocks;
  }
  scanState = null;
  return { blocks, factBlocks };
}

/** Moves a partition's event records from the WebAssembly scan's buffer to the event file. */
function flushEvents(state: ScanState, partition: number): void {
  const bytes = state.checker!.takePartition(partition);
  if (bytes.length > 0) state.spill.append(partition, bytes, bytes.length);
}

/**
 * Writes a fact record for each signature number with events, with the sums the WebAssembly scan
 * kept for it. Runs before the signature table is emptied and at the end of the scan.
 */
function saveSignatureFacts(state: ScanState): void {
  const checker = state.checker!;
  const count = checker.signatureCount();
  for (let sig = 0; sig < count; sig++) {
    const facts = state.signatures[sig];
    if (facts === undefined || !facts.included) continue;
    const sums = checker.factSums(sig);
    if (sums.events > 0) state.outputs[facts.partition]!.writeFact(facts, facts.id, facts.flags, sums.events, sums.from, sums.to);
  }
}

async function scan(task: ScanTask): Promise<ScanResult> {
  const state = await startScan(task);
  let buffer = state.buffer;
  const result: ScanResult = { ranges: [], files: {}, audits: 0, ignored: {}, skipped: [] };
  for (const range of task.ranges) {
    const fd = openSync(range.file, 'r');
    let position = range.start;
    let carry = 0;
    let line = 0;
    let record = 0;
    const fileStats = (result.files[range.file] ??= { signIns: 0, audits: 0, ignored: 0, skipped: 0 });
    try {
      while (position < range.end || carry > 0) {
        const toRead = Math.min(buffer.length - carry, range.end - position);
        // File offset of buffer[0], so each line's offset can be recorded for reading it again.
        const bufferOffset = position - carry;
        const read = toRead > 0 ? readSync(fd, buffer, carry, toRead, position) : 0;
        // A file cut short since the ranges were planned would otherwise be read forever.
        if (toRead > 0 && read === 0) throw new InputChangedError(range.file);
        position += read;
        const filled = carry + read;
        const atEnd = position >= range.end;
        let lineStart = 0;
        // The WebAssembly scan writes the event records of the lines whose signature has a fact, and
        // hands over the others one at a time. Its counters carry the line and record numbers.
        const checker = state.checker;
        if (checker && buffer === checker.buffer) {
          checker.counterTimes[0] = bufferOffset;
          checker.counterTimes[1] = state.sinceMs;
          checker.counterTimes[2] = state.untilMs;
          const counters = checker.counters;
          counters[0] = line;
          counters[1] = record;
          counters[2] = 0;
          counters[5] = 0;
          counters[6] = range.id;
          let stopped = false;
          while (lineStart < filled) {
            const count = checker.scanLines(lineStart, filled, atEnd);
            lineStart = counters[4]!;
            if (count === 0) {
              if (counters[7] === STOP_FLUSH) flushEvents(state, counters[3]!);
              else if (counters[7] === STOP_TABLE_FULL) {
                saveSignatureFacts(state);
                checker.resetSignatures();
                state.signatures = [];
              } else break;
              continue;
            }
            const records = checker.records;
            const bits = records[0]!;
            const start = records[1]!;
            const contentEnd = records[2]!;
            const lineNumber: number = counters[0]! + 1;
            const recordNumber: number = counters[1]!;
            counters[0] = lineNumber;
            let added: number;
            if ((bits & LINE_FAST) !== 0 && fastLine(buffer, start, contentEnd, bufferOffset, range, lineNumber, recordNumber, records[4]!, checker.times[0]!, (bits & LINE_HAS_SESSION) !== 0 ? records[5]! >>> 0 : null, task, state, fileStats)) {
              if ((bits & LINE_NON_ASCII) !== 0) state.nonAscii = true;
              added = 1;
            } else {
              added = readLine(buffer, start, contentEnd, bufferOffset, range, lineNumber, recordNumber, task, state, result);
            }
            if (added < 0) {
              stopped = true;
              break;
            }
            counters[1] = recordNumber + added;
            lineStart = records[3]! + 1;
          }
          line = counters[0]!;
          record = counters[1]!;
          fileStats.signIns += counters[2]!;
          if (counters[5] !== 0) state.nonAscii = true;
          if (stopped) return result;
        }
        // Without the WebAssembly check, line by line.
        for (;;) {
          let lineEnd = buffer.indexOf(0x0a, lineStart);
          if (lineEnd === -1 || lineEnd >= filled) {
            if (!atEnd) break;
            if (lineStart >= filled) break;
            lineEnd = filled;
          }
          line++;
          const contentEnd = lineEnd > lineStart && buffer[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
          const added = readLine(buffer, lineStart, contentEnd, bufferOffset, range, line, record, task, state, result);
          if (added < 0) return result;
          record += added;
          lineStart = lineEnd + 1;
        }
        // The in-memory reader refuses a file that is not UTF-8. Unless every line read so far was
        // ASCII, they are checked at native speed, so an invalid byte in a skipped value is found too.
        if (state.nonAscii && !isUtf8(buffer.subarray(0, Math.min(lineStart, filled)))) {
          result.badEncoding = range.file;
          result.badEncodingRange = range.id;
          return result;
        }
        state.nonAscii = false;
        if (lineStart < filled && !atEnd) {
          carry = filled - lineStart;
          buffer.copy(buffer, 0, lineStart, filled);
          // A line longer than the buffer (a huge user agent): a larger buffer for the rest of the review.
          if (carry >= buffer.length) buffer = state.buffer = lineBuffer(buffer.length * 2, carry);
        } else {
          carry = 0;
        }
        if (atEnd && carry === 0) break;
      }
    } finally {
      closeSync(fd);
    }
    result.ranges.push({ id: range.id, lines: line, records: record });
  }
  return result;
}

/**
 * Reads one line without a signature number: a blank line, or any record through `handleLine`.
 * Returns the records it adds (0 or 1), or -1 when the scan must stop.
 */
function readLine(buffer: Buffer, start: number, end: number, bufferOffset: number, range: ByteRange, line: number, record: number, task: ScanTask, state: ScanState, result: ScanResult): number {
  if (isBlank(buffer, start, end)) {
    if (end > start) state.nonAscii = true;
    return 0;
  }
  const outcome = handleLine(buffer, start, end, bufferOffset, range, line, record, task, state, result);
  return outcome === 'stop' || result.inMemoryOnly ? -1 : 1;
}

/** True for a line the in-memory reader skips: one that String#trim empties. */
function isBlank(buffer: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const byte = buffer[i]!;
    if (byte === 0x20 || byte === 0x09 || byte === 0x0d) continue;
    // Vertical tab, form feed and non-ASCII spaces (no-break space, ideographic space) also count.
    if (byte === 0x0b || byte === 0x0c || byte >= 0x80) return buffer.toString('utf8', start, end).trim() === '';
    return false;
  }
  return true;
}

function handleLine(
  buffer: Buffer,
  start: number,
  end: number,
  bufferOffset: number,
  range: ByteRange,
  line: number,
  record: number,
  task: ScanTask,
  state: ScanState,
  result: ScanResult,
): 'signIn' | 'other' | 'stop' {
  const fileStats = result.files[range.file]!;
  let normalised: NormalisedRecord;
  try {
    // Most lines of a Graph export take the validating byte reader, which builds only the fields
    // this phase reads (fast/scan-fields.ts). Any other line, and every bad one, goes through
    // JSON.parse and the normaliser, which give the error.
    const event = eventOfLine(buffer, start, end);
    if (!event || !lastLineWasAscii()) state.nonAscii = true;
    if (event) normalised = { kind: 'signIn', event };
    else {
      const parsed = parseLine(buffer, start, end);
      if (parsed === 'page') {
        result.inMemoryOnly = { range: range.id, line };
        return 'stop';
      }
      normalised = parsed;
    }
  } catch (error) {
    if (!(error instanceof BadRecordError)) throw error;
    if (!task.skipBadRecords) {
      result.error = { range: range.id, line, record, problem: error.problem, expected: error.expected, json: error instanceof JsonSyntaxError, contentEnd: bufferOffset + end };
      return 'stop';
    }
    fileStats.skipped++;
    if (result.skipped.length < 20) result.skipped.push({ range: range.id, line, record, problem: error.problem });
    return 'other';
  }

  if (normalised.kind === 'ignored') {
    fileStats.ignored++;
    result.ignored[normalised.reason] = (result.ignored[normalised.reason] ?? 0) + 1;
    return 'other';
  }

  if (normalised.kind === 'audit') {
    fileStats.audits++;
    if ((task.since && normalised.event.activityDateTime < task.since) || (task.until && normalised.event.activityDateTime > task.until)) return 'other';
    // The file is resolved from the range id after the scan, when line offsets are known.
    normalised.event.source = { file: `\u0002${range.id}`, line, record };
    result.audits++;
    if (auditForDetections(normalised.event)) {
      state.audits ??= new CompactWriter(join(state.spillDir, `w${state.worker}-audits.bin`), 16 << 10);
      state.audits.writeAudit(normalised.event);
    }
    return 'other';
  }

  const event = normalised.event;
  fileStats.signIns++;
  if ((task.since && event.createdDateTime < task.since) || (task.until && event.createdDateTime > task.until)) return 'signIn';
  const facts = userFacts(event, task, state);
  if (!facts.included) return 'signIn';
  writeSignIn(state, facts, -1, isoMs(event.createdDateTime), sessionHash(event), range, line, record, bufferOffset + start, end - start);
  return 'signIn';
}

/**
 * Writes a sign-in that `scanLines` gave a signature number, from the facts kept for that number.
 * Returns false when the byte reader cannot build the event of such a line, which the caller then
 * reads line by line.
 */
function fastLine(buffer: Buffer, start: number, end: number, bufferOffset: number, range: ByteRange, line: number, record: number, signature: number, time: number, session: number | null, task: ScanTask, state: ScanState, fileStats: FileStats): boolean {
  let facts = state.signatures[signature];
  if (facts === undefined) {
    const event = eventOfLine(buffer, start, end);
    facts = event ? userFacts(event, task, state) : SLOW_LINE;
    state.signatures[signature] = facts;
    // From now on the WebAssembly scan writes this signature's lines itself.
    if (facts !== SLOW_LINE) state.checker?.setFact(signature, Math.max(0, facts.id), facts.included ? facts.partition : -1);
  }
  if (facts === SLOW_LINE) return false;
  fileStats.signIns++;
  if (time < state.sinceMs || time > state.untilMs || !facts.included) return true;
  writeSignIn(state, facts, state.checker ? signature : -1, time, session, range, line, record, bufferOffset + start, end - start);
  return true;
}

/**
 * Works out what the scan writes for a sign-in besides its time and session: whether --user keeps
 * it, its enrichment, the gate's result, its place and the user it is filed under.
 */
function userFacts(event: SignInEvent, task: ScanTask, state: ScanState): UserFacts {
  const users = state.users;
  if (users) {
    const upn = event.userPrincipalName?.toLowerCase();
    const id = event.userId?.toLowerCase();
    if (!((upn && users.has(upn)) || (id && users.has(id)))) return LEFT_OUT;
  }
  state.enricher.enrich(event);
  const place = placeOf(event);
  const flags = scanFlags(event, state.reviewUsers);
  // Partitioned by the key the review groups a user's events by, so that all of them meet.
  const user = activityKey(event);
  return {
    included: true,
    id: state.nextFact++,
    flags,
    user,
    partition: partitionOf(user, task.partitions),
    country: place?.country ?? null,
    asn: place?.asn ?? Number.NaN,
    latitude: place?.latitude ?? Number.NaN,
    longitude: place?.longitude ?? Number.NaN,
    refs: { epoch: -1, user: 0, country: 0 },
  };
}

/**
 * Writes a sign-in's event record. With a signature number (sig >= 0), the WebAssembly scan adds it
 * to the signature's sums, which become a fact record later; without one, the fact record is written now.
 */
function writeSignIn(state: ScanState, facts: UserFacts, sig: number, time: number, session: number | null, range: ByteRange, line: number, record: number, offset: number, length: number): void {
  const partition = facts.partition;
  if (state.checker) {
    while (!state.checker.emit(partition, facts.id, session, time, offset, range.id, line, record, length, sig)) flushEvents(state, partition);
  } else {
    state.events!.write(partition, facts.id, session, time, offset, range.id, line, record, length);
  }
  if (sig < 0) state.outputs[partition]!.writeFact(facts, facts.id, facts.flags, 1, time, time);
}

/** Reasons the WebAssembly scan stops (`counters[7]`): a partition's buffer is full, or the signature table is. */
const STOP_FLUSH = 1;
const STOP_TABLE_FULL = 2;

/**
 * Returns one bit per beta-only field the event carries, in BETA_ONLY_FIELDS order, shifted into
 * the fact record's flags. Written out field by field: a loop over the names with `event[name]`
 * cost more than the rest of the record.
 */
export function coverageBits(event: SignInEvent): number {
  return (
    ((event.authenticationProtocol !== undefined ? 1 : 0) |
      (event.originalTransferMethod !== undefined ? 2 : 0) |
      (event.sessionId !== undefined ? 4 : 0) |
      (event.uniqueTokenIdentifier !== undefined ? 8 : 0) |
      (event.incomingTokenType !== undefined ? 16 : 0) |
      (event.autonomousSystemNumber !== undefined ? 32 : 0)) <<
    COVERAGE_SHIFT
  );
}

/** A line that is not JSON; the caller words the error as the in-memory reader does. */
class JsonSyntaxError extends BadRecordError {}

/**
 * JSON.parse and the normaliser, with a JSON syntax error turned into a bad-record error. Returns
 * 'page' for a whole Graph page on one line, which the in-memory reader splits into its records.
 */
function parseLine(buffer: Buffer, start: number, end: number): NormalisedRecord | 'page' {
  let value: unknown;
  const text = buffer.toString('utf8', start, end);
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JsonSyntaxError(locateSyntaxError(text, (error as Error).message).problem, 'one JSON object per record');
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const inner = (value as Record<string, unknown>).value ?? (value as Record<string, unknown>).records;
    if (Array.isArray(inner)) return 'page';
  }
  return normaliseRecord(value);
}

/** Counts of one user's events in a partition, from the fact records. */
interface UserTally {
  events: number;
  coverage: number[];
  from: number;
  to: number;
  /** Set when the user needs the full detections. */
  review: boolean;
  /** Set when one of the user's events could alert alone. */
  mayAlert: boolean;
  /** The place of the user's first fact with one. */
  place: Place | null;
  /** For a user flagged by places alone: the records, which `mayAlertByPlace` judges before any line is read again. */
  records: CompactEvent[] | null;
}

async function detect(task: DetectTask): Promise<ReviewResult[]> {
  const enricher = await workerEnricher(task.useDatabase);
  const options = { engagement: task.engagement, ...(task.settings ? { settings: task.settings } : {}), ...(task.timelineUsers ? { timelineUsers: task.timelineUsers } : {}) };
  const settings: DetectionSettings = { ...DEFAULT_SETTINGS, ...task.settings };
  const reviewUsers = new Set(task.reviewUsers);
  const descriptors = new Map<string, number>();
  const results: ReviewResult[] = [];
  const open = (name: string): number => {
    const file = join(task.spillDir, name);
    let fd = descriptors.get(file);
    if (fd === undefined) descriptors.set(file, (fd = openSync(file, 'r')));
    return fd;
  };
  try {
    for (const partition of task.partitions) {
      // The facts of each worker by id, and each user's counts from them.
      const factsByWorker: Map<number, FactRecord>[] = [];
      const tallies = new Map<string, UserTally>();
      (task.factBlocks[partition] ?? []).forEach((blocks, worker) => {
        const facts = new Map<number, FactRecord>();
        factsByWorker[worker] = facts;
        if (blocks.length === 0) return;
        readCompact(readBlocks(open(factFileName(worker)), blocks), (fact) => {
          if (!facts.has(fact.id)) facts.set(fact.id, { ...fact });
          tallyFact(tallies, fact);
        });
      });

      // Users that need the full detections: their lines are read again, in input order. Most
      // partitions have no such user, and then their event records are not read at all.
      const toReview: Position[] = [];
      const anyFlagged = [...tallies.values()].some((tally) => tally.review);
      (anyFlagged ? task.blocks[partition] ?? [] : []).forEach((blocks, worker) => {
        if (blocks.length === 0) return;
        const facts = factsByWorker[worker];
        readEvents(readBlocks(open(spillFileName(worker)), blocks), (event) => {
          const fact = facts?.get(event.fact);
          if (fact === undefined) throw new Error(`spill file damaged: an event record names fact ${event.fact}, which worker ${worker} did not write`);
          const tally = tallies.get(fact.user)!;
          if (!tally.review) return;
          const record: CompactEvent = {
            flags: fact.flags | (event.session !== null ? HAS_SESSION : 0),
            user: fact.user,
            session: event.session ?? 0,
            country: fact.country,
            asn: fact.asn,
            latitude: fact.latitude,
            longitude: fact.longitude,
            time: event.time,
            range: event.range,
            line: event.line,
            record: event.record,
            offset: event.offset,
            length: event.length,
          };
          if (tally.mayAlert) toReview.push(record);
          else (tally.records ??= []).push(record);
        });
      });
      // Users flagged by places alone whose records show no move that could alert stay quiet.
      for (const tally of tallies.values()) {
        if (tally.records === null) continue;
        if (mayAlertByPlace(tally.records, settings)) toReview.push(...tally.records);
        else tally.review = false;
        tally.records = null;
      }
      toReview.sort((a, b) => a.range - b.range || a.line - b.line);
      // One busy flagged user (a sync account on a legacy client) can put far more events in a
      // partition than a worker's heap can take. Near that limit V8 collects without end, so stop first.
      const reviewedBytes = toReview.reduce((sum, position) => sum + position.length, 0);
      if (reviewedBytes > MAX_REVIEWED_BYTES) throw new PartitionTooLargeError(reviewedBytes, toReview.reduce((longest, position) => Math.max(longest, position.length), 0));

      const collector = new ActivityCollector(options);
      for (const position of toReview) collector.add({ kind: 'signIn', event: readAgain(position, task.rangeFiles, descriptors, enricher, reviewUsers) }, 'keep');
      for (const tally of tallies.values()) {
        if (tally.review) continue;
        collector.addQuietUser({ events: tally.events, coverage: tally.coverage, from: new Date(tally.from).toISOString(), to: new Date(tally.to).toISOString() });
      }
      // The audits of the reviewed users; quiet users get no detections, so they need none.
      const audits = new Set<AuditEvent>();
      for (const key of collector.userKeys()) for (const audit of auditIndex(task).get(key) ?? []) audits.add(audit);
      for (const audit of audits) collector.add({ kind: 'audit', event: audit }, 'keep');
      // process.memoryUsage() reads /proc on every call, so it runs only when the line is logged.
      if (log.isLevelEnabled('trace')) log.trace({ partition, users: tallies.size, reviewedEvents: toReview.length, heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20) }, 'partition loaded');
      results.push(collector.finish(newReadStats(), options));
    }
  } finally {
    for (const fd of descriptors.values()) closeSync(fd);
  }
  return results;
}

/** The position of a sign-in's line in the input. */
type Position = CompactEvent;

/**
 * Adds a fact's events to its user's tally. A user whose successful sign-ins all share one place
 * (country, network and coordinates) can be neither a replayed session nor impossible travel, so
 * a second place sends the user to `mayAlertByPlace`.
 */
function tallyFact(tallies: Map<string, UserTally>, fact: Readonly<FactRecord>): void {
  let tally = tallies.get(fact.user);
  if (!tally) {
    tally = { events: 0, coverage: BETA_ONLY_FIELDS.map(() => 0), from: fact.from, to: fact.to, review: false, mayAlert: false, place: null, records: null };
    tallies.set(fact.user, tally);
  }
  tally.events += fact.events;
  for (let field = 0; field < BETA_ONLY_FIELDS.length; field++) if (fact.flags & (1 << (COVERAGE_SHIFT + field))) tally.coverage[field]! += fact.events;
  if (fact.from < tally.from) tally.from = fact.from;
  if (fact.to > tally.to) tally.to = fact.to;
  if (fact.flags & MAY_ALERT) tally.review = tally.mayAlert = true;
  if (fact.flags & HAS_PLACE && !tally.review) {
    if (tally.place === null) tally.place = { country: fact.country, asn: fact.asn, latitude: fact.latitude, longitude: fact.longitude };
    else if (!samePlace(tally.place, fact)) tally.review = true;
  }
}

let auditsByUser: Map<string, AuditEvent[]> | null = null;

/** Returns the audits the detections read, by user key, loaded on the worker's first detect task. */
function auditIndex(task: DetectTask): Map<string, AuditEvent[]> {
  if (auditsByUser) return auditsByUser;
  const index = new Map<string, AuditEvent[]>();
  auditsByUser = index;
  for (const file of task.auditFiles) {
    const bytes = readSpill(join(task.spillDir, file));
    if (!bytes) continue;
    readCompact(bytes, () => undefined, (audit) => {
      for (const key of auditUserKeys(audit)) {
        const list = index.get(key);
        if (list) list.push(audit);
        else index.set(key, [audit]);
      }
    });
  }
  return index;
}

/** Returns a spill file's bytes, or null when no worker wrote it. */
function readSpill(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (error) {
    // A worker that read no range wrote no spill files, and most partitions have no audit file.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Line bytes of flagged users one partition may read again: full events take about twice their
 * line's size in the heap, so this keeps a partition to about half of a worker's 64 MB.
 */
export const MAX_REVIEWED_BYTES = 16 << 20;

/** A partition's flagged users have more events than a worker can hold. */
export class PartitionTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly longestLine: number,
  ) {
    super(tooLargeMessage(bytes, longestLine));
  }
}

/** Words why a partition does not fit a worker: many sign-ins of one user, or one very long line. */
export function tooLargeMessage(bytes: number, longestLine: number): string {
  const mib = (value: number): string => `${(value / 2 ** 20).toFixed(1)} MiB`;
  if (longestLine > MAX_REVIEWED_BYTES) return `one sign-in that needs the full detections is a line of ${mib(longestLine)}, more than the limit for one review worker (${mib(MAX_REVIEWED_BYTES)})`;
  return `the sign-ins of one user that need the full detections take ${mib(bytes)} of lines, more than the limit for one review worker (${mib(MAX_REVIEWED_BYTES)})`;
}

/** The input changed between the scan and the detect phase; the caller reports it as a user error. */
export class InputChangedError extends Error {
  constructor(readonly file: string) {
    super(`${file} changed while it was reviewed`);
  }
}

/**
 * Reads one sign-in line again and normalises and enriches it as the scan did. Throws
 * InputChangedError when the line no longer reads as the sign-in its records describe: a
 * file edited in place keeps its size, and its time may not show the edit.
 */
export function readAgain(position: Position, rangeFiles: Record<number, string>, descriptors: Map<string, number>, enricher: Enricher, reviewUsers: ReadonlySet<string>): SignInEvent {
  const file = rangeFiles[position.range]!;
  let fd = descriptors.get(file);
  if (fd === undefined) descriptors.set(file, (fd = openSync(file, 'r')));
  const bytes = Buffer.allocUnsafe(position.length);
  const read = readSync(fd, bytes, 0, position.length, position.offset);
  let normalised;
  try {
    const parsed = read === position.length ? parseLine(bytes, 0, read) : null;
    normalised = parsed === 'page' ? null : parsed;
  } catch {
    normalised = null;
  }
  if (normalised?.kind !== 'signIn') throw new InputChangedError(file);
  const event = normalised.event;
  event.source = { file: `\u0002${position.range}`, line: position.line, record: position.record };
  enricher.enrich(event);
  if (!matchesRecord(event, position, reviewUsers)) throw new InputChangedError(file);
  return event;
}

/**
 * True when an event read again gives what its records contain: user, time, session, place and
 * every flag, the gate's result among them.
 */
function matchesRecord(event: SignInEvent, record: CompactEvent, reviewUsers: ReadonlySet<string>): boolean {
  if (activityKey(event) !== record.user || isoMs(event.createdDateTime) !== record.time) return false;
  const session = sessionHash(event);
  if (record.flags !== (scanFlags(event, reviewUsers) | (session !== null ? HAS_SESSION : 0)) || (session !== null && session !== record.session)) return false;
  const place = placeOf(event);
  return place === null || (place.country === record.country && Object.is(place.asn, record.asn) && Object.is(place.latitude, record.latitude) && Object.is(place.longitude, record.longitude));
}

/** Returns the flags of an enriched sign-in's record but HAS_SESSION: the gate's result, a kept place, an address and the beta fields present. */
export function scanFlags(event: SignInEvent, reviewUsers: ReadonlySet<string>): number {
  return (mayAlertAlone(event, reviewUsers) ? MAY_ALERT : 0) | (placeOf(event) !== null ? HAS_PLACE : 0) | (event.ipAddress ? HAS_IP : 0) | coverageBits(event);
}

parentPort?.on('message', (task: ScanTask | ScanEndTask | DetectTask) => {
  let run: Promise<unknown>;
  if (task.phase === 'scan') run = scan(task);
  // In a promise, so that a failed write (a full disk) is reported like the other phases' errors.
  else if (task.phase === 'scan-end') run = Promise.resolve().then(endScan);
  else run = detect(task);
  run.then(
    (result) => {
      if (log.isLevelEnabled('debug')) {
        const memory = process.memoryUsage();
        log.debug({ phase: task.phase, rssMb: Math.round(memory.rss / 2 ** 20), heapMb: Math.round(memory.heapUsed / 2 ** 20), externalMb: Math.round(memory.external / 2 ** 20) }, 'sign-in review worker done');
      }
      parentPort!.postMessage({ ok: true, result });
    },
    (error: Error) =>
      parentPort!.postMessage({
        ok: false,
        message: error.message,
        stack: error.stack,
        // A file system error (a full disk, a folder that cannot be written) is the user's to fix.
        ...(typeof (error as NodeJS.ErrnoException).code === 'string' ? { code: (error as NodeJS.ErrnoException).code, path: (error as NodeJS.ErrnoException).path } : {}),
        ...(error instanceof InputChangedError ? { changedFile: error.file } : {}),
        ...(error instanceof PartitionTooLargeError ? { tooLarge: true, longestLine: error.longestLine } : {}),
      }),
  );
});
