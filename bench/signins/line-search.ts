/**
 * Per-line costs behind the choice of `JSON.parse` in phase 1 of the parallel review: parsing and
 * normalising a line against finding the needed top-level keys with native search.
 *
 *   node --import tsx bench/signins/line-search.ts FILE [LINES]     (default 20,000 lines)
 *
 * FILE is NDJSON of Graph beta signIns, such as the file `run.ts` generates. Each step runs five
 * times over the same lines in memory; the last round is printed, in nanoseconds per line.
 */
import { closeSync, openSync, readSync } from 'node:fs';

import { normaliseRecord } from '../../src/signins/normalise.js';

/** Top-level keys the parallel review reads from a Graph signIn. */
const KEYS = [
  'id', 'createdDateTime', 'userDisplayName', 'userPrincipalName', 'userId', 'appId', 'appDisplayName', 'ipAddress',
  'clientAppUsed', 'userAgent', 'conditionalAccessStatus', 'isInteractive', 'riskLevelDuringSignIn', 'riskState',
  'riskEventTypes_v2', 'resourceId', 'authenticationRequirement', 'autonomousSystemNumber', 'uniqueTokenIdentifier',
  'incomingTokenType', 'authenticationProtocol', 'sessionId', 'originalTransferMethod', 'status', 'location',
  'appliedConditionalAccessPolicies',
];

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: line-search.ts FILE [LINES]');
  const lineCount = Number(process.argv[3] ?? 20_000);
  // The lines needed sit at the start of the file, which may be larger than a Buffer can hold.
  const head = Buffer.allocUnsafe(Math.min(64 << 20, lineCount * 8192));
  const fd = openSync(file, 'r');
  const whole = head.subarray(0, readSync(fd, head, 0, head.length, 0));
  closeSync(fd);
  const lines: [number, number][] = [];
  for (let start = 0; lines.length < lineCount; ) {
    const end = whole.indexOf(0x0a, start);
    if (end < 0) break;
    lines.push([start, end]);
    start = end + 1;
  }
  const texts = lines.map(([start, end]) => whole.toString('utf8', start, end));
  const patterns = KEYS.map((key) => `"${key}":`);
  const bytePatterns = patterns.map((pattern) => Buffer.from(pattern));
  // Keys in the order of the first line, as the generated file writes every line in one order.
  const ordered = [...patterns].sort((a, b) => texts[0]!.indexOf(a) - texts[0]!.indexOf(b));
  const orderedBytes = ordered.map((pattern) => Buffer.from(pattern));

  const steps: [string, (index: number) => number][] = [
    ['JSON.parse', (index) => (JSON.parse(texts[index]!) as { id: string }).id.length],
    ['JSON.parse and the normaliser', (index) => (normaliseRecord(JSON.parse(texts[index]!)).kind === 'signIn' ? 1 : 0)],
    ['Buffer indexOf of each key from the line start', (index) => {
      let found = 0;
      for (const pattern of bytePatterns) if (whole.indexOf(pattern, lines[index]![0]) < lines[index]![1]) found++;
      return found;
    }],
    ['Buffer indexOf of each key, then again after the hit', (index) => {
      const [start, end] = lines[index]!;
      let once = 0;
      for (const pattern of bytePatterns) {
        const hit = whole.indexOf(pattern, start);
        const again = whole.indexOf(pattern, hit + 1);
        if (again < 0 || again >= end) once++;
      }
      return once;
    }],
    ['String indexOf of each key from the line start', (index) => {
      let found = 0;
      for (const pattern of patterns) if (texts[index]!.indexOf(pattern) >= 0) found++;
      return found;
    }],
    ['String indexOf of each key, then again after the hit', (index) => {
      let once = 0;
      for (const pattern of patterns) if (texts[index]!.indexOf(pattern, texts[index]!.indexOf(pattern) + 1) < 0) once++;
      return once;
    }],
    ['String indexOf in key order from the previous hit', (index) => {
      let position = 0;
      for (const pattern of ordered) {
        const hit = texts[index]!.indexOf(pattern, position);
        if (hit < 0) return 0;
        position = hit + pattern.length;
      }
      return 1;
    }],
    ['Buffer indexOf in key order from the previous hit', (index) => {
      let position = lines[index]![0];
      for (const pattern of orderedBytes) {
        const hit = whole.indexOf(pattern, position);
        if (hit < 0 || hit >= lines[index]![1]) return 0;
        position = hit + pattern.length;
      }
      return 1;
    }],
  ];

  console.log(`${lines.length} lines of ${file}`);
  for (const [name, step] of steps) {
    let nanoseconds = 0;
    let checksum = 0;
    for (let round = 0; round < 5; round++) {
      const started = process.hrtime.bigint();
      for (let index = 0; index < lines.length; index++) checksum += step(index);
      nanoseconds = Number(process.hrtime.bigint() - started) / lines.length;
    }
    // The checksum keeps the work from being optimised away.
    console.log(`${nanoseconds.toFixed(0).padStart(7)} ns/line  ${name}  (checksum ${checksum})`);
  }
}

main();
