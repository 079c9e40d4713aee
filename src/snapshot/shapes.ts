import { InputError } from '../errors.js';

import type { LoadWarning } from './types.js';

/**
 * Normalisation of the JSON shapes that real exports take into lists of items with their JSON
 * paths. The shapes are Graph pages, arrays of pages, bare arrays and lists that PowerShell
 * collapsed into one object. Items may carry OData annotations or come from PowerShell Graph SDK
 * object dumps with PascalCase property names.
 */

/** One item of a list resource, with where it came from for messages and evidence. */
export interface LocatedItem {
  value: unknown;
  file: string;
  jsonPath: string;
}

export type WarningSink = (warning: LoadWarning) => void;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Tells whether a value is a Graph response page: an object with a `value` array and otherwise only OData control
 * properties such as `@odata.context`, `@odata.nextLink` or `@odata.count`.
 */
export function isGraphPage(value: unknown): value is { value: unknown[] } {
  if (!isPlainObject(value) || !Array.isArray(value.value)) return false;
  return Object.keys(value).every((key) => key === 'value' || key.startsWith('@odata.') || key.startsWith('@microsoft.graph.'));
}

/**
 * Lists the items of a collection file: `{ "value": [...] }`, an array of such pages, a bare
 * array, or one object. Inside a resource folder one object per file is the usual export layout.
 * As `<resource>.json`, one object is a list that PowerShell's `ConvertTo-Json` collapsed because
 * it had one element, so it is read as a one-item list with a warning.
 */
export function listItems(data: unknown, file: string, resource: string, warn: WarningSink, inFolder = false): LocatedItem[] {
  if (isGraphPage(data)) return data.value.map((value, i) => ({ value, file, jsonPath: `$.value[${i}]` }));

  if (Array.isArray(data)) {
    if (data.length > 0 && data.every(isGraphPage)) {
      return data.flatMap((page, p) => page.value.map((value, i) => ({ value, file, jsonPath: `$[${p}].value[${i}]` })));
    }
    return data.map((value, i) => ({ value, file, jsonPath: `$[${i}]` }));
  }

  if (isPlainObject(data)) {
    if ('value' in data && !Array.isArray(data.value)) {
      throw new InputError({ file, jsonPath: '$.value' }, `"value" is ${describeJsonType(data.value)}`, 'an array of objects', 'write the list as `{ "value": [ ... ] }`');
    }
    if (inFolder) return [{ value: data, file, jsonPath: '$' }];
    warn({
      file,
      jsonPath: '$',
      message: `${resource} contains one object rather than a list; read as a list of one (PowerShell's ConvertTo-Json collapses one-element arrays, use -AsArray or Invoke-MgGraphRequest -OutputType Json)`,
    });
    return [{ value: data, file, jsonPath: '$' }];
  }

  throw new InputError({ file, jsonPath: '$' }, `the file contains ${describeJsonType(data)}`, `a Graph page { "value": [...] }, an array of ${resource}, or one object`, `export ${resource} again from Graph`);
}

/**
 * Reads the one object of a singleton resource. A Graph page or array with exactly one element
 * is unwrapped, because some exports list singletons (for example the beta endpoints).
 */
export function singleItem(data: unknown, file: string, resource: string, warn: WarningSink): LocatedItem {
  const candidates = isGraphPage(data) ? data.value : Array.isArray(data) ? data : undefined;
  if (candidates === undefined) {
    if (isPlainObject(data)) return { value: data, file, jsonPath: '$' };
    throw new InputError({ file, jsonPath: '$' }, `the file contains ${describeJsonType(data)}`, `one ${resource} object`, `export ${resource} again from Graph (GET returns one object)`);
  }
  if (candidates.length !== 1) {
    throw new InputError(
      { file, jsonPath: '$' },
      `the file contains a list of ${candidates.length} objects`,
      `one ${resource} object`,
      `keep the tenant's one ${resource} object in the file`,
    );
  }
  const jsonPath = isGraphPage(data) ? '$.value[0]' : '$[0]';
  warn({ file, jsonPath, message: `${resource} is a single object but was written as a list; read its one element` });
  return { value: candidates[0], file, jsonPath };
}

/** Names a JSON value's type for messages: "a string ("All")", "an array", "null". */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'undefined') return 'nothing';
  return `a ${typeof value} (${String(value)})`;
}

/**
 * Removes OData annotations in place, keeping `@odata.type`, which distinguishes named-location,
 * directory-object and authentication-method kinds. Beta exports pair every property with
 * `<name>@odata.type` and add `@odata.context`, `@odata.id`, `@odata.editLink` and `@odata.etag`.
 */
export function stripODataAnnotations(value: unknown): void {
  if (Array.isArray(value)) {
    for (const element of value) stripODataAnnotations(element);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const key of Object.keys(value)) {
    if (key !== '@odata.type' && key.includes('@odata.')) delete value[key];
    else stripODataAnnotations(value[key]);
  }
}

const PASCAL_KEY = /^[A-Z][A-Za-z0-9]*$/;
const DOTNET_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/**
 * Tells whether an item comes from a PowerShell Graph SDK object dump (as ScubaGear writes):
 * property names in PascalCase, such as `Id` and `DisplayName`, and no camelCase `id`.
 */
export function isPascalCaseDump(item: unknown): boolean {
  if (!isPlainObject(item) || 'id' in item) return false;
  const keys = Object.keys(item);
  const pascal = keys.filter((key) => PASCAL_KEY.test(key)).length;
  return pascal > 0 && pascal >= keys.length / 2;
}

/**
 * Converts a PowerShell Graph SDK object dump to Graph JSON: property names to camelCase
 * (`IncludeUsers` to `includeUsers`), the `AdditionalProperties` bag merged into its object,
 * and .NET JSON dates (`/Date(1647536088205)/`) to ISO 8601. The SDK's model properties are
 * Graph's names with the first letter upper-cased, so the mapping is mechanical.
 */
export function convertPascalCaseDump(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convertPascalCaseDump);
  if (typeof value === 'string') {
    const match = DOTNET_DATE.exec(value);
    return match ? new Date(Number(match[1])).toISOString() : value;
  }
  if (!isPlainObject(value)) return value;

  const converted: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'AdditionalProperties') continue;
    const name = PASCAL_KEY.test(key) ? key[0]!.toLowerCase() + key.slice(1) : key;
    converted[name] = convertPascalCaseDump(child);
  }
  const extra = value.AdditionalProperties;
  if (isPlainObject(extra)) {
    // The bag contains properties the SDK model lacks, already in Graph's own spelling.
    for (const [key, child] of Object.entries(extra)) {
      if (!(key in converted)) converted[key] = child;
    }
  }
  return converted;
}
