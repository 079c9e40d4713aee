/**
 * Sign-in review benchmark: tokengap against DuckDB on the same generated Graph beta NDJSON file.
 *
 *   node --import tsx bench/signins/run.ts [EVENTS] [--roaming SHARE]
 *
 * EVENTS defaults to 1,000,000 (about 2 KB each). SHARE (0 to 1, default 0) puts that share of the
 * background users in a second office (220 km away, another network) every other day, so they get
 * the full detections.
 *
 * Each engine runs in its own child process so its peak RSS is its own. tokengap runs the whole
 * review (every detection, enrichment, summary); DuckDB runs the device-code and session-replay
 * queries with explicit column types on all cores. The run also checks that tokengap finds every
 * injected attack and raises no alert for the background users.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { generateSignIns, type InjectedAttack } from './generate.js';

const here = fileURLToPath(new URL('.', import.meta.url));

interface Measure {
  ms: number;
  maxRssMb: number;
  detail: Record<string, unknown>;
}

async function child(mode: string, file: string): Promise<Measure> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'measure.ts'), mode, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`${mode} run failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Measure;
}

async function main(): Promise<void> {
  // Build first, so the benchmark measures the compiled code the CLI ships.
  spawnSync(process.execPath, [join(here, '..', '..', 'scripts', 'build-wasm.mjs')], { stdio: 'inherit' });
  spawnSync(process.execPath, [join(here, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(here, '..', '..', 'tsconfig.build.json')], { stdio: 'inherit' });
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { roaming: { type: 'string', default: '0' } } });
  const events = Number(positionals[0] ?? 1_000_000);
  // Share of background users in two offices. Each such user gets the full detections.
  const roamingShare = Number(values.roaming);
  if (!(roamingShare >= 0 && roamingShare <= 1)) throw new Error('--roaming takes a share between 0 and 1, such as 0.2');
  const dir = join(tmpdir(), 'tokengap-bench-signins');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `signins-${events}${roamingShare > 0 ? `-roaming${Math.round(roamingShare * 100)}` : ''}.ndjson`);
  const manifest = `${file}.attacks.json`;
  let attacks: InjectedAttack[];
  if (existsSync(file) && existsSync(manifest)) {
    attacks = JSON.parse(readFileSync(manifest, 'utf8')) as InjectedAttack[];
  } else {
    const started = Date.now();
    const generated = await generateSignIns(file, events, 10, { roamingShare });
    attacks = generated.attacks;
    writeFileSync(manifest, JSON.stringify(attacks));
    console.log(`generated ${generated.events} events, ${(generated.bytes / 2 ** 20).toFixed(0)} MiB, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const size = statSync(file).size;
  const lines = events;

  // Warm the page cache so both engines read from memory.
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
  const tokengap = await child('tokengap', file);
  const duckdb = await child('duckdb', file);

  const alerts = tokengap.detail.alertsByUser as Record<string, string[]>;
  const missing: string[] = [];
  for (const attack of attacks) {
    for (const detection of attack.expected) if (!(alerts[attack.user] ?? []).includes(detection)) missing.push(`${attack.user} ${attack.kind}: ${detection}`);
  }
  const attacked = new Set(attacks.map((attack) => attack.user));
  const falseAlerts = Object.entries(alerts).filter(([user]) => !attacked.has(user));

  const rate = (measure: Measure) => Math.round(lines / (measure.ms / 1000));
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')}`);
  console.log(`input: ${lines} events, ${(size / 2 ** 20).toFixed(0)} MiB (${Math.round(size / lines)} bytes/event), newest first, ${Math.round(roamingShare * 100)}% of users roaming`);
  console.log(`tokengap: ${(tokengap.ms / 1000).toFixed(2)} s, ${rate(tokengap)} events/s, peak RSS ${tokengap.maxRssMb} MB, ${String(tokengap.detail.alerts)} alerts`);
  console.log(`duckdb:   ${(duckdb.ms / 1000).toFixed(2)} s, ${rate(duckdb)} events/s, peak RSS ${duckdb.maxRssMb} MB (device-code ${String(duckdb.detail.deviceCodeRows)} rows, session-replay ${String(duckdb.detail.sessionReplayRows)} rows)`);
  console.log(`ratio (tokengap throughput / duckdb throughput): ${(duckdb.ms / tokengap.ms).toFixed(2)}`);
  console.log(`injected attacks: ${attacks.length}, missed detections: ${missing.length}, alerts on background users: ${falseAlerts.length}`);
  for (const line of missing.slice(0, 10)) console.log(`  missed ${line}`);
  for (const [user, detections] of falseAlerts.slice(0, 10)) console.log(`  false alert ${user}: ${detections.join(', ')}`);
  if (missing.length > 0 || falseAlerts.length > 0) process.exitCode = 1;
}

await main();
