import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';

import { SEVERITIES, severityRank, type Severity } from '../checks/types.js';
import { loadEngagement } from '../engagement/load.js';
import type { Engagement } from '../engagement/schema.js';
import { EXIT, UserError } from '../errors.js';
import { prepareOutputDir, writeFileAtomic } from '../report/write.js';
import { kqlQueries } from '../signins/kql.js';
import { INPUT_FORMATS, type InputFormat } from '../signins/read.js';
import { alertsCsv, reviewJson, reviewText } from '../signins/render.js';
import { reviewSignIns } from '../signins/review.js';

interface SigninsCommandOptions {
  snapshot?: string;
  json?: boolean;
  out?: string;
  since?: string;
  until?: string;
  user?: string[];
  engagement?: string;
  format: InputFormat;
  skipBadRecords?: boolean;
  kql?: boolean;
  ipDatabase: boolean;
  failOn?: Severity;
  progress: boolean;
}

export function registerSignins(program: Command): void {
  program
    .command('signins')
    .summary('review sign-in logs for device-code phishing and token replay')
    .description(
      'Read sign-in logs (Graph JSON or NDJSON, Sentinel / Log Analytics JSON or CSV, diagnostic-settings records, .gz) and directory audit logs,\n' +
        'and report device-code phishing, token replay and the other token-theft detections, with the evidence events.\n' +
        'Exit codes: 0 ok, 1 an alert at or above --fail-on, 2 usage or input error, 3 internal error.',
    )
    .argument('[FILE...]', 'sign-in or audit log files; the format is detected from the content')
    .option('--snapshot <DIR>', 'read the signIns/ folder and directoryAudits of a tenant snapshot')
    .option('--json', 'print { alerts, summary, timelines } as JSON on standard output')
    .option('--out <DIR>', 'also write alerts.json, alerts.csv, summary.json, timelines.json and report.txt to this folder (owner-only)')
    .option('--since <ISO>', 'ignore sign-ins before this ISO 8601 date or time (UTC when no zone is given)')
    .option('--until <ISO>', 'ignore sign-ins after this ISO 8601 date or time (a date alone means the end of that day, UTC)')
    .option('--user <UPN_OR_ID...>', 'review only these users (UPN or object id) and print their timelines')
    .option('--engagement <FILE>', 'engagement file naming the break-glass accounts')
    .addOption(new Option('--format <FORMAT>', 'input format instead of detecting it from the content').choices([...INPUT_FORMATS]).default('auto'))
    .option('--skip-bad-records', 'count and skip records that cannot be read instead of stopping at the first one')
    .option('--kql', 'print each detection as a KQL query over SigninLogs and AADNonInteractiveUserSignInLogs, and read no files')
    .option('--no-ip-database', 'do not look up countries and ASNs in the bundled offline IP database; use the log values only')
    .addOption(new Option('--fail-on <SEVERITY>', 'exit with code 1 when an alert has this severity or higher').choices([...SEVERITIES]))
    .option('--no-progress', 'do not show a progress bar, even on a terminal')
    .action(async (files: string[], options: SigninsCommandOptions) => {
      process.exitCode = await runSignins(files, options);
    });
}

async function runSignins(fileArguments: string[], options: SigninsCommandOptions): Promise<number> {
  const engagement = options.engagement ? await loadEngagement(resolve(options.engagement)) : null;
  if (options.kql) {
    const queries = kqlQueries({ breakGlassAccounts: engagement?.breakGlassAccounts ?? [] });
    process.stdout.write(Object.values(queries).join('\n'));
    return EXIT.ok;
  }

  const files = fileArguments.map((file) => resolve(file));
  if (options.snapshot) files.push(...(await snapshotLogFiles(resolve(options.snapshot))));
  if (files.length === 0) {
    throw new UserError('no sign-in log files given', 'run `tokengap signins FILE...` with Graph, Sentinel or NDJSON exports, or `tokengap signins --snapshot DIR`');
  }

  const since = options.since ? parseTime(options.since, '--since', false) : undefined;
  const until = options.until ? parseTime(options.until, '--until', true) : undefined;
  if (since && until && since > until) throw new UserError(`--since ${options.since} is after --until ${options.until}`, 'swap the two values');

  const bar = options.progress && process.stderr.isTTY && !options.json ? await progressBar(files) : null;
  let result;
  try {
    result = await reviewSignIns(files, {
      format: options.format,
      ...(options.skipBadRecords ? { skipBadRecords: true } : {}),
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
      ...(options.user ? { users: options.user, timelineUsers: options.user } : {}),
      engagement: engagement as Engagement | null,
      ...(options.ipDatabase ? {} : { enricher: false as const }),
      ...(bar ? { onProgress: (records: number) => bar.update(Math.min(records, bar.getTotal()), { records }) } : {}),
    });
  } finally {
    bar?.stop();
  }

  if (options.out) {
    const dir = await prepareOutputDir(options.out);
    await writeFileAtomic(join(dir, 'alerts.json'), JSON.stringify(result.alerts, null, 2) + '\n');
    await writeFileAtomic(join(dir, 'alerts.csv'), alertsCsv(result.alerts));
    await writeFileAtomic(join(dir, 'summary.json'), JSON.stringify(result.summary, null, 2) + '\n');
    await writeFileAtomic(join(dir, 'timelines.json'), JSON.stringify(result.timelines, null, 2) + '\n');
    await writeFileAtomic(join(dir, 'report.txt'), reviewText(result));
  }
  process.stdout.write(options.json ? reviewJson(result) : reviewText(result));

  if (options.failOn && result.alerts.some((alert) => severityRank(alert.severity) >= severityRank(options.failOn!))) return EXIT.findingsAtOrAboveThreshold;
  return EXIT.ok;
}

/** Sign-in files of a snapshot: everything under signIns/, then the directory audits export. */
async function snapshotLogFiles(dir: string): Promise<string[]> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new UserError(`snapshot folder ${dir} not found`, 'give the folder that `tokengap collect` wrote');
  const signInDir = join(dir, 'signIns');
  const names = await readdir(signInDir).catch(() => null);
  if (!names) throw new UserError(`the snapshot ${dir} has no signIns/ folder`, 'collect sign-ins with `tokengap collect`, or add Graph or Sentinel exports under signIns/');
  const files = names.filter((name) => !name.startsWith('.')).sort().map((name) => join(signInDir, name));
  for (const audits of [join(dir, 'directoryAudits.json'), join(dir, 'directoryAudits')]) {
    const auditInfo = await stat(audits).catch(() => null);
    if (auditInfo?.isFile()) files.push(audits);
    if (auditInfo?.isDirectory()) files.push(...(await readdir(audits)).filter((name) => name.endsWith('.json') || name.endsWith('.ndjson')).sort().map((name) => join(audits, name)));
  }
  return files;
}

/** Parses an ISO 8601 date or date-time; a date alone is the start (or, for --until, the end) of that UTC day. */
export function parseTime(value: string, option: string, endOfDay: boolean): Date {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const text = dateOnly ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) {
    throw new UserError(`${option} ${JSON.stringify(value)} is not an ISO 8601 date or time`, `write it as 2026-05-01 or 2026-05-01T08:30:00Z`);
  }
  return time;
}

/**
 * Shows a progress bar on standard error, by record count. The total is an estimate from the file sizes
 * at about 2 KB a record (gzip files count 10 times their size), so the bar is a rough guide.
 */
async function progressBar(files: string[]): Promise<SingleBar> {
  let bytes = 0;
  for (const file of files) {
    const info = await stat(file).catch(() => null);
    bytes += (info?.size ?? 0) * (file.endsWith('.gz') ? 10 : 1);
  }
  const bar = new SingleBar({ format: 'reading sign-ins [{bar}] {records} records', stream: process.stderr, hideCursor: true, clearOnComplete: true });
  bar.start(Math.max(1, Math.round(bytes / 2048)), 0, { records: 0 });
  return bar;
}
