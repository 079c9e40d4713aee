import { z } from 'zod';

import { engagementV1Schema, engagementV1Shape } from './schema.js';
import { engagementV2Schema } from './schema-v2.js';

export function engagementSchemaFor(version: 1 | 2): z.ZodType {
  return version === 1 ? engagementV1Schema : engagementV2Schema;
}

/** Returns true for a top-level key that version 2 adds. */
export function isVersion2Key(key: string): boolean {
  return key in engagementV2Schema.shape && !(key in engagementV1Shape);
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  entries?: Record<string, unknown>;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** Unwraps optional, default and pipe wrappers down to the schema that checks the value. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!inner) return current;
    current = inner;
  }
}

/** Lists the keys a mapping at `path` accepts, for "did you mean" hints. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const key of path) {
    if (!current) return [];
    const def = defOf(current);
    if (def.type === 'object') current = def.shape?.[String(key)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else return [];
    if (current) current = unwrap(current);
  }
  if (!current) return [];
  const def = defOf(current);
  if (def.type === 'object') return Object.keys(def.shape ?? {});
  if (def.type === 'record' && def.keyType) {
    const keyDef = defOf(unwrap(def.keyType));
    if (keyDef.type === 'enum') return Object.keys(keyDef.entries ?? {});
  }
  return [];
}

/** British spellings people type for the American keys the file uses. */
const BRITISH_TO_AMERICAN: [RegExp, string][] = [
  [/licence/gi, 'license'],
  [/isation/gi, 'ization'],
  [/ise([sd]?)$/gi, 'ize$1'],
  [/colour/gi, 'color'],
  [/behaviour/gi, 'behavior'],
  [/programme/gi, 'program'],
  [/catalogue/gi, 'catalog'],
];

/** Suggests the known key closest to an unknown one, or undefined when none is close. */
export function suggestKey(unknown: string, known: readonly string[]): string | undefined {
  let americanized = unknown;
  for (const [pattern, replacement] of BRITISH_TO_AMERICAN) americanized = americanized.replace(pattern, replacement);
  const normalize = (text: string) => text.toLowerCase().replace(/[-_\s]/g, '');
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = Math.min(levenshtein(normalize(unknown), normalize(key)), levenshtein(normalize(americanized), normalize(key)));
    if (!best || distance < best.distance) best = { key, distance };
  }
  if (!best) return undefined;
  const tolerance = Math.max(2, Math.floor(best.key.length / 3));
  return best.distance <= tolerance ? best.key : undefined;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
