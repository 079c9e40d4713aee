import { resolve } from 'node:path';

import type { Command } from 'commander';

import { assessSnapshot } from '../assess.js';
import { parseNow } from './assess.js';
import { writeDeliverables } from '../deliverables/index.js';
import { readReportFile } from '../deliverables/read-report.js';
import { loadEngagement } from '../engagement/load.js';
import { assertEngagementTenant } from '../engagement/tenant.js';
import { EXIT, UserError } from '../errors.js';
import { checkOutputDir } from '../report/write.js';

interface DeliverablesOptions {
  engagement: string;
  out: string;
  report?: string;
  now?: string;
}

export function registerDeliverables(program: Command): void {
  program
    .command('deliverables')
    .summary('write the scope, quote, QBR gap analysis, roadmap and client message')
    .description(
      'Assess a snapshot (or read a report.json) and write the MSP deliverables from an engagement file:\n' +
        'deliverables.html, deliverables.md, deliverables.pdf, work-items.csv for PSA import and client-message.txt.',
    )
    .argument('[SNAPSHOT_DIR]', 'snapshot folder to assess; leave out when --report is given')
    .requiredOption('--engagement <FILE>', 'engagement file (YAML or JSON), version 2 for rates, contract scope and accepted risks')
    .option('--out <DIR>', 'folder for the deliverable files (created owner-only when missing)', './tokengap-deliverables')
    .option('--report <FILE>', 'report.json written by `tokengap assess`, used instead of assessing SNAPSHOT_DIR')
    .option('--now <ISO>', 'assessment time as an ISO 8601 date-time (default: now), when assessing SNAPSHOT_DIR; rejected with --report')
    .action(async (snapshotDir: string | undefined, options: DeliverablesOptions) => {
      process.exitCode = await runDeliverables(snapshotDir, options);
    });
}

async function runDeliverables(snapshotDir: string | undefined, options: DeliverablesOptions): Promise<number> {
  if (snapshotDir && options.report) {
    throw new UserError(`give either SNAPSHOT_DIR or --report, not both (got ${snapshotDir} and --report ${options.report})`, 'drop one of them');
  }
  if (!snapshotDir && !options.report) {
    throw new UserError('missing SNAPSHOT_DIR', 'run `tokengap deliverables SNAPSHOT_DIR --engagement FILE`, or pass --report report.json');
  }

  if (options.report && options.now !== undefined) {
    // report.json already carries its assessment time; a second one would date the documents wrongly.
    throw new UserError(
      `--now ${options.now} cannot be used with --report: the deliverables are dated from assessedAt in ${options.report}`,
      'drop --now, or assess the snapshot again with `tokengap deliverables SNAPSHOT_DIR --now ...`',
    );
  }
  const engagementPath = resolve(options.engagement);
  const engagement = await loadEngagement(engagementPath);
  // A bad --out fails before any work; the folder is created only once the inputs are valid.
  await checkOutputDir(options.out);
  let report;
  if (options.report) {
    report = await readReportFile(resolve(options.report));
    assertEngagementTenant(engagement, report.tenant, engagementPath);
  } else {
    const now = parseNow(options.now);
    report = await assessSnapshot({ snapshotDir: resolve(snapshotDir!), engagementPath, ...(now ? { now } : {}) });
  }

  const written = await writeDeliverables(report, engagement, options.out);
  process.stdout.write(`Deliverables for ${engagement.client.name} written to:\n${written.map((path) => `  ${path}\n`).join('')}`);
  return EXIT.ok;
}
