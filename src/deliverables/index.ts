import { join } from 'node:path';

import type { Engagement } from '../engagement/schema.js';
import type { AssessmentReport } from '../report/schema.js';
import { prepareOutputDir, writeFileAtomic } from '../report/write.js';
import { buildDocument } from './document.js';
import { buildDeliverables, type Deliverables } from './model.js';
import { renderWorkItemsCsv } from './render-csv.js';
import { renderDeliverablesPdf } from './render-pdf.js';
import { renderClientMessageText, renderDeliverablesHtml, renderDeliverablesMarkdown } from './render-text.js';

export { buildDeliverables, type Deliverables } from './model.js';

/** Names of the files `writeDeliverables` writes into the output folder. */
export const DELIVERABLE_FILES = {
  html: 'deliverables.html',
  markdown: 'deliverables.md',
  pdf: 'deliverables.pdf',
  csv: 'work-items.csv',
  message: 'client-message.txt',
} as const;

/**
 * Builds the scope, roadmap and quote, license upgrades, QBR gap analysis, accepted-risk register
 * and client message, and writes them as HTML, Markdown, PDF, a PSA import CSV and the client
 * message as plain text into `outDir`
 * (owner-only, each file written to a temporary name then renamed). Returns the paths written.
 */
export async function writeDeliverables(report: AssessmentReport, engagement: Engagement, outDir: string): Promise<string[]> {
  const deliverables: Deliverables = buildDeliverables(report, engagement);
  const document = buildDocument(deliverables);
  const pdf = await renderDeliverablesPdf(document, new Date(report.assessedAt));

  const dir = await prepareOutputDir(outDir);
  const outputs: [string, string | Uint8Array][] = [
    [DELIVERABLE_FILES.html, renderDeliverablesHtml(document)],
    [DELIVERABLE_FILES.markdown, renderDeliverablesMarkdown(document)],
    [DELIVERABLE_FILES.pdf, pdf],
    [DELIVERABLE_FILES.csv, renderWorkItemsCsv(deliverables)],
    [DELIVERABLE_FILES.message, renderClientMessageText(deliverables.message)],
  ];
  const written: string[] = [];
  for (const [name, content] of outputs) {
    const path = join(dir, name);
    await writeFileAtomic(path, content);
    written.push(path);
  }
  return written;
}
