import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIPv4, isIPv6 } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';

import { Reader } from 'mmdb-lib';

import { log } from '../log.js';
import type { NetworkFacts, SignInEvent } from './event.js';

/**
 * Offline IP enrichment. Country from @ip-location-db/geo-whois-asn-country-mmdb (npm license
 * field CC0-1.0; built from RIR whois data that the NRO publishes under CC BY 4.0) read with
 * mmdb-lib; ASN and ASN name from @ip-location-db/asn (CC BY 4.0, RouteViews, RIR and DB-IP ASN
 * Lite data), a CSV of numeric ranges loaded on first use. Nothing is fetched at run time.
 * NOTE: the package maintainer warns that the data published to npm has known errors and that npm
 * updates will stop; treat database values as hints, and the log's own values win.
 */

const require = createRequire(import.meta.url);

export interface HostingList {
  asns: Map<number, string>;
  namePattern: RegExp;
}

/** Loads data/signins/hosting-asns.json from the package root. */
export function loadHostingList(): HostingList {
  const path = fileURLToPath(new URL('../../data/signins/hosting-asns.json', import.meta.url));
  const data = JSON.parse(readFileSync(path, 'utf8')) as { asns: { asn: number; name: string }[]; namePatterns: string[] };
  return {
    asns: new Map(data.asns.map((entry) => [entry.asn, entry.name])),
    namePattern: new RegExp(data.namePatterns.join('|'), 'i'),
  };
}

export interface AsnTable {
  starts: Float64Array;
  ends: Float64Array;
  asns: Uint32Array;
  /** One name per ASN: about 90,000 names for half a million ranges. */
  names: AsnNames;
}

/**
 * ASN names in a form that costs little to post to a worker thread and needs no map. `asns` lists
 * the ASNs in ascending order and `text` their names, each followed by a newline. `starts` gives
 * where each name starts, with one more entry for the end of the last.
 */
export interface AsnNames {
  asns: Uint32Array;
  starts: Uint32Array;
  text: string;
}

/** Returns the name of an ASN, or undefined when the table has none. */
export function asnName(names: AsnNames, asn: number): string | undefined {
  let low = 0;
  let high = names.asns.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const found = names.asns[mid]!;
    if (found === asn) return names.text.slice(names.starts[mid]!, names.starts[mid + 1]! - 1);
    if (found < asn) low = mid + 1;
    else high = mid - 1;
  }
  return undefined;
}

/** Sorts names by ASN into `AsnNames`. */
function namesFromMap(map: Map<number, string>): AsnNames {
  const asns = Uint32Array.from(map.keys()).sort();
  const starts = new Uint32Array(asns.length + 1);
  const parts: string[] = [];
  let length = 0;
  asns.forEach((asn, index) => {
    starts[index] = length;
    const name = `${map.get(asn)!.replace(/\n/g, ' ')}\n`;
    parts.push(name);
    length += name.length;
  });
  starts[asns.length] = length;
  return { asns, starts, text: parts.join('') };
}

export interface Enricher {
  /** Adds `network` to the event; returns the event for chaining. */
  enrich(event: SignInEvent): SignInEvent;
  isHostingAsn(asn: number | null | undefined, name?: string | null): boolean;
}

export interface EnricherOptions {
  /** Off in tests that need no database; the log's own country and ASN are still used. */
  useDatabase?: boolean;
  hosting?: HostingList;
  /** An ASN table another thread loaded (`sharedAsnTable`), so worker threads do not each parse the CSV files. */
  asnTable?: SharedAsnTable;
}

/** The ASN table in a form one thread can post to others: the ranges in shared memory, the names as one text. */
export type SharedAsnTable = AsnTable;

/** Loads the ASN table in this thread, for posting to worker threads. */
export function sharedAsnTable(): SharedAsnTable {
  return loadAsnTable();
}

/** Builds an enricher; the databases are opened lazily, on the first IP the log does not describe. */
export async function createEnricher(options: EnricherOptions = {}): Promise<Enricher> {
  const hosting = options.hosting ?? loadHostingList();
  const useDatabase = options.useDatabase ?? true;
  const countryReader = useDatabase ? openCountryDatabase() : null;
  const cache = new Map<string, { country: string | null; asn: number | null; asnName: string | null }>();
  const shared = options.asnTable;
  const fromCaller: AsnTable | undefined = shared;

  // The name pattern is a long alternation; ASN names repeat, so each is tested once.
  const hostingNames = new Map<string, boolean>();
  const isHostingAsn = (asn: number | null | undefined, name?: string | null): boolean => {
    if (asn === null || asn === undefined) return false;
    if (hosting.asns.has(asn)) return true;
    if (!name) return false;
    let known = hostingNames.get(name);
    if (known === undefined) {
      known = hosting.namePattern.test(name);
      if (hostingNames.size > 100_000) hostingNames.clear();
      hostingNames.set(name, known);
    }
    return known;
  };

  const lookup = (ip: string) => {
    let hit = cache.get(ip);
    if (hit) return hit;
    const countryRecord = countryReader && (isIPv4(ip) || isIPv6(ip)) ? countryReader.get(ip) : null;
    const range = useDatabase ? findAsn(fromCaller ?? loadAsnTable(), ip) : null;
    hit = { country: countryRecord?.country_code ?? null, asn: range?.asn ?? null, asnName: range?.name ?? null };
    if (cache.size > 100_000) cache.clear();
    cache.set(ip, hit);
    return hit;
  };

  return {
    isHostingAsn,
    enrich(event) {
      const facts: NetworkFacts = {};
      const logCountry = event.location?.countryOrRegion || null;
      const logAsn = event.autonomousSystemNumber ?? null;
      const database = event.ipAddress && useDatabase ? lookup(event.ipAddress) : null;
      facts.country = logCountry ?? database?.country ?? null;
      facts.asn = logAsn ?? database?.asn ?? null;
      facts.asnName = database && (logAsn === null || logAsn === database.asn) ? database.asnName : hosting.asns.get(facts.asn ?? -1) ?? null;
      facts.hosting = isHostingAsn(facts.asn, facts.asnName);
      // No array for the common case of agreement: this runs for every event of a large log.
      if (logCountry && database?.country && logCountry.toUpperCase() !== database.country.toUpperCase()) {
        (facts.disagreements ??= []).push(`country: log ${logCountry}, database ${database.country}`);
      }
      if (logAsn !== null && database?.asn && logAsn !== database.asn) (facts.disagreements ??= []).push(`asn: log ${logAsn}, database ${database.asn}`);
      event.network = facts;
      return event;
    },
  };
}

interface CountryRecord {
  country_code?: string;
}

function openCountryDatabase(): { get(ip: string): CountryRecord | null } {
  const path = require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
  return new Reader(readFileSync(path)) as unknown as { get(ip: string): CountryRecord | null };
}

let asnTable: AsnTable | undefined;

const ASN_FILES = ['asn-ipv4-num.csv', 'asn-ipv6-num.csv'];

/**
 * Loads the IPv4 and IPv6 ASN ranges once per process, on the first lookup. The binary cache is read
 * when it matches the installed CSV files (about 50 ms). Otherwise the CSV files are parsed (about 0.5
 * million rows, a third of a second) and the cache is written for the next run.
 */
function loadAsnTable(): AsnTable {
  if (asnTable) return asnTable;
  const sources = asnSourceFiles();
  const stamp = asnSourceStamp(sources);
  const cacheFile = asnCacheFile();
  const cached = readAsnCache(cacheFile, stamp);
  asnTable = cached ?? parseAsnFiles(sources);
  if (!cached) writeAsnCache(cacheFile, stamp, asnTable);
  return asnTable;
}

export function asnSourceFiles(): string[] {
  return ASN_FILES.map((file) => require.resolve(`@ip-location-db/asn/${file}`));
}

/** Names the CSV files' sizes and times, so that an updated package makes the cache stale. */
export function asnSourceStamp(sources: string[]): string {
  return JSON.stringify({ version: 1, files: sources.map((file) => [statSync(file).size, statSync(file).mtimeMs]) });
}

/**
 * Returns the cache file: with the installed packages (`node_modules/.cache/tokengap`, the usual
 * place for derived files) or in TOKENGAP_CACHE_DIR. It contains public ASN data only, never tenant data.
 */
function asnCacheFile(): string {
  const dir = process.env.TOKENGAP_CACHE_DIR || fileURLToPath(new URL('../../node_modules/.cache/tokengap/', import.meta.url));
  return join(dir, 'asn-table-v2.bin');
}

export function parseAsnFiles(sources: string[]): AsnTable {
  // The files are sorted by range start and IPv6 keys sit above IPv4 ones, so the two tables
  // concatenate in order. One file's text is held at a time to keep the peak heap small.
  const names = new Map<number, string>();
  const parts = sources.map((file, fileIndex) => parseAsnRanges(readFileSync(file, 'latin1'), fileIndex === 1, names));
  const total = parts.reduce((sum, part) => sum + part.rows, 0);
  const table = sharedTable(total, namesFromMap(names));
  let offset = 0;
  for (const part of parts) {
    table.starts.set(part.starts.subarray(0, part.rows), offset);
    table.ends.set(part.ends.subarray(0, part.rows), offset);
    table.asns.set(part.asns.subarray(0, part.rows), offset);
    offset += part.rows;
  }
  return table;
}

/** Arrays in shared memory, so that worker threads can use this thread's table without a copy. */
function sharedTable(rows: number, names: AsnNames): AsnTable {
  return {
    starts: new Float64Array(new SharedArrayBuffer(rows * 8)),
    ends: new Float64Array(new SharedArrayBuffer(rows * 8)),
    asns: new Uint32Array(new SharedArrayBuffer(rows * 4)),
    names,
  };
}

/*
 * Cache layout. A header: u32 length of the stamp, the stamp (JSON naming the CSV files' sizes and
 * times), u32 rows, u32 names, padding to 8 bytes. Then starts (f64 x rows), ends (f64 x rows), ASNs
 * (u32 x rows), the ASNs that have names in ascending order (u32 x names) and their names, one per
 * line, in UTF-8.
 */

export function readAsnCache(file: string, stamp: string): AsnTable | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  try {
    const stampLength = bytes.readUInt32LE(0);
    if (bytes.toString('utf8', 4, 4 + stampLength) !== stamp) return null;
    let at = 4 + stampLength;
    const rows = bytes.readUInt32LE(at);
    const nameCount = bytes.readUInt32LE(at + 4);
    at = align8(at + 8);
    if (bytes.length < at + rows * 20 + nameCount * 4) return null;
    const asns = new Uint32Array(nameCount);
    new Uint8Array(asns.buffer).set(bytes.subarray(at + rows * 20, at + rows * 20 + nameCount * 4));
    for (let index = 1; index < nameCount; index++) if (asns[index - 1]! >= asns[index]!) return null;
    const text = bytes.toString('utf8', at + rows * 20 + nameCount * 4);
    const starts = new Uint32Array(nameCount + 1);
    let start = 0;
    for (let index = 0; index < nameCount; index++) {
      starts[index] = start;
      const end = text.indexOf('\n', start);
      if (end === -1) return null;
      start = end + 1;
    }
    starts[nameCount] = start;
    const table = sharedTable(rows, { asns, starts, text: text.slice(0, start) });
    const copy = (target: Float64Array | Uint32Array, byteLength: number) => {
      new Uint8Array(target.buffer).set(bytes.subarray(at, at + byteLength));
      at += byteLength;
    };
    copy(table.starts, rows * 8);
    copy(table.ends, rows * 8);
    copy(table.asns, rows * 4);
    return table;
  } catch {
    // A cut or damaged cache is parsed again from the CSV files and rewritten.
    return null;
  }
}

export function writeAsnCache(file: string, stamp: string, table: AsnTable): void {
  try {
    const rows = table.starts.length;
    const stampBytes = Buffer.from(stamp, 'utf8');
    const head = Buffer.alloc(align8(4 + stampBytes.length + 8));
    head.writeUInt32LE(stampBytes.length, 0);
    stampBytes.copy(head, 4);
    head.writeUInt32LE(rows, 4 + stampBytes.length);
    head.writeUInt32LE(table.names.asns.length, 8 + stampBytes.length);
    const parts = [
      head,
      Buffer.from(table.starts.buffer, 0, rows * 8),
      Buffer.from(table.ends.buffer, 0, rows * 8),
      Buffer.from(table.asns.buffer, 0, rows * 4),
      Buffer.from(table.names.asns.buffer, table.names.asns.byteOffset, table.names.asns.byteLength),
      Buffer.from(table.names.text, 'utf8'),
    ];
    mkdirSync(dirname(file), { recursive: true });
    // Written whole under a temporary name, then renamed, so a reader never sees half a cache.
    const temporary = `${file}.${process.pid}.${threadId}.tmp`;
    writeFileSync(temporary, Buffer.concat(parts));
    renameSync(temporary, file);
  } catch (error) {
    // A read-only install works without the cache, only more slowly.
    log.debug({ error: (error as Error).message }, 'ASN cache not written');
  }
}

function align8(value: number): number {
  return Math.ceil(value / 8) * 8;
}

function parseAsnRanges(text: string, v6: boolean, names: Map<number, string>): { starts: Float64Array; ends: Float64Array; asns: Uint32Array; rows: number } {
  const capacity = countLines(text);
  const starts = new Float64Array(capacity);
  const ends = new Float64Array(capacity);
  const asns = new Uint32Array(capacity);
  let rows = 0;
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const first = text.indexOf(',', lineStart);
    const second = text.indexOf(',', first + 1);
    const third = text.indexOf(',', second + 1);
    if (first !== -1 && third !== -1 && third < lineEnd) {
      // IPv6 ranges are keyed by their value divided by 2^64, as a double past the IPv4 space.
      // A double keeps 53 bits, which is enough because ASN ranges are routed at /48 or wider.
      const start = Number(text.slice(lineStart, first));
      const end = Number(text.slice(first + 1, second));
      starts[rows] = v6 ? IPV4_SPACE + start / 2 ** 64 : start;
      ends[rows] = v6 ? IPV4_SPACE + end / 2 ** 64 : end;
      const asn = Number(text.slice(second + 1, third));
      asns[rows] = asn;
      if (!names.has(asn)) {
        const rawName = text.slice(third + 1, lineEnd).trim();
        const name = rawName.startsWith('"') ? rawName.slice(1, -1).replace(/""/g, '"') : rawName;
        // A copy, because a slice would keep the whole file text alive.
        names.set(asn, Buffer.from(name, 'latin1').toString('latin1'));
      }
      rows++;
    }
    lineStart = lineEnd + 1;
  }
  return { starts, ends, asns, rows };
}

function countLines(text: string): number {
  let count = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

const IPV4_SPACE = 2 ** 32;

function ipKey(ip: string): number | null {
  if (isIPv4(ip)) return ip.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
  if (!isIPv6(ip)) return null;
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  if (right.some((group) => group.includes('.')) || left.some((group) => group.includes('.'))) return null;
  const groups = tail === undefined ? left : [...left, ...new Array(8 - left.length - right.length).fill('0'), ...right];
  let value = 0n;
  for (const group of groups.slice(0, 4)) value = (value << 16n) | BigInt(parseInt(group || '0', 16));
  return IPV4_SPACE + Number(value);
}

function findAsn(table: AsnTable, ip: string): { asn: number; name: string } | null {
  const key = ipKey(ip);
  if (key === null) return null;
  let low = 0;
  let high = table.starts.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (table.starts[mid]! <= key) low = mid + 1;
    else high = mid - 1;
  }
  if (high < 0 || table.ends[high]! < key) return null;
  const asn = table.asns[high]!;
  return { asn, name: asnName(table.names, asn) ?? '' };
}
