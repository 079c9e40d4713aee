import { Readable } from 'node:stream';

import { CsvError, parse as parseCsv } from 'csv-parse';

import { toTerminalField } from '../cli/terminal.js';
import { InputError, type InputLocation } from '../errors.js';
import type { AuditEvent, SignInEvent } from './event.js';
import { readLines, readTextChunks } from './input.js';
import { splitJsonRecords } from './json-records.js';
import { BadRecordError, normaliseRecord, RECORD_KIND_KEYS } from './normalise.js';

export const INPUT_FORMATS = ['auto', 'json', 'ndjson', 'csv'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export interface ReadOptions {
  /** `auto` (the default) detects the format from the file's content. */
  format?: InputFormat;
  /** Count and skip records that cannot be read instead of stopping at the first one. */
  skipBadRecords?: boolean;
  /** Receives counts of what was read and skipped; the caller owns it so counts survive an early stop. */
  stats?: ReadStats;
}

export interface ReadStats {
  files: { file: string; format: Exclude<InputFormat, 'auto'>; records: number; signIns: number; audits: number; ignored: number; skipped: number }[];
  /** Up to 20 skipped records with the reason, for the report; the count is in `files`. */
  skippedExamples: { location: InputLocation; problem: string }[];
  /** Valid records that are not user sign-ins or audits, by reason (service principal sign-ins, ...). */
  ignoredByReason: Record<string, number>;
}

export function newReadStats(): ReadStats {
  return { files: [], skippedExamples: [], ignoredByReason: {} };
}

export type LogRecord = { kind: 'signIn'; event: SignInEvent } | { kind: 'audit'; event: AuditEvent };

interface RawRecord {
  value?: unknown;
  /** Set when the record's own text failed to parse. */
  parseError?: string;
  line?: number;
  index: number;
}

/** Streams the user sign-ins of the files, in file order and record order within each file. */
export async function* readSignIns(files: string[], options: ReadOptions = {}): AsyncIterable<SignInEvent> {
  for await (const record of readLogRecords(files, options)) if (record.kind === 'signIn') yield record.event;
}

/**
 * Streams sign-ins and directory audit events of the files. A record that cannot be read stops the
 * stream with an InputError naming file, line and record, unless `skipBadRecords` is set.
 */
export async function* readLogRecords(files: string[], options: ReadOptions = {}): AsyncIterable<LogRecord> {
  const stats = options.stats ?? newReadStats();
  for (const file of files) {
    const format = options.format && options.format !== 'auto' ? options.format : await detectFormat(file);
    const fileStats = { file, format, records: 0, signIns: 0, audits: 0, ignored: 0, skipped: 0 };
    stats.files.push(fileStats);
    const skip = (location: InputLocation, problem: string, error: InputError): void => {
      if (!options.skipBadRecords) throw error;
      fileStats.skipped++;
      if (stats.skippedExamples.length < 20) stats.skippedExamples.push({ location, problem });
    };

    for await (const raw of rawRecords(file, format, skip, options.format === 'csv')) {
      const location: InputLocation = { file, ...(raw.line !== undefined ? { line: raw.line } : {}), record: raw.index };
      fileStats.records++;
      if (raw.parseError !== undefined) {
        const error = new InputError(location, `record ${raw.index} is not valid JSON: ${raw.parseError}`, 'one JSON object per record', 'fix or remove the record, or run again with --skip-bad-records');
        skip(location, raw.parseError, error);
        continue;
      }
      let normalised;
      try {
        normalised = normaliseRecord(raw.value);
      } catch (error) {
        if (!(error instanceof BadRecordError)) throw error;
        skip(location, error.problem, error.toInputError(location));
        continue;
      }
      const source = { file, ...(raw.line !== undefined ? { line: raw.line } : {}), record: raw.index };
      if (normalised.kind === 'ignored') {
        fileStats.ignored++;
        stats.ignoredByReason[normalised.reason] = (stats.ignoredByReason[normalised.reason] ?? 0) + 1;
        continue;
      }
      normalised.event.source = source;
      if (normalised.kind === 'signIn') fileStats.signIns++;
      else fileStats.audits++;
      yield normalised;
    }
  }
}

/**
 * Detects the format from the first characters: `[` is a JSON array, `{` is NDJSON when the first
 * line is a whole JSON object (and a Graph page or batch otherwise), anything else is CSV.
 */
export async function detectFormat(file: string): Promise<Exclude<InputFormat, 'auto'>> {
  // At least 64 KiB, and on to the end of the first line that is not blank, so that NDJSON with a
  // long first record (a huge user agent) is still read as NDJSON. A first line longer than 64 MiB
  // counts as one JSON document.
  const pieces: string[] = [];
  let length = 0;
  let started = false;
  let lineEnded = false;
  for await (const chunk of readTextChunks(file)) {
    pieces.push(chunk);
    length += chunk.length;
    const from = started ? 0 : chunk.search(/\S/);
    if (from !== -1) {
      started = true;
      lineEnded ||= chunk.indexOf('\n', from) !== -1;
    }
    if ((lineEnded && length >= 1 << 16) || length >= MAX_FIRST_LINE) break;
  }
  const head = pieces.join('');

  const start = head.search(/\S/);
  if (start === -1) {
    throw new InputError({ file }, 'the file contains only white space', 'a sign-in or audit log export', 'export the logs again');
  }

  const first = head[start];
  if (first === '<') {
    throw new InputError(
      { file, line: countNewlines(head, start) + 1 },
      'the file starts with `<`, so it is an HTML or XML page (often an error page saved in place of the export)',
      NOT_A_LOG_EXPECTED,
      'open the file to read the error it contains, then export or download the logs again',
    );
  }
  if (first === '[') return 'json';
  if (first !== '{') return 'csv';

  const lineEnd = head.indexOf('\n', start);
  const firstLine = lineEnd === -1 ? head.slice(start) : head.slice(start, lineEnd);
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(firstLine) as Record<string, unknown>;
  } catch {
    return 'json';
  }
  rejectErrorResponse(value, file);

  // A one-line Graph page is a document, not one NDJSON record.
  if (lineEnd === -1 && (Array.isArray(value.value) || Array.isArray(value.records) || '@odata.context' in value)) return 'json';
  return 'ndjson';
}

/** Characters of a first line beyond which format detection stops reading. */
const MAX_FIRST_LINE = 64 << 20;

const NOT_A_LOG_EXPECTED = 'a sign-in or audit log export: Graph JSON, NDJSON, a Sentinel JSON export or a Log Analytics CSV';

/** Rejects a saved API error response (`{ "error": { "code", "message" } }`), which contains no records. */
function rejectErrorResponse(value: unknown, file: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const error = (value as Record<string, unknown>).error;
  if (error === null || typeof error !== 'object' || RECORD_KIND_KEYS.some((key) => key in value)) return;
  const { code, message } = error as Record<string, unknown>;
  const errorText = [code, message].filter((part) => typeof part === 'string').join(': ');
  throw new InputError(
    { file, line: 1 },
    `the file contains an API error response${errorText ? ` (${toTerminalField(errorText.slice(0, 200))})` : ''}, not sign-in records`,
    NOT_A_LOG_EXPECTED,
    'fix the cause the error names (often a missing AuditLog.Read.All permission), then export the logs again',
  );
}

type SkipHandler = (location: InputLocation, problem: string, error: InputError) => void;

async function* rawRecords(file: string, format: Exclude<InputFormat, 'auto'>, skip: SkipHandler, forcedCsv: boolean): AsyncGenerator<RawRecord> {
  if (format === 'json') {
    for await (const record of splitJsonRecords(readTextChunks(file), file)) {
      yield parseRecord(record.text, record.index, record.line);
    }
    return;
  }
  if (format === 'ndjson') {
    let index = 0;
    for await (const { text, line } of readLines(readTextChunks(file))) {
      if (text.trim() === '') continue;
      const raw = parseRecord(text, index, line);
      // A Graph page written as one NDJSON line (some exporters write each page as a line).
      const page = raw.value as Record<string, unknown> | undefined;
      const inner = page && !Array.isArray(page) && typeof page === 'object' ? (page.value ?? page.records) : undefined;
      if (Array.isArray(inner)) {
        for (const item of inner) yield { value: item, line, index: index++ };
        continue;
      }
      yield raw;
      index++;
    }
    return;
  }
  yield* csvRecords(file, skip, forcedCsv);
}

function parseRecord(text: string, index: number, line: number): RawRecord {
  try {
    return { value: JSON.parse(text), line, index };
  } catch (error) {
    const located = locateSyntaxError(text, (error as Error).message);
    return { parseError: located.problem, line: line + located.lineOffset, index };
  }
}

const TRAILING_COMMA = /,(\s*)[\]}]/g;

/**
 * Finds the line of a JSON syntax error inside a record. V8 names a position for some errors
 * ("at position N") but not for an unexpected token, so a trailing comma, the commonest error in
 * hand-edited and documentation JSON, is searched for outside strings.
 */
export function locateSyntaxError(text: string, message: string): { problem: string; lineOffset: number } {
  const position = /position (\d+)/.exec(message);
  if (position) return { problem: message, lineOffset: countNewlines(text, Number(position[1])) };
  const stripped = text.replace(/"(?:[^"\\]|\\.)*"/g, (match) => ' '.repeat(match.length));
  TRAILING_COMMA.lastIndex = 0;
  const comma = TRAILING_COMMA.exec(stripped);
  if (comma) return { problem: `a trailing comma before "${stripped[comma.index + 1 + comma[1]!.length]}"`, lineOffset: countNewlines(text, comma.index) };
  return { problem: message.replace(/\s+/g, ' '), lineOffset: 0 };
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < Math.min(end, text.length); i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}

/**
 * Reads a Log Analytics CSV export. Portal headers carry a unit suffix such as
 * `TimeGenerated [UTC]`, which is removed so the columns match the table schema. A header with
 * none of the columns a record is recognised by stops the read: any one-line text file parses as
 * a CSV header with no rows, and must not pass as an empty log.
 */
async function* csvRecords(file: string, skip: SkipHandler, forced: boolean): AsyncGenerator<RawRecord> {
  let header: string[] | null = null;
  const parser = Readable.from(readTextChunks(file)).pipe(
    parseCsv({
      columns: (names: string[]) => (header = names.map((name) => name.replace(/\s*\[[^\]]*\]\s*$/, '').trim())),
      info: true,
      relax_column_count: false,
      skip_empty_lines: true,
      skip_records_with_error: false,
    }),
  );
  let index = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (index === 0) checkCsvHeader(header, file, forced);
      const row: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record)) if (value !== '') row[key] = value;
      yield { value: row, line: info.lines, index: index++ };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const location: InputLocation = { file, line: (error as unknown as { lines?: number }).lines ?? 1, record: index };
    // A CSV structure error (an unclosed quote, a wrong column count) leaves the parser unable to
    // find the next record reliably, so reading stops even with --skip-bad-records.
    const inputError = new InputError(
      location,
      `the CSV is malformed: ${error.message}`,
      'a CSV export with a header row and RFC 4180 quoting (quotes inside a field doubled)',
      forced
        ? 'the format was set with --format csv; run without --format to detect it from the content, or export the query results again as CSV'
        : 'export the query results again from Log Analytics, without editing them in a spreadsheet',
    );
    skip(location, error.message, inputError);
    return;
  }
  if (index === 0) checkCsvHeader(header, file, forced);
}

function checkCsvHeader(header: string[] | null, file: string, forced: boolean): void {
  if (header === null) return;
  const names = new Set(header.map((name) => name.toLowerCase()));
  if (RECORD_KIND_KEYS.some((key) => names.has(key.toLowerCase()))) return;
  const headerPreview = header.slice(0, 5).map((name) => JSON.stringify(name.slice(0, 40))).join(', ');
  throw new InputError(
    { file, line: 1 },
    `read as CSV, the header (${headerPreview}${header.length > 5 ? ', ...' : ''}) has none of the columns of a sign-in or audit log`,
    `${NOT_A_LOG_EXPECTED}; a CSV needs a header with columns such as CreatedDateTime, UserPrincipalName or Type`,
    forced ? 'check --format csv: run without --format to detect the format from the content' : 'check that this is the exported log and not an error page or another table, then export the logs again',
  );
}
