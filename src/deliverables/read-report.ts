import { readFile } from 'node:fs/promises';

import { z } from 'zod';

import { CONTROL_AREAS, RESULT_STATES, SEVERITIES } from '../checks/types.js';
import { InputError } from '../errors.js';
import { decodeText, formatPath } from '../engagement/load.js';
import type { AssessmentReport } from '../report/schema.js';

const objectSchema = z.looseObject({ type: z.string(), id: z.string(), displayName: z.string().nullable() });

/** The parts of report.json the deliverables read; other fields pass through unchecked. */
const reportSchema = z.looseObject({
  schemaVersion: z.literal(1),
  assessedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T/, 'an ISO 8601 date-time'),
  tool: z.looseObject({ version: z.string() }),
  tenant: z.looseObject({ id: z.string().nullable(), name: z.string().nullable() }),
  snapshot: z.looseObject({ resources: z.record(z.string(), z.unknown()) }),
  results: z.array(
    z.looseObject({
      checkId: z.string().min(1),
      area: z.enum(CONTROL_AREAS),
      title: z.string(),
      severity: z.enum(SEVERITIES),
      state: z.enum(RESULT_STATES),
      summary: z.string(),
      findings: z.array(
        z.looseObject({ key: z.string().min(1), severity: z.enum(SEVERITIES), clientText: z.string(), objects: z.array(objectSchema) }),
      ),
    }),
  ),
  checks: z.record(z.string(), z.unknown()).default({}),
  sections: z.record(z.string(), z.unknown()).default({}),
});

/** Reads a report.json written by `tokengap assess`, for running the deliverables without the snapshot. */
export async function readReportFile(path: string): Promise<AssessmentReport> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError({ file: path }, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'the report.json that `tokengap assess` wrote', 'check the path given to --report');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(decodeText(path, bytes));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError({ file: path }, `invalid JSON (${(error as Error).message})`, 'the report.json that `tokengap assess` wrote', 'run `tokengap assess` again to rewrite the report');
  }
  const result = reportSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new InputError(
      { file: path, jsonPath: `$.${formatPath(issue.path)}` },
      issue.message,
      'report.json schema version 1, as `tokengap assess` writes it',
      'run `tokengap assess` again with this version of tokengap, or give the snapshot folder instead of --report',
    );
  }
  return result.data as unknown as AssessmentReport;
}
