/**
 * Per-line cost of the validating byte reader of Graph signIn lines, with its JavaScript check and
 * with its WebAssembly check, against `JSON.parse` and `fromGraphSignIn`, and the share of lines the
 * reader accepts.
 *
 *   node --import tsx bench/signins/line-scan.ts FILE [LINES]     (default 20,000 lines)
 *
 * FILE is NDJSON of Graph beta signIns, such as the file `run.ts` generates; only its head is read.
 * Each step runs five times over the same lines in memory, alternating between the steps, and the
 * best round of each is printed in nanoseconds per line.
 */
import { closeSync, openSync, readSync } from 'node:fs';

import { lineBuffer, readGraphSignInLine, usesWasm } from '../../src/signins/fast/graph-line.js';
import { fromGraphSignIn } from '../../src/signins/normalise.js';

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: line-scan.ts FILE [LINES]');
  const lineCount = Number(process.argv[3] ?? 20_000);
  // The lines needed sit at the start of the file, which may be larger than a Buffer can hold.
  const head = Buffer.allocUnsafe(Math.min(256 << 20, lineCount * 8192));
  const fd = openSync(file, 'r');
  const whole = head.subarray(0, readSync(fd, head, 0, head.length, 0));
  closeSync(fd);
  const starts: number[] = [];
  const ends: number[] = [];
  for (let start = 0; starts.length < lineCount; ) {
    const end = whole.indexOf(0x0a, start);
    if (end < 0) break;
    starts.push(start);
    ends.push(end);
    start = end + 1;
  }
  const lines = starts.length;
  const bytes = ends[lines - 1]! - starts[0]!;
  // The same bytes in the WebAssembly check's buffer, where the scan reads file chunks to.
  const inWasm = lineBuffer(whole.length);
  whole.copy(inWasm);

  // Both steps start from the bytes, as phase 1 of the parallel review does.
  const steps: [string, (index: number) => number][] = [
    ['JSON.parse and fromGraphSignIn', (index) => {
      const event = fromGraphSignIn(JSON.parse(whole.toString('utf8', starts[index], ends[index])) as Record<string, unknown>);
      return event.createdDateTime.length;
    }],
    ['readGraphSignInLine, JavaScript check', (index) => {
      const event = readGraphSignInLine(whole, starts[index]!, ends[index]!);
      return event === null ? 0 : event.createdDateTime.length;
    }],
  ];
  if (usesWasm()) {
    steps.push(['readGraphSignInLine, WebAssembly check', (index) => {
      const event = readGraphSignInLine(inWasm, starts[index]!, ends[index]!);
      return event === null ? 0 : event.createdDateTime.length;
    }]);
  }

  let accepted = 0;
  for (let index = 0; index < lines; index++) if (readGraphSignInLine(whole, starts[index]!, ends[index]!) !== null) accepted++;

  const best = steps.map(() => Infinity);
  const checksums = steps.map(() => 0);
  for (let round = 0; round < 5; round++) {
    steps.forEach(([, step], s) => {
      let checksum = 0;
      const started = process.hrtime.bigint();
      for (let index = 0; index < lines; index++) checksum += step(index);
      best[s] = Math.min(best[s]!, Number(process.hrtime.bigint() - started) / lines);
      // The checksum keeps the work from being optimised away.
      checksums[s] = checksum;
    });
  }

  console.log(`${lines} lines of ${file}, ${(bytes / lines).toFixed(0)} bytes a line, Node ${process.versions.node}`);
  steps.forEach(([name], s) => {
    console.log(`${best[s]!.toFixed(0).padStart(7)} ns/line  ${name}  (checksum ${checksums[s]})`);
  });
  console.log(`fast path taken by ${accepted} of ${lines} lines (${((100 * accepted) / lines).toFixed(2)}%)`);
}

main();
