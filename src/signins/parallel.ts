import { closeSync, existsSync, openSync, readSync, rmSync, statSync, type Stats } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';

import { InputError, UserError } from '../errors.js';
import { sharedAsnTable } from './enrich.js';
import { ENCODING_FIX } from './input.js';
import { log } from '../log.js';
import type { Alert } from './detections/types.js';
import type { AuditEvent } from './event.js';
import { CompactWriter } from './fast/compact.js';
import { auditForDetections, MAX_REVIEWED_BYTES, type ByteRange, type DetectTask, type ScanEndResult, type ScanEndTask, type ScanResult, type ScanTask } from './parallel-worker.js';
import { newReadStats, type ReadStats } from './read.js';
import { mergeReviewResults, reviewSignIns, type ReviewOptions, type ReviewResult } from './review.js';

/**
 * The review of large NDJSON exports on every core, with memory bounded whatever the file size.
 *
 * Phase 1 (scan): each worker reads byte ranges of the files and normalises and enriches each
 * sign-in, once per signature (the values the scan reads but time and session). It writes an event
 * record per sign-in (time, session, where the line is) and a fact record per signature (user,
 * place, whether it could alert alone, counts). Both go to one of P partitions, chosen by a hash of
 * the user, in an owner-only temporary folder (fast/compact.ts).
 * Phase 2 (detect): each worker loads the facts of whole partitions, which cover every event of
 * their users. Users that no detection can alert on (detections/gate.ts) only add to the summary
 * counts. The event records of the others give their lines, which are read again and go through
 * the same detections as in the in-memory review, sorted by time. So alerts do not depend on input
 * order, and memory contains one partition per worker. The temporary folder is removed at the end,
 * also on errors.
 */

/**
 * Input bytes per partition, about 3,600 Graph sign-ins. Phase 2 keeps a partition's facts, and the
 * records and full events of its flagged users, in memory: about 10 MB when every user is flagged.
 * So the peak RSS of a review where all users are flagged stays under 300 MB (16 MiB took it to 320 MB).
 */
const PARTITION_BYTES = 8 << 20;

/**
 * Input bytes per scan task. Workers take ranges and partitions from a queue rather than a fixed
 * share, so a worker the operating system runs less (a busy machine) does not hold the other up.
 */
const RANGE_BYTES = 32 << 20;

/**
 * Hands `tasks` to whichever worker is free, in order, and returns the results in task order.
 * Stops handing out tasks once `stop` returns true for a result. Tasks already running still finish.
 */
async function runQueue<T, R>(
  workers: Worker[],
  tasks: T[],
  message: (task: T, worker: number) => ScanTask | DetectTask,
  stop?: (result: R) => boolean,
  ready?: Promise<unknown>[],
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let stopped = false;
  await Promise.all(
    workers.map(async (worker, index) => {
      await ready?.[index];
      while (!stopped && next < tasks.length) {
        const taskIndex = next++;
        const result = await runOnWorker<R>(worker, message(tasks[taskIndex]!, index));
        results[taskIndex] = result;
        if (stop?.(result)) stopped = true;
      }
    }),
  );
  return results.filter((result) => result !== undefined);
}

const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './parallel-worker.ts' : './parallel-worker.js', import.meta.url);

/**
 * Starts a worker. Under tsx (tests, benchmarks) the worker is TypeScript, and `--import tsx` does
 * not reach worker threads on Node 20, so a bootstrap registers tsx's loader before importing it.
 */
function startWorker(): Worker {
  // A small young generation keeps each worker's heap, and so the peak RSS, low; spilling already
  // keeps old-generation data to one partition.
  const resourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 };
  if (!workerUrl.pathname.endsWith('.ts')) return watchWorker(new Worker(workerUrl, { resourceLimits }));
  const api = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); });`;
  return watchWorker(new Worker(bootstrap, { eval: true, resourceLimits }));
}

interface WorkerReply<T> {
  ok: boolean;
  result?: T;
  message?: string;
  /** Set when a line read again differs from the scan's (the file changed during the review). */
  changedFile?: string;
  /** Set when a partition's flagged users have more events than a worker can keep, with the longest of their lines. */
  tooLarge?: boolean;
  longestLine?: number;
  /** The code and path of a file system error. */
  code?: string;
  path?: string;
}

/** Returns the path, or the first folder above it, that exists but is not a folder. */
function fileAbove(path: string): string {
  for (let at = path; at !== dirname(at); at = dirname(at)) {
    if (existsSync(at)) return statSync(at).isDirectory() ? path : at;
  }
  return path;
}

/**
 * Turns a file system error on the review's temporary files or its input into a user error: a
 * full disk or a folder that cannot be written is not a bug.
 */
export function fileSystemError(code: string, path: string, message: string, spillDir = tmpdir()): UserError {
  // Only the spill folder is written; any other path is an input, or part of the installation.
  if (!path.startsWith(spillDir)) {
    return new UserError(`the sign-in review could not read a file: ${message}`, 'check that the file exists and can be read, and that nothing moves or deletes it during the review');
  }
  const elsewhere = "set TMPDIR to a writable folder with room for a tenth of the log's size";
  let fix = `free space in ${tmpdir()}, or ${elsewhere}`;
  if (code === 'ENOENT') fix = `create the folder ${tmpdir()}, or ${elsewhere}`;
  else if (code === 'ENOTDIR') fix = `${elsewhere}; ${fileAbove(tmpdir())} is not a folder`;
  else if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') fix = elsewhere;
  return new UserError(`the sign-in review could not write its temporary files: ${message}`, fix);
}

/** Bytes the in-memory reader decodes at a time (its read stream's chunk size). */
const DECODE_BLOCK = 1 << 20;

/**
 * Returns true when the in-memory reader would stop at bytes that are not UTF-8 before it parses the
 * line whose content ends at byte `contentEnd` of the file. That reader decodes the file in blocks of
 * DECODE_BLOCK bytes, and parses the lines that end in a block only after decoding it. It parses the
 * last line, which has no newline, after the whole file. Decoding here starts at `from`, a line start
 * before which the workers found every byte valid, and keeps the reader's block boundaries.
 */
async function encodingStopsFirst(file: string, from: number, contentEnd: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    // The newline that ends the line: after the content, or after a carriage return.
    const after = Buffer.alloc(2);
    const { bytesRead } = await handle.read(after, 0, 2, contentEnd);
    let newline = -1;
    if (after[0] === 0x0a) newline = contentEnd;
    else if (bytesRead === 2 && after[0] === 0x0d && after[1] === 0x0a) newline = contentEnd + 1;
    const end = newline < 0 ? size : Math.min(size, (Math.floor(newline / DECODE_BLOCK) + 1) * DECODE_BLOCK);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const block = Buffer.allocUnsafe(DECODE_BLOCK);
    try {
      for (let position = from; position < end; ) {
        const length = Math.min(end, (Math.floor(position / DECODE_BLOCK) + 1) * DECODE_BLOCK) - position;
        const read = (await handle.read(block, 0, length, position)).bytesRead;
        if (read === 0) break;
        decoder.decode(block.subarray(0, read), { stream: true });
        position += read;
      }
      // The last line is parsed after the reader's final decode, which rejects a cut character.
      if (newline < 0) decoder.decode();
    } catch {
      return true;
    }
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * Sends a task and waits for its reply. A worker that dies (out of memory, a crash) rejects the
 * pending task through the handler that `startWorker` attaches, rather than killing the process.
 */
function runOnWorker<T>(worker: Worker, task: ScanTask | ScanEndTask | DetectTask): Promise<T> {
  return new Promise((resolve, reject) => {
    pending.set(worker, reject);
    worker.once('message', (reply: WorkerReply<T>) => {
      pending.delete(worker);
      if (reply.ok) resolve(reply.result as T);
      else if (reply.tooLarge) reject(new WorkerOutOfMemory(reply.message, reply.longestLine));
      else if (reply.changedFile) reject(new UserError(`${reply.changedFile} changed while it was reviewed`, 'review a copy of the log that nothing writes to (the review reads some lines twice)'));
      else if (reply.code && reply.path) reject(fileSystemError(reply.code, reply.path, reply.message ?? '', task.phase === 'scan-end' ? undefined : task.spillDir));
      else reject(new Error(`sign-in review worker failed: ${reply.message}`));
    });
    worker.postMessage(task);
  });
}

const pending = new WeakMap<Worker, (error: Error) => void>();

/** A worker hit its heap limit: one user's flagged events did not fit. */
class WorkerOutOfMemory extends Error {
  constructor(
    message = 'one user has more sign-ins than a review worker can keep in memory',
    readonly longestLine = 0,
  ) {
    super(message);
  }
}

function watchWorker(worker: Worker): Worker {
  worker.on('error', (error: Error) => {
    const reject = pending.get(worker);
    pending.delete(worker);
    if ((error as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') reject?.(new WorkerOutOfMemory());
    else reject?.(new Error(`a sign-in review worker failed: ${error.message}`));
  });
  return worker;
}

/**
 * Returns where to cut a file of `size` bytes into ranges: RANGE_BYTES each, then a tail of a
 * quarter of that size, so that the workers, which take ranges from a queue, finish close together.
 */
export function cutPoints(size: number, workers: number): number[] {
  const tail = Math.min(size, workers * RANGE_BYTES);
  const head = size - tail;
  const cuts: number[] = [];
  const headParts = Math.ceil(head / RANGE_BYTES);
  for (let part = 1; part <= headParts; part++) cuts.push(Math.floor((head * part) / headParts));
  const tailParts = Math.max(workers, Math.ceil(tail / (RANGE_BYTES / 4)));
  for (let part = 1; part <= tailParts; part++) cuts.push(head + Math.floor((tail * part) / tailParts));
  return cuts;
}

/** Splits a file into ranges that end at the first line end at or after each cut point. */
function splitFile(file: string, size: number, cuts: number[], firstId: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  const fd = openSync(file, 'r');
  const probe = Buffer.allocUnsafe(1 << 16);
  try {
    // A UTF-8 byte-order mark (Windows PowerShell writes one) is not part of the first line.
    const head = probe.subarray(0, readSync(fd, probe, 0, 3, 0));
    let start = head.length === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
    for (let part = 0; part < cuts.length && start < size; part++) {
      let end = Math.max(cuts[part]!, start);
      if (end < size) {
        // Move the cut to just after the next newline.
        for (;;) {
          const read = readSync(fd, probe, 0, probe.length, end);
          if (read === 0) {
            end = size;
            break;
          }
          const newline = probe.subarray(0, read).indexOf(0x0a);
          if (newline !== -1) {
            end += newline + 1;
            break;
          }
          end += read;
        }
      }
      if (end > start) ranges.push({ id: firstId + ranges.length, file, start, end });
      start = end;
    }
  } finally {
    closeSync(fd);
  }
  return ranges;
}

export interface ParallelOptions extends ReviewOptions {
  /** Number of worker threads; defaults to the cores available. */
  workers?: number;
  /** Input bytes per partition (default 8 MiB); tests set it low to spread a small log over many partitions. */
  partitionBytes?: number;
}

/** Reviews plain (not gzip) NDJSON files with worker threads. Same result as reviewSignIns. */
export async function reviewNdjsonInParallel(files: string[], options: ParallelOptions = {}): Promise<ReviewResult> {
  const stamps = await Promise.all(files.map((file) => stat(file)));
  try {
    return await reviewInParallel(files, stamps, options);
  } catch (error) {
    // A line that only the in-memory reader reads, or a user too big for a worker: the in-memory
    // review gives the same result, at the cost of holding the log, so it takes over for logs of
    // moderate size.
    if (!(error instanceof NeedsInMemoryReview)) throw error;
    const totalBytes = stamps.reduce((sum, info) => sum + info.size, 0);
    if (totalBytes > IN_MEMORY_FALLBACK_BYTES) throw new UserError(`the sign-in review cannot run on worker threads: ${error.message}`, error.fix);
    const result = await reviewSignIns(files, { ...options, parallelFromBytes: Number.POSITIVE_INFINITY });
    // Said in the summary, which the text and JSON outputs show, rather than in a log line.
    result.summary.warnings = [...(result.summary.warnings ?? []), `the log was reviewed in memory rather than on worker threads, because ${error.message}`];
    return result;
  }
}

/**
 * Largest input the in-memory review takes over when the workers cannot review it. A 207 MB log took
 * about 500 MB of memory there, so this is estimated at 1 to 1.5 GB.
 */
const IN_MEMORY_FALLBACK_BYTES = 512 << 20;

/** The parallel review cannot give the in-memory result for this input; `fix` is the advice for a large one. */
class NeedsInMemoryReview extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** Throws when a file's size or modification time differs from the stamp taken at the start. */
async function assertUnchanged(files: string[], stamps: Stats[]): Promise<void> {
  for (const [index, file] of files.entries()) {
    const now = await stat(file).catch(() => null);
    const before = stamps[index]!;
    if (!now || now.size !== before.size || now.mtimeMs !== before.mtimeMs) {
      throw new UserError(`${file} changed while it was reviewed`, 'review a copy of the log that nothing writes to (the review reads some lines twice)');
    }
  }
}

async function reviewInParallel(files: string[], stamps: Stats[], options: ParallelOptions): Promise<ReviewResult> {
  const workerCount = Math.max(1, options.workers ?? Math.min(availableParallelism(), 8));
  const sizes = stamps.map((info) => info.size);
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  const partitions = workerCount * Math.max(1, Math.ceil(totalBytes / (options.partitionBytes ?? PARTITION_BYTES) / workerCount));

  const ranges: ByteRange[] = [];
  files.forEach((file, index) => ranges.push(...splitFile(file, sizes[index]!, cutPoints(sizes[index]!, workerCount), ranges.length)));
  const spillDir = await mkdtemp(join(tmpdir(), 'tokengap-signins-')).catch((error: NodeJS.ErrnoException) => {
    throw fileSystemError(error.code ?? 'error', error.path ?? tmpdir(), error.message);
  });
  // Ctrl-C or a kill skips the finally below; the spill files (user ids) must not stay behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    rmSync(spillDir, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const workers = Array.from({ length: workerCount }, startWorker);
  const started = performance.now();
  const reviewUsers = [...(options.engagement?.breakGlassAccounts ?? []), ...(options.timelineUsers ?? [])].map((user) => user.toLowerCase());
  try {
    // One ASN table for all workers, loaded here while they start (a quarter of a second each otherwise).
    const asnTable = options.enricher !== false ? sharedAsnTable() : undefined;
    const scanTask = (index: number, scanRanges: ByteRange[], first = false): ScanTask => ({
      phase: 'scan',
      worker: index,
      ranges: scanRanges,
      spillDir,
      partitions,
      since: options.since?.toISOString() ?? null,
      until: options.until?.toISOString() ?? null,
      users: options.users && options.users.length > 0 ? options.users : null,
      useDatabase: options.enricher !== false,
      skipBadRecords: Boolean(options.skipBadRecords),
      reviewUsers,
      ...(first && asnTable ? { asnTable } : {}),
    });
    // Each worker's first task (an empty scan) hands it the ASN table and opens its country
    // database (8 MB, the only part each loads itself), all at once.
    const ready = workers.map((worker, index) => runOnWorker<ScanResult>(worker, scanTask(index, [], true)));
    let recordsRead = 0;
    const scans = await runQueue<ByteRange, ScanResult>(
      workers,
      ranges,
      (range, index) => scanTask(index, [range]),
      (scan) => {
        if (scan.badEncoding) return true;
        recordsRead += scan.ranges.reduce((count, range) => count + range.records, 0);
        options.onProgress?.(recordsRead);
        return scan.error !== undefined || scan.inMemoryOnly !== undefined;
      },
      ready,
    );
    const spills = await Promise.all(workers.map((worker) => runOnWorker<ScanEndResult>(worker, { phase: 'scan-end' })));

    // Line and record numbers of each range are relative to its start until the previous ranges of the file are counted.
    const offsets = new Map<number, { file: string; lines: number; records: number }>();
    const counts = new Map(scans.flatMap((scan) => scan.ranges).map((range) => [range.id, range]));
    const running = new Map<string, { lines: number; records: number }>();
    for (const range of ranges) {
      const before = running.get(range.file) ?? { lines: 0, records: 0 };
      offsets.set(range.id, { file: range.file, ...before });
      const count = counts.get(range.id) ?? { lines: 0, records: 0 };
      running.set(range.file, { lines: before.lines + count.lines, records: before.records + count.records });
    }
    const firstError = scans
      .map((scan) => scan.error)
      .filter((error) => error !== undefined)
      .sort((a, b) => a.range - b.range || a.line - b.line)[0];
    // The first problem in the input's order, as the in-memory reader meets it. Ranges are in input
    // order, and every range before the first failing one was read whole and found valid.
    const badEncoding = scans.filter((scan) => scan.badEncoding).sort((a, b) => a.badEncodingRange! - b.badEncodingRange!)[0];
    const rangeIndex = (id: number): number => ranges.findIndex((range) => range.id === id);
    const errorRange = firstError ? ranges[rangeIndex(firstError.range)]! : null;
    if (badEncoding && (!errorRange || rangeIndex(badEncoding.badEncodingRange!) < ranges.indexOf(errorRange))) {
      throw new InputError({ file: badEncoding.badEncoding! }, 'the file is not valid UTF-8 or UTF-16 text', 'a text export', ENCODING_FIX);
    }
    if (errorRange && (await encodingStopsFirst(errorRange.file, errorRange.start, firstError!.contentEnd))) {
      throw new InputError({ file: errorRange.file }, 'the file is not valid UTF-8 or UTF-16 text', 'a text export', ENCODING_FIX);
    }
    const inMemoryOnly = scans
      .map((scan) => scan.inMemoryOnly)
      .filter((position) => position !== undefined)
      .sort((a, b) => a.range - b.range || a.line - b.line)[0];
    if (inMemoryOnly) {
      // Line numbers count from the range's start until the previous ranges of the file are added.
      const offset = offsets.get(inMemoryOnly.range)!;
      throw new NeedsInMemoryReview(`line ${offset.lines + inMemoryOnly.line} of ${offset.file} contains a whole Graph page`, 'write one sign-in per line (NDJSON), or give the log as a JSON document');
    }
    if (firstError) {
      // A line that is cut or rewritten mid-review reads as a bad record; report the change instead.
      await assertUnchanged(files, stamps);
      const offset = offsets.get(firstError.range)!;
      const location = { file: offset.file, line: offset.lines + firstError.line, record: offset.records + firstError.record };
      // Worded as the in-memory reader words it.
      if (firstError.json) {
        throw new InputError(location, `record ${location.record} is not valid JSON: ${firstError.problem}`, firstError.expected, 'fix or remove the record, or run again with --skip-bad-records');
      }
      throw new InputError(location, firstError.problem, firstError.expected, 'fix or remove the record, or run again with --skip-bad-records to count and skip such records');
    }

    const callerAudits = spillAudits(options.audits ?? [], spillDir, options);
    const auditFiles = [...workers.map((_, worker) => `w${worker}-audits.bin`), ...(callerAudits ? [callerAudits] : [])];
    const scanned = performance.now();
    // Partitions go out in groups, about 16 per worker in all, so that a worker keeps its input
    // files open across a group and the queue still evens out the end.
    const groupSize = Math.max(1, Math.floor(partitions / (workerCount * 16)));
    const groups = Array.from({ length: Math.ceil(partitions / groupSize) }, (_, group) =>
      Array.from({ length: Math.min(groupSize, partitions - group * groupSize) }, (_, k) => group * groupSize + k),
    );
    const rangeFiles = Object.fromEntries(ranges.map((range) => [range.id, range.file]));
    const detected = await runQueue<number[], ReviewResult[]>(workers, groups, (group) => ({
      phase: 'detect',
      partitions: group,
      workers: workerCount,
      spillDir,
      engagement: options.engagement ?? null,
      settings: options.settings,
      timelineUsers: options.timelineUsers,
      useDatabase: options.enricher !== false,
      rangeFiles,
      auditFiles,
      reviewUsers,
      // Each partition's blocks in every worker's event and fact files.
      blocks: Object.fromEntries(group.map((partition) => [partition, spills.map((spill) => spill.blocks[partition] ?? [])])),
      factBlocks: Object.fromEntries(group.map((partition) => [partition, spills.map((spill) => spill.factBlocks[partition] ?? [])])),
    }));

    log.debug({ workers: workerCount, partitions, totalBytes, scanMs: Math.round(scanned - started), detectMs: Math.round(performance.now() - scanned) }, 'parallel sign-in review');
    const stats = readStats(files, scans, offsets);
    const loadedAudits = (options.audits ?? []).filter((audit) => inPeriod(audit.activityDateTime, options)).length;
    const result = mergeReviewResults(detected.flat(), stats, scans.reduce((sum, scan) => sum + scan.audits, 0) + loadedAudits, {
      since: options.since?.toISOString() ?? null,
      until: options.until?.toISOString() ?? null,
      users: (options.users ?? []).map((user) => user.toLowerCase()),
    });
    for (const alert of result.alerts) resolveSources(alert, offsets);
    // Flagged users' lines were read twice; a file edited in between would mix two versions.
    await assertUnchanged(files, stamps);
    return result;
  } catch (error) {
    if (error instanceof WorkerOutOfMemory) {
      const fix =
        error.longestLine > MAX_REVIEWED_BYTES
          ? 'remove or shorten that record (no sign-in Graph writes is that long), or review the log as a JSON document'
          : "review that user's sign-ins apart (--user), or split the log by time (--since, --until)";
      throw new NeedsInMemoryReview(error.message, fix);
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await Promise.all(workers.map((worker) => worker.terminate()));
    await rm(spillDir, { recursive: true, force: true });
  }
}

function inPeriod(time: string, options: ReviewOptions): boolean {
  return !(options.since && time < options.since.toISOString()) && !(options.until && time > options.until.toISOString());
}

/**
 * Writes the audit events the caller already loaded (a snapshot's directoryAudits) that the
 * detections read to one file for the workers. Returns its name, or null when there are none.
 */
function spillAudits(audits: AuditEvent[], spillDir: string, options: ReviewOptions): string | null {
  const forDetections = audits.filter((audit) => auditForDetections(audit) && inPeriod(audit.activityDateTime, options));
  if (forDetections.length === 0) return null;
  const writer = new CompactWriter(join(spillDir, 'audits.bin'), 64 << 10);
  try {
    for (const audit of forDetections) writer.writeAudit(audit);
  } finally {
    writer.close();
  }
  return 'audits.bin';
}

function resolveSources(alert: Alert, offsets: Map<number, { file: string; lines: number; records: number }>): void {
  for (const event of alert.events) {
    if (!event.source?.file.startsWith('\u0002')) continue;
    const offset = offsets.get(Number(event.source.file.slice(1)))!;
    event.source = { file: offset.file, line: (event.source.line ?? 0) + offset.lines, record: (event.source.record ?? 0) + offset.records };
  }
}

function readStats(files: string[], scans: ScanResult[], offsets: Map<number, { file: string; lines: number; records: number }>): ReadStats {
  const stats = newReadStats();
  for (const file of files) {
    const entry = { file, format: 'ndjson' as const, records: 0, signIns: 0, audits: 0, ignored: 0, skipped: 0 };
    for (const scan of scans) {
      for (const range of scan.ranges) if (offsets.get(range.id)?.file === file) entry.records += range.records;
      const counts = scan.files[file];
      if (!counts) continue;
      entry.signIns += counts.signIns;
      entry.audits += counts.audits;
      entry.ignored += counts.ignored;
      entry.skipped += counts.skipped;
    }
    stats.files.push(entry);
  }
  for (const scan of scans) {
    for (const [reason, count] of Object.entries(scan.ignored)) stats.ignoredByReason[reason] = (stats.ignoredByReason[reason] ?? 0) + count;
    for (const skip of scan.skipped) {
      if (stats.skippedExamples.length >= 20) break;
      const offset = offsets.get(skip.range)!;
      stats.skippedExamples.push({ location: { file: offset.file, line: offset.lines + skip.line, record: offset.records + skip.record }, problem: skip.problem });
    }
  }
  return stats;
}
