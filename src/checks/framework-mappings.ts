import { readFileSync } from 'node:fs';

import { z } from 'zod';

/** Frameworks the mappings file may name; a new framework needs an entry here. */
export const FRAMEWORKS = ['cisaScubaAad', 'cisM365'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

const idList = z.array(z.string().min(1));

export const frameworkMappingsSchema = z.strictObject({
  $comment: z.string().optional(),
  frameworks: z.record(z.enum(FRAMEWORKS), z.strictObject({ name: z.string(), version: z.string().optional(), source: z.string().url() })),
  mappings: z.record(z.string(), z.strictObject({ cisaScubaAad: idList.optional(), cisM365: idList.optional() })),
});

export type FrameworkMappings = z.infer<typeof frameworkMappingsSchema>;

/** data/framework-mappings.json, beside src/ and dist/ alike. */
export const FRAMEWORK_MAPPINGS_PATH = new URL('../../data/framework-mappings.json', import.meta.url);

/** Reads and validates the mappings file that ships with tokengap; a bad file is a packaging bug, so it throws. */
export function loadFrameworkMappings(): FrameworkMappings {
  return frameworkMappingsSchema.parse(JSON.parse(readFileSync(FRAMEWORK_MAPPINGS_PATH, 'utf8')));
}
