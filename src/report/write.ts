import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { UserError } from '../errors.js';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { AssessmentReport } from './schema.js';

export const REPORT_FORMATS = ['html', 'md', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const RENDERERS: Record<ReportFormat, (report: AssessmentReport) => string> = {
  html: renderHtml,
  md: renderMarkdown,
  json: (report) => `${JSON.stringify(report, null, 2)}\n`,
};

/** Parses a `--format` value such as `html,md`; rejects unknown and empty lists. */
export function parseFormats(value: string): ReportFormat[] {
  const requested = value
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
  if (requested.length === 0) {
    throw new UserError(`--format is empty`, `give one or more of ${REPORT_FORMATS.join(', ')}, separated by commas`);
  }
  for (const format of requested) {
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
      throw new UserError(
        `unknown report format "${format}" in --format ${value}`,
        `use one or more of ${REPORT_FORMATS.join(', ')}, separated by commas, e.g. --format html,json`,
      );
    }
  }
  return [...new Set(requested)] as ReportFormat[];
}

/**
 * Checks that the output path is a folder or does not exist yet, so that `--out report.html`
 * fails with a clear message before any work is done. Returns the absolute path and whether it exists.
 */
export async function checkOutputDir(outDir: string): Promise<{ path: string; exists: boolean }> {
  const absolute = resolve(outDir);
  const existing = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new UserError(`cannot use output folder ${absolute}: ${error.message}`, 'choose a folder you can write to with --out DIR');
  });
  if (existing && !existing.isDirectory()) {
    throw new UserError(`--out ${outDir} is a file, not a folder`, 'give a folder for the output files with --out DIR; tokengap writes its files inside it');
  }
  // The folder, or the nearest folder above it that exists, must be writable: checked here so a
  // read-only --out fails before the assessment runs rather than after.
  let probe = absolute;
  if (!existing) {
    while (dirname(probe) !== probe && !(await stat(probe).catch(() => null))) probe = dirname(probe);
  }
  await access(probe, constants.W_OK | constants.X_OK).catch((error: NodeJS.ErrnoException) => {
    throw notWritable(probe, error);
  });
  return { path: absolute, exists: existing !== null };
}

const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Turns a permission or read-only file-system error on an output folder into a UserError (exit 2). */
function notWritable(dir: string, error: NodeJS.ErrnoException): UserError {
  const reason = error.code === 'EROFS' ? 'the file system is read-only' : `permission denied (${error.code ?? 'error'})`;
  return new UserError(
    `cannot write to the output folder ${dir}: ${reason}`,
    'choose a folder you can write to with --out DIR, or give your user write permission on that folder',
  );
}

/** Creates the output folder (owner-only) unless it exists; rejects a path that is a file. */
export async function prepareOutputDir(outDir: string): Promise<string> {
  const { path: absolute, exists } = await checkOutputDir(outDir);
  if (!exists) {
    try {
      await mkdir(absolute, { recursive: true, mode: 0o700 });
    } catch (error) {
      if (NOT_WRITABLE.has((error as NodeJS.ErrnoException).code ?? '')) throw notWritable(absolute, error as NodeJS.ErrnoException);
      throw new UserError(
        `cannot create output folder ${absolute}: ${(error as Error).message}`,
        'choose a folder you can write to with --out DIR',
      );
    }
  }
  return absolute;
}

/**
 * Writes a file readable by its owner only: the content goes to a temporary file in the same
 * folder, which is then renamed over the target, so a reader never sees a half-written report.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
    // The mode given to writeFile is reduced by the umask; set it explicitly.
    await chmod(temporary, 0o600);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    if (NOT_WRITABLE.has((error as NodeJS.ErrnoException).code ?? '')) throw notWritable(dirname(path), error as NodeJS.ErrnoException);
    throw error;
  }
}

/** Renders the report in each format and writes `report.<format>` into `outDir`; returns the paths written. */
export async function writeReportFiles(report: AssessmentReport, outDir: string, formats: readonly ReportFormat[]): Promise<string[]> {
  const dir = await prepareOutputDir(outDir);
  const written: string[] = [];
  for (const format of formats) {
    const path = join(dir, `report.${format}`);
    await writeFileAtomic(path, RENDERERS[format](report));
    written.push(path);
  }
  return written;
}
