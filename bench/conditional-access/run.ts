/**
 * Conditional Access benchmark: loads generated tenants of growing size from disk, runs the full
 * coverage analysis and many single what-if evaluations, and prints user classes, times and peak
 * RSS. Each tenant is generated in one child process and measured in another, so peak RSS is
 * that of loading plus analysis alone.
 *
 *   node --import tsx bench/conditional-access/run.ts [--sizes 10000,100000,1000000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import { analyzeCoverage } from '../../src/conditional-access/coverage.js';
import { CLIENT_APP_TYPES, PLATFORMS } from '../../src/conditional-access/types.js';
import { runWhatif } from '../../src/conditional-access/whatif.js';
import { loadSnapshot } from '../../src/snapshot/load.js';
import { generateTenant, writeTenant } from './generate.js';

const self = fileURLToPath(import.meta.url);

interface Figures {
  users: number;
  policies: number;
  userClasses: number;
  gaps: number;
  loadMs: number;
  analysisMs: number;
  /** CPU time of the analysis (user + system); other processes on the machine do not inflate it. */
  analysisCpuMs: number;
  whatifMeanMs: number;
  /** CPU time per what-if, averaged over all runs. */
  whatifCpuMeanMs: number;
  whatifP99Ms: number;
  peakRssMb: number;
}

async function measure(dir: string, breakGlass: string[]): Promise<Figures> {
  const loadStart = performance.now();
  const snapshot = await loadSnapshot(dir);
  const loadMs = performance.now() - loadStart;

  const analysisStart = performance.now();
  const cpuStart = process.cpuUsage();
  const report = analyzeCoverage(snapshot, { breakGlassAccounts: breakGlass });
  const cpu = process.cpuUsage(cpuStart);
  const analysisMs = performance.now() - analysisStart;

  const users = snapshot.resources.users ?? [];
  const times: number[] = [];
  const whatifCpuStart = process.cpuUsage();
  let seed = 7;
  const next = (limit: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % limit;
  };
  const apps = ['exchange', 'sharepoint', 'teams', 'azure-portal', 'azure-management'];
  for (let run = 0; run < 2000; run++) {
    const user = users[next(users.length)]!;
    const started = performance.now();
    runWhatif(snapshot, {
      user: user.id!,
      app: apps[next(apps.length)]!,
      clientApp: CLIENT_APP_TYPES[next(CLIENT_APP_TYPES.length)]!,
      platform: PLATFORMS[next(PLATFORMS.length)]!,
      ip: `100.64.${next(60)}.${next(250) + 1}`,
      ...(next(3) === 0 ? { flow: 'deviceCodeFlow' as const } : {}),
    });
    times.push(performance.now() - started);
  }
  const whatifCpu = process.cpuUsage(whatifCpuStart);
  times.sort((a, b) => a - b);

  return {
    users: users.length,
    policies: snapshot.resources.conditionalAccessPolicies?.length ?? 0,
    userClasses: report.userClasses,
    gaps: report.gaps.length + report.breakGlassGaps.length,
    loadMs,
    analysisMs,
    analysisCpuMs: (cpu.user + cpu.system) / 1000,
    whatifMeanMs: times.reduce((sum, time) => sum + time, 0) / times.length,
    whatifP99Ms: times[Math.floor(times.length * 0.99)]!,
    whatifCpuMeanMs: (whatifCpu.user + whatifCpu.system) / 1000 / times.length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function child(mode: string, size: number, dir: string): Promise<void> {
  if (mode === 'generate') {
    writeTenant(dir, generateTenant({ users: size }));
    return;
  }
  const figures = await measure(dir, ['bg1@contoso.onmicrosoft.com', 'bg2@contoso.onmicrosoft.com']);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function parent(sizes: number[]): void {
  const rows: string[] = [];
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'tokengap-ca-bench-'));
    try {
      const generated = spawnSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', self, '--child', 'generate', String(size), dir], { stdio: 'inherit' });
      if (generated.status !== 0) throw new Error(`generating ${size} users failed`);
      const measured = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', 'measure', String(size), dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
      if (measured.status !== 0) {
        rows.push(`| ${size.toLocaleString('en-US')} | failed: exit ${measured.status} | | | | | |`);
        console.log(`${size} users: the measuring process failed (exit ${measured.status})`);
        continue;
      }
      const figures = JSON.parse(measured.stdout.trim().split('\n').pop()!) as Figures;
      console.log(
        `${figures.users} users, ${figures.policies} policies: ${figures.userClasses} user classes, ${figures.gaps} gaps; ` +
          `load ${figures.loadMs.toFixed(0)} ms, coverage analysis ${figures.analysisMs.toFixed(0)} ms (CPU ${figures.analysisCpuMs.toFixed(0)} ms), ` +
          `whatif mean ${figures.whatifMeanMs.toFixed(2)} ms (p99 ${figures.whatifP99Ms.toFixed(2)} ms, CPU ${figures.whatifCpuMeanMs.toFixed(2)} ms), peak RSS ${figures.peakRssMb.toFixed(0)} MB`,
      );
      rows.push(
        `| ${figures.users.toLocaleString('en-US')} | ${figures.userClasses.toLocaleString('en-US')} | ${figures.gaps} | ${(figures.loadMs / 1000).toFixed(1)} s | ${figures.analysisMs.toFixed(0)} ms (CPU ${figures.analysisCpuMs.toFixed(0)} ms) | ${figures.whatifMeanMs.toFixed(2)} / ${figures.whatifP99Ms.toFixed(2)} ms (CPU ${figures.whatifCpuMeanMs.toFixed(2)} ms) | ${figures.peakRssMb.toFixed(0)} MB |`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\n${cpus().length} CPUs, load average ${loadavg().map((value) => value.toFixed(1)).join(' ')} at the end`);
  console.log('\n| users | user classes | gaps | load | coverage analysis (wall, CPU) | whatif mean / p99 | peak RSS (load + analysis) |');
  console.log('|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  await child(args[1]!, Number(args[2]), args[3]!);
} else {
  const sizesArgument = args.indexOf('--sizes');
  const sizes = sizesArgument >= 0 ? args[sizesArgument + 1]!.split(',').map(Number) : [10_000, 100_000, 300_000, 1_000_000];
  parent(sizes);
}
