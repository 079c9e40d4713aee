import type { z } from 'zod';

import { InputError } from '../errors.js';

import { describeJsonType } from './shapes.js';

/** Appends a zod issue path to a JSON path: `$.value[3]` + `conditions.users` + `0`. */
export function joinJsonPath(base: string, path: ReadonlyArray<PropertyKey>): string {
  let result = base;
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) result += `.${segment}`;
    else result += `[${JSON.stringify(String(segment))}]`;
  }
  return result;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Names the bad property for messages: `includeUsers`, or `includeGroups[1]` for an element. */
function propertyName(path: ReadonlyArray<PropertyKey>, resource: string): string {
  let name = '';
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i];
    if (typeof segment === 'number') {
      name = `[${segment}]${name}`;
      continue;
    }
    return `${String(segment)}${name}`;
  }
  return `${resource}${name}`;
}

const ARTICLE: Record<string, string> = {
  array: 'an array',
  object: 'an object',
  string: 'a string',
  boolean: 'a boolean (true or false)',
  number: 'a number',
};

/**
 * Validates `value` against `schema` and throws InputError for the first problem, naming the
 * file, the JSON path from `jsonPath` down to the bad value, what was expected and the fix.
 */
export function validateItem(schema: z.ZodType, value: unknown, location: { file: string; jsonPath: string }, resource: string): void {
  const result = schema.safeParse(value);
  if (result.success) return;

  const issues = result.error.issues;
  const issue = issues[0]!;
  const found = valueAt(value, issue.path);
  const jsonPath = joinJsonPath(location.jsonPath, issue.path);
  const property = propertyName(issue.path, resource);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''} in this object)` : '';

  let expected = issue.message;
  let fix = `correct the value, or export ${resource} again from Graph`;
  if (issue.code === 'invalid_value') {
    expected = `one of ${issue.values.map((allowed) => JSON.stringify(allowed)).join(', ')}`;
    fix = `set "${property}" to one of those values`;
  } else if (issue.code === 'invalid_type') {
    expected = ARTICLE[issue.expected] ?? issue.expected;
    if (found === undefined) {
      fix = `add "${property}"; Graph always returns it, so the file may not come from Graph or was edited`;
    } else if (issue.expected === 'array' && typeof found === 'string') {
      expected = `an array of strings, e.g. [${JSON.stringify(found)}]`;
      fix = `write "${property}" as a JSON array: [${JSON.stringify(found)}]`;
    } else if (issue.expected === 'boolean' && typeof found === 'string') {
      fix = `write "${property}" as true or false without quotes`;
    }
  }

  const problem = found === undefined ? `"${property}" is missing${more}` : `"${property}" is ${describeJsonType(found)}${more}`;
  throw new InputError({ file: location.file, jsonPath }, problem, expected, fix);
}
