import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';

import { SEVERITIES, severityRank, type Severity } from '../checks/types.js';
import { loadEngagement } from '../engagement/load.js';
import type { Engagement } from '../engagement/schema.js';
import { EXIT, UserError } from '../errors.js';
import { checkOutputDir, prepareOutputDir, writeFileAtomic } from '../report/write.js';
import { listLogFolder } from '../signins/files.js';
import { folderGivenAsFile } from '../signins/input.js';
import { kqlQueries } from '../signins/kql.js';
import { INPUT_FORMATS, type InputFormat } from '../signins/read.js';
import { alertsCsv, reviewJson, reviewText } from '../signins/render.js';
import { checkManifestCount, reviewSignIns } from '../signins/review.js';
import { toTerminalField } from './terminal.js';

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
    .option('--user <UPN_OR_ID...>', 'review only these users (UPN or object id) and print each one\'s timeline of sign-ins after the alerts')
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
  for (const file of files) if ((await stat(file).catch(() => null))?.isDirectory()) throw folderGivenAsFile(file);
  const snapshot = options.snapshot ? await snapshotLogFiles(resolve(options.snapshot)) : null;
  if (snapshot) files.push(...snapshot.signInFiles, ...snapshot.auditFiles);
  if (files.length === 0) {
    throw new UserError('no sign-in log files given', 'run `tokengap signins FILE...` with Graph, Sentinel or NDJSON exports, or `tokengap signins --snapshot DIR`');
  }

  const since = options.since ? parseTime(options.since, '--since', false) : undefined;
  const until = options.until ? parseTime(options.until, '--until', true) : undefined;
  if (since && until && since > until) throw new UserError(`--since ${options.since} is after --until ${options.until}`, 'swap the two values');

  // Checked before the review, so a read-only or wrong --out fails before minutes of reading.
  if (options.out) await checkSigninsOutDir(options.out);

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

  if (snapshot) {
    // The count covers signIns/ only, so the audit files' records are left out of the comparison.
    const signInStats = { ...result.summary, files: result.summary.files.filter((file) => snapshot.signInFiles.includes(file.file)) };
    const warning = checkManifestCount(signInStats, snapshot.manifestCount);
    if (warning) result.summary.warnings = [...(result.summary.warnings ?? []), warning];
  }
  for (const warning of snapshot?.listingWarnings ?? []) process.stderr.write(`tokengap: warning: ${toTerminalField(warning)}\n`);

  const withTimelines = Boolean(options.user && options.user.length > 0);
  if (options.out) {
    const dir = await prepareOutputDir(options.out);
    try {
      await writeFileAtomic(join(dir, 'alerts.json'), JSON.stringify(result.alerts, null, 2) + '\n');
      await writeFileAtomic(join(dir, 'alerts.csv'), alertsCsv(result.alerts));
      await writeFileAtomic(join(dir, 'summary.json'), JSON.stringify(result.summary, null, 2) + '\n');
      await writeFileAtomic(join(dir, 'timelines.json'), JSON.stringify(result.timelines, null, 2) + '\n');
      await writeFileAtomic(join(dir, 'report.txt'), reviewText(result, { timelines: withTimelines }));
    } catch (error) {
      throw outputError(dir, error);
    }
  }
  process.stdout.write(options.json ? reviewJson(result) : reviewText(result, { timelines: withTimelines }));

  if (options.failOn && result.alerts.some((alert) => severityRank(alert.severity) >= severityRank(options.failOn!))) return EXIT.findingsAtOrAboveThreshold;
  return EXIT.ok;
}

const OUT_FIX = 'give a folder for the sign-in review with --out DIR (it receives alerts.json, alerts.csv, summary.json, timelines.json and report.txt), one you can write to';

/** Rejects an --out that is a file or cannot be written, with a fix about this command's files. */
async function checkSigninsOutDir(out: string): Promise<void> {
  const info = await stat(resolve(out)).catch(() => null);
  if (info && !info.isDirectory()) throw new UserError(`--out ${out} is a file, not a folder`, OUT_FIX);
  try {
    await checkOutputDir(out);
  } catch (error) {
    throw outputError(resolve(out), error);
  }
}

const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);

/** Treats a failed write to the output folder as a user error (exit 2), never an internal error. */
function outputError(dir: string, error: unknown): Error {
  if (error instanceof UserError) return new UserError(error.message, OUT_FIX);
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (NOT_WRITABLE.has(code)) return new UserError(`cannot write the sign-in review to ${dir} (${code})`, OUT_FIX);
  return error as Error;
}

interface SnapshotLogs {
  signInFiles: string[];
  auditFiles: string[];
  /** The sign-in count manifest.json records, when it records one. */
  manifestCount?: number;
  listingWarnings: string[];
}

/** Sign-in files of a snapshot: everything under signIns/, then the directory audits export. */
async function snapshotLogFiles(dir: string): Promise<SnapshotLogs> {
  const info = await stat(dir).catch(() => null);
  if (!info) throw new UserError(`snapshot folder ${dir} not found`, 'give the folder that `tokengap collect` wrote');
  if (!info.isDirectory()) {
    throw new UserError(
      `--snapshot ${dir} is a file, not a snapshot folder`,
      `give the folder that holds manifest.json and signIns/, or review this file alone with \`tokengap signins ${dir}\``,
    );
  }
  const signInDir = join(dir, 'signIns');
  if (!(await stat(signInDir).catch(() => null))?.isDirectory()) {
    throw new UserError(`the snapshot ${dir} has no signIns/ folder`, 'collect sign-ins with `tokengap collect`, or add Graph or Sentinel exports under signIns/');
  }
  const listingWarnings: string[] = [];
  const signInFiles = await listLogFolder(signInDir, { onSkip: (file, message) => listingWarnings.push(`${file}: ${message}`), snapshotRoot: dir });
  const auditFiles: string[] = [];
  for (const audits of [join(dir, 'directoryAudits.json'), join(dir, 'directoryAudits')]) {
    const auditInfo = await stat(audits).catch(() => null);
    if (auditInfo?.isFile()) auditFiles.push(audits);
    if (auditInfo?.isDirectory()) auditFiles.push(...(await readdir(audits)).filter((name) => name.endsWith('.json') || name.endsWith('.ndjson')).sort().map((name) => join(audits, name)));
  }
  const manifestCount = await readManifestSignInCount(join(dir, 'manifest.json'));
  return { signInFiles, auditFiles, listingWarnings, ...(manifestCount !== undefined ? { manifestCount } : {}) };
}

/**
 * Reads `resources.signIns.count` from manifest.json, or nothing. The sign-in review does not need
 * the manifest, so one that is missing or unreadable is left to `tokengap assess` to report.
 */
async function readManifestSignInCount(path: string): Promise<number | undefined> {
  try {
    const manifest = JSON.parse(await readFile(path, 'utf8')) as { resources?: { signIns?: { count?: unknown } } };
    const count = manifest.resources?.signIns?.count;
    return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : undefined;
  } catch {
    return undefined;
  }
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
