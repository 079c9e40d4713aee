import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Option, type Command } from 'commander';

import { assess } from '../assess.js';
import { countFindingsAtOrAbove } from '../report/summary.js';
import { SEVERITIES, type Severity } from '../checks/types.js';
import { writeDeliverables } from '../deliverables/index.js';
import { EXIT, UserError } from '../errors.js';
import type { AssessmentReport } from '../report/schema.js';
import { checkOutputDir, parseFormats, writeReportFiles } from '../report/write.js';
import { plural } from '../report/text.js';

// Resolved from this module, not the working directory, so `--demo` works from any folder
// both when run from dist/cli/ and from src/cli/ under tsx.
const packageRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DEMO_SNAPSHOT_DIR = resolve(packageRoot, 'examples', 'demo-tenant');
export const DEMO_ENGAGEMENT_FILE = resolve(packageRoot, 'examples', 'engagement.yaml');

interface AssessCommandOptions {
  demo?: boolean;
  out: string;
  engagement?: string;
  format: string;
  failOn?: Severity;
  now?: string;
}

export function registerAssess(program: Command): void {
  program
    .command('assess')
    .summary('assess a tenant snapshot and write the report')
    .description(
      'Assess a tenant snapshot folder (or the bundled demo tenant) and write report.html, report.md and report.json\n' +
        '(--format chooses which). With an engagement file (--engagement, or the demo) the deliverables are written too:\n' +
        'deliverables.html, deliverables.md, deliverables.pdf, work-items.csv and client-message.txt.\n' +
        'Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or input error, 3 internal error.',
    )
    .argument('[SNAPSHOT_DIR]', 'snapshot folder: manifest.json and Graph JSON exports, or exports alone')
    .option('--demo', 'assess the bundled demo tenant with its example engagement file')
    .option('--out <DIR>', 'folder for the report files (created owner-only when missing)', './tokengap-report')
    .option('--engagement <FILE>', 'engagement file (YAML or JSON) naming the client, break-glass accounts and owners')
    .option('--format <LIST>', 'report files to write, comma-separated: html, md, json (the deliverables are not affected)', 'html,md,json')
    .addOption(
      new Option('--fail-on <SEVERITY>', 'exit with code 1 when a finding has this severity or higher').choices([...SEVERITIES]),
    )
    .option('--now <ISO>', 'assessment time as an ISO 8601 date-time (default: now), for repeatable reports')
    .action(async (snapshotDir: string | undefined, options: AssessCommandOptions) => {
      process.exitCode = await runAssess(snapshotDir, options);
    });
}

async function runAssess(snapshotArgument: string | undefined, options: AssessCommandOptions): Promise<number> {
  if (options.demo && snapshotArgument) {
    throw new UserError(`give either SNAPSHOT_DIR or --demo, not both (got ${snapshotArgument} and --demo)`, 'drop one of them');
  }
  if (!options.demo && !snapshotArgument) {
    throw new UserError('missing SNAPSHOT_DIR', 'run `tokengap assess SNAPSHOT_DIR`, or `tokengap assess --demo` to try the bundled demo tenant');
  }
  const snapshotDir = options.demo ? DEMO_SNAPSHOT_DIR : resolve(snapshotArgument!);
  let engagementPath: string | undefined;
  if (options.engagement) engagementPath = resolve(options.engagement);
  else if (options.demo) engagementPath = DEMO_ENGAGEMENT_FILE;
  const formats = parseFormats(options.format);
  const now = parseNow(options.now);

  await assertFolder(snapshotDir);
  // A bad --out fails before the assessment starts. The folder itself is created only after the
  // assessment succeeded, so an input error leaves nothing behind.
  const { path: outDir } = await checkOutputDir(options.out);

  const { report, engagement } = await assess({
    snapshotDir,
    ...(engagementPath ? { engagementPath } : {}),
    ...(now ? { now } : {}),
  });
  const written = await writeReportFiles(report, outDir, formats);
  // With an engagement file the MSP documents (scope, quote, QBR, client message) go beside the report.
  if (engagement) written.push(...(await writeDeliverables(report, engagement, outDir)));

  process.stdout.write(describeRun(report, written));
  for (const warning of report.snapshot.warnings) {
    process.stderr.write(`tokengap: warning: ${warning.file}${warning.jsonPath ? ` ${warning.jsonPath}` : ''}: ${warning.message}\n`);
  }

  if (options.failOn) {
    const count = countFindingsAtOrAbove(report, options.failOn);
    if (count > 0) {
      process.stdout.write(`${plural(count, 'finding')} at or above ${options.failOn} (--fail-on ${options.failOn}).\n`);
      return EXIT.findingsAtOrAboveThreshold;
    }
  }
  return EXIT.ok;
}

/** Parses `--now`: an ISO 8601 date-time, or undefined for the clock. */
export function parseNow(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new UserError(`invalid --now ${value}`, 'give an ISO 8601 date-time such as 2026-11-20T09:00:00Z');
  }
  return date;
}

async function assertFolder(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) {
    throw new UserError(
      `snapshot folder not found: ${dir}`,
      'give the folder `tokengap collect` wrote, or a folder of Graph JSON exports; try `tokengap assess --demo` for an example',
    );
  }
  if (!info.isDirectory()) {
    throw new UserError(
      `${dir} is a file, not a snapshot folder`,
      'give the folder that holds manifest.json and the resource files, not one file inside it',
    );
  }
}

function describeRun(report: AssessmentReport, written: string[]): string {
  const counts = { fail: 0, warn: 0, manual: 0, pass: 0, skipped: 0 };
  for (const result of report.results) counts[result.state] += 1;
  const tenant = report.tenant.name ?? report.tenant.id ?? 'the tenant';
  return (
    `Assessed ${tenant}: ${report.results.length} checks (${counts.fail} failed, ${counts.warn} warnings, ` +
    `${counts.manual} for a person to review, ${counts.pass} passed, ${counts.skipped} not run).\n` +
    `Files written:\n${written.map((path) => `  ${path}\n`).join('')}`
  );
}
