// Benchmark of `collect` against the fake Graph server: a generated tenant (50,000 users and
// 1,000,000 sign-ins by default) behind a fixed latency per request. It reports the requests
// sent against the minimum the page sizes allow, and the wall time against the lower bound set
// by latency and page sizes. It also reports the time Graph's report throttle imposes, and
// whether any sign-in was lost or duplicated under injected 429s and resets.
//
//   node --import tsx bench/collect/run.ts [--users N] [--sign-ins N] [--latency MS]
//        [--scenario latency|throttle|faults|all] [--throttle-scale N]
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

import { pino } from 'pino';

import { SIGN_IN_FILES } from '../../src/collect/signins.js';
import { collectTenant, REPORTS_RATE, type CollectTenantResult } from '../../src/collect/tenant.js';
import { MEMBERS_MAX_TOP, RESOURCE_ENDPOINTS, SIGN_INS, USERS_MAX_TOP_WITH_SIGN_IN_ACTIVITY } from '../../src/graph/endpoints.js';
import { BATCH_LIMIT } from '../../src/graph/client.js';
import type { FakeFault, FakeStats } from '../../src/graph/fake/server.js';
import type { WorkerReply, WorkerRequest } from './fake-worker.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '50000' },
    'sign-ins': { type: 'string', default: '1000000' },
    groups: { type: 'string', default: '1000' },
    latency: { type: 'string', default: '50' },
    scenario: { type: 'string', default: 'all' },
    'throttle-scale': { type: 'string', default: '10' },
  },
});
const USERS = Number(values.users);
const SIGN_IN_COUNT = Number(values['sign-ins']);
const GROUPS = Number(values.groups);
const LATENCY = Number(values.latency);
const THROTTLE_SCALE = Number(values['throttle-scale']);
const TENANT = '5e1e0000-0000-4000-8000-00000000beef';
const CLIENT = '5e1e0000-0000-4000-8000-00000000c11e';
const NOW = new Date('2026-11-30T12:00:00Z');

/** Requests the page sizes allow at best: every endpoint in `RESOURCE_ENDPOINTS` costs at least one. */
function minimumRequests(): { total: number; signIns: number; longestChain: number } {
  const pages = (items: number, size: number): number => Math.max(1, Math.ceil(items / size));
  const perStream = pages(SIGN_IN_COUNT / 2, SIGN_INS.maxTop);
  const users = pages(USERS, USERS_MAX_TOP_WITH_SIGN_IN_ACTIVITY);
  const batches = pages(GROUPS, BATCH_LIMIT) * pages(10, MEMBERS_MAX_TOP);
  const groups = pages(GROUPS, 999);
  const others = RESOURCE_ENDPOINTS.length - 2; // one page or object each; users and groups are counted above
  return { total: 2 * perStream + users + groups + batches + others, signIns: 2 * perStream, longestChain: Math.max(perStream, users) };
}

async function countSignIns(dir: string): Promise<{ lines: number; unique: number }> {
  const ids = new Set<string>();
  let lines = 0;
  for (const name of Object.values(SIGN_IN_FILES)) {
    const reader = createInterface({ input: createReadStream(join(dir, 'signIns', name)) });
    for await (const line of reader) {
      if (!line) continue;
      lines++;
      ids.add((JSON.parse(line) as { id: string }).id);
    }
  }
  return { lines, unique: ids.size };
}

interface RunResult {
  seconds: number;
  result: CollectTenantResult;
  server: FakeStats;
  signIns: { lines: number; unique: number };
}

/**
 * Runs the fake server in a child process: in this process it would share one event loop with
 * collect, and its JSON encoding would add to every request's time.
 */
async function run(options: { faults?: FakeFault[]; reportsLimit?: { limit: number; windowMs: number }; paceReports: boolean }): Promise<RunResult> {
  const worker = fork(fileURLToPath(new URL('./fake-worker.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE_FAKE ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROFILE_FAKE] : [])] });
  const request: WorkerRequest = {
    users: USERS, groups: GROUPS, signIns: SIGN_IN_COUNT, latencyMs: LATENCY, tenantId: TENANT, clientId: CLIENT, secret: 'bench-secret',
    now: NOW.toISOString(), faults: options.faults ?? [], ...(options.reportsLimit ? { reportsLimit: options.reportsLimit } : {}),
  };
  worker.send(request);
  const [ready] = (await once(worker, 'message')) as [WorkerReply];
  if (ready.kind !== 'ready') throw new Error('the fake server process did not start');
  process.env.TOKENGAP_BENCH_SECRET = 'bench-secret';
  const work = mkdtempSync(join(tmpdir(), 'tokengap-bench-collect-'));
  try {
    const started = performance.now();
    const result = await collectTenant({
      tenantId: TENANT,
      clientId: CLIENT,
      secret: { kind: 'secretEnv', variable: 'TOKENGAP_BENCH_SECRET' },
      out: join(work, 'snapshot'),
      days: 30,
      cloud: 'global',
      graphBaseUrl: ready.url,
      authorityHost: ready.url,
      ca: ready.ca,
      now: NOW,
      logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' }),
      reportsRate: options.paceReports ? options.reportsLimit ?? REPORTS_RATE : null,
    });
    const seconds = (performance.now() - started) / 1000;
    const signIns = await countSignIns(join(work, 'snapshot'));
    worker.send('stop');
    const [stopped] = (await once(worker, 'message')) as [WorkerReply];
    if (stopped.kind !== 'stopped') throw new Error('the fake server process did not stop');
    await once(worker, 'exit');
    return { seconds, result, server: stopped.stats, signIns };
  } finally {
    if (worker.exitCode === null) worker.kill();
    rmSync(work, { recursive: true, force: true });
  }
}

function report(name: string, outcome: RunResult, bound: { requests: number; seconds: number }): void {
  const { result, server, seconds, signIns } = outcome;
  const lostOrDuplicated = signIns.lines !== SIGN_IN_COUNT || signIns.unique !== SIGN_IN_COUNT;
  console.log(`\n${name}`);
  console.log(`  requests sent          ${result.stats.requests} (fake server saw ${server.graphRequests}; minimum ${bound.requests}; ratio ${(result.stats.requests / bound.requests).toFixed(3)})`);
  console.log(`  retries                ${result.stats.retries} (throttled ${result.stats.throttled}, transport failures ${result.stats.transportFailures})`);
  console.log(`  wall time              ${seconds.toFixed(1)} s (lower bound ${bound.seconds.toFixed(1)} s; ratio ${(seconds / bound.seconds).toFixed(2)})`);
  console.log(`  sign-ins written       ${signIns.lines} lines, ${signIns.unique} distinct ids, expected ${SIGN_IN_COUNT}: ${lostOrDuplicated ? 'LOST OR DUPLICATED' : 'none lost or duplicated'}`);
  console.log(`  users                  ${result.manifest.resources.users?.count}, groups with members ${result.manifest.resources.groupMembers?.count}`);
}

const scenario = values.scenario;
console.log(`collect benchmark: ${USERS} users, ${GROUPS} groups, ${SIGN_IN_COUNT} sign-ins, ${LATENCY} ms latency, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}`);
const minimum = minimumRequests();
// Pages of one chain are sequential (each needs the previous nextLink), so the longest chain,
// plus the token request, sets the lower bound.
const latencyBound = (minimum.longestChain + 1) * LATENCY / 1000;

if (scenario === 'latency' || scenario === 'all') {
  report('latency only (no throttle)', await run({ paceReports: false }), { requests: minimum.total, seconds: latencyBound });
}

if (scenario === 'throttle' || scenario === 'all') {
  // Graph allows 5 report requests per 10 s per app per tenant. The window is divided by
  // --throttle-scale so the run takes minutes, not half an hour; figures scale back linearly.
  const window = REPORTS_RATE.windowMs / THROTTLE_SCALE;
  const limit = { limit: REPORTS_RATE.limit, windowMs: window };
  const reportRequests = minimum.signIns + 2; // sign-ins plus userRegistrationDetails and directoryAudits
  // Graph's limit alone; collect paces itself 10% slower to stay under it despite jitter.
  const imposed = (Math.ceil(reportRequests / limit.limit) - 1) * window / 1000 + LATENCY / 1000;
  const outcome = await run({ reportsLimit: limit, paceReports: true });
  report(`report throttle enforced at ${limit.limit} per ${window} ms (Graph's limit / ${THROTTLE_SCALE})`, outcome, { requests: minimum.total, seconds: Math.max(imposed, latencyBound) });
  console.log(`  throttle-imposed time  ${imposed.toFixed(1)} s here, ${(imposed * THROTTLE_SCALE / 60).toFixed(1)} min at Graph's real limit; 429s from the limit: ${outcome.server.throttledByLimit}`);
}

if (scenario === 'faults' || scenario === 'all') {
  const faults: FakeFault[] = [];
  for (let k = 0; k < 10; k++) {
    faults.push({ kind: 'throttle', match: '/auditLogs/signIns', after: 40 + k * 90, retryAfter: 1 });
    faults.push({ kind: 'reset', match: '/auditLogs/signIns', after: 85 + k * 90 });
    faults.push({ kind: 'truncate', match: '/auditLogs/signIns', after: 60 + k * 90 });
  }
  faults.push({ kind: 'throttle', match: '/users', after: 20, times: 3, retryAfter: 1 });
  faults.push({ kind: 'throttle', inBatch: true, after: 100, times: 40, retryAfter: 1 });
  const outcome = await run({ faults, paceReports: false });
  report('latency with 30 faults on sign-ins, 3 on users and 40 throttled batch members', outcome, { requests: minimum.total, seconds: latencyBound });
}
