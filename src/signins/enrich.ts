import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIPv4, isIPv6 } from 'node:net';
import { fileURLToPath } from 'node:url';

import { Reader } from 'mmdb-lib';

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

interface AsnTable {
  starts: Float64Array;
  ends: Float64Array;
  asns: Uint32Array;
  /** One name per ASN: about 80,000 names for half a million ranges. */
  names: Map<number, string>;
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

/** The ASN table in a form one thread can post to others: the ranges in shared memory, the names as two arrays. */
export interface SharedAsnTable {
  starts: Float64Array;
  ends: Float64Array;
  asns: Uint32Array;
  nameAsns: number[];
  names: string[];
}

/** Loads the ASN table in this thread, for posting to worker threads. */
export function sharedAsnTable(): SharedAsnTable {
  const table = loadAsnTable();
  return { starts: table.starts, ends: table.ends, asns: table.asns, nameAsns: [...table.names.keys()], names: [...table.names.values()] };
}

/** Builds an enricher; the databases are opened lazily, on the first IP the log does not describe. */
export async function createEnricher(options: EnricherOptions = {}): Promise<Enricher> {
  const hosting = options.hosting ?? loadHostingList();
  const useDatabase = options.useDatabase ?? true;
  const countryReader = useDatabase ? openCountryDatabase() : null;
  const cache = new Map<string, { country: string | null; asn: number | null; asnName: string | null }>();
  const shared = options.asnTable;
  const given: AsnTable | undefined = shared && {
    starts: shared.starts,
    ends: shared.ends,
    asns: shared.asns,
    names: new Map(shared.nameAsns.map((asn, index) => [asn, shared.names[index]!])),
  };

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
    const range = useDatabase ? findAsn(given ?? loadAsnTable(), ip) : null;
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
      const disagreements: string[] = [];
      if (logCountry && database?.country && logCountry.toUpperCase() !== database.country.toUpperCase()) {
        disagreements.push(`country: log ${logCountry}, database ${database.country}`);
      }
      if (logAsn !== null && database?.asn && logAsn !== database.asn) disagreements.push(`asn: log ${logAsn}, database ${database.asn}`);
      if (disagreements.length > 0) facts.disagreements = disagreements;
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

/**
 * Loads the IPv4 and IPv6 ASN ranges once per process, on the first lookup (about 0.5 million
 * rows; well under a second).
 */
function loadAsnTable(): AsnTable {
  if (asnTable) return asnTable;
  // The files are sorted by range start and IPv6 keys sit above IPv4 ones, so the two tables
  // concatenate in order. One file's text is held at a time to keep the peak heap small.
  const names = new Map<number, string>();
  const parts = ['asn-ipv4-num.csv', 'asn-ipv6-num.csv'].map((file, fileIndex) => {
    const text = readFileSync(require.resolve(`@ip-location-db/asn/${file}`), 'latin1');
    return parseAsnRanges(text, fileIndex === 1, names);
  });
  const total = parts.reduce((sum, part) => sum + part.rows, 0);
  // Shared memory, so that worker threads can use this thread's table without a copy.
  const table: AsnTable = {
    starts: new Float64Array(new SharedArrayBuffer(total * 8)),
    ends: new Float64Array(new SharedArrayBuffer(total * 8)),
    asns: new Uint32Array(new SharedArrayBuffer(total * 4)),
    names,
  };
  let offset = 0;
  for (const part of parts) {
    table.starts.set(part.starts.subarray(0, part.rows), offset);
    table.ends.set(part.ends.subarray(0, part.rows), offset);
    table.asns.set(part.asns.subarray(0, part.rows), offset);
    offset += part.rows;
  }
  asnTable = table;
  return table;
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
  return { asn, name: table.names.get(asn) ?? '' };
}
