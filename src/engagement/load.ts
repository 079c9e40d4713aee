import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';

import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

import { InputError } from '../errors.js';
import { engagementSchemaFor, suggestKey, knownKeysAt, isVersion2Key } from './keys.js';
import { SUPPORTED_ENGAGEMENT_VERSIONS, type Engagement } from './schema.js';
import { engagementV2Schema, type EngagementV2 } from './schema-v2.js';

const DOCS = 'docs/engagement-file.md';

/**
 * Reads an engagement file (YAML or JSON), validates it and resolves its version (absent = 1).
 * Every problem raises an InputError naming the file, the line, the key path such as
 * `owners.runbook.lastTested`, what was expected and the fix.
 */
export async function loadEngagement(path: string): Promise<Engagement> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? (error as Error).message})`;
    throw new InputError({ file: path }, problem, 'a readable engagement file', 'check the path given to --engagement');
  }
  return parseEngagement(decodeText(path, bytes), path);
}

/** Validates the text of an engagement file; `file` names it in errors. */
export function parseEngagement(text: string, file: string): Engagement {
  if (text.trim() === '') {
    throw new InputError({ file }, 'the file is empty', 'an engagement file with at least `client.name`', `copy examples/engagement-v2.yaml and edit it (see ${DOCS})`);
  }

  const lineCounter = new LineCounter();
  const isJson = extname(file).toLowerCase() === '.json';
  let raw: unknown;
  let document: Document | undefined;
  if (isJson) {
    raw = parseJson(text, file);
    // The YAML parser reads JSON too; its node ranges give line numbers for validation errors.
    const parsed = parseDocument(text, { lineCounter });
    document = parsed.errors.length === 0 ? parsed : undefined;
  } else {
    document = parseDocument(text, { lineCounter, prettyErrors: false });
    const [first] = document.errors;
    if (first) {
      const line = first.linePos?.[0].line ?? lineCounter.linePos(first.pos[0]).line;
      throw new InputError(
        { file, ...(line !== undefined ? { line } : {}) },
        `invalid YAML (${first.message.split('\n')[0]})`,
        'a YAML mapping of engagement keys',
        'fix the YAML syntax at that line: check indentation and quote values containing ": " or "#"',
      );
    }
    try {
      // The yaml library refuses documents whose aliases expand beyond a limit (a "billion laughs" file).
      raw = document.toJS();
    } catch (error) {
      throw new InputError(
        { file },
        `the YAML cannot be expanded (${(error as Error).message})`,
        'an engagement file without a chain of aliases (`*name`) that multiplies its size',
        'write the values out instead of using YAML anchors and aliases',
      );
    }
  }

  if (raw === null || raw === undefined) {
    throw new InputError({ file }, 'the file contains no keys', 'an engagement file with at least `client.name`', `copy examples/engagement-v2.yaml and edit it (see ${DOCS})`);
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError({ file, line: 1 }, `the file contains ${describeValue(raw)}`, 'a mapping of keys such as `client:` and `owners:`', `start from examples/engagement-v2.yaml (see ${DOCS})`);
  }

  const locate = (keyPath: readonly PropertyKey[], atKey?: string) => ({
    file,
    jsonPath: formatPath(atKey === undefined ? keyPath : [...keyPath, atKey]),
    ...lineOf(document, lineCounter, keyPath, atKey),
  });

  const version = resolveVersion(raw as Record<string, unknown>, locate);
  const schema = engagementSchemaFor(version);
  const result = schema.safeParse(raw);
  if (!result.success) throw issueToError(result.error.issues, version, raw, schema, locate);
  // A version 1 file passes through the version 2 schema only to gain its defaults.
  const normalized = version === 1 ? engagementV2Schema.parse({ ...(result.data as object), version: 2 }) : (result.data as EngagementV2);
  return { ...normalized, version };
}

/**
 * Decodes the bytes of a file written by a text editor or by PowerShell: UTF-8 with or without
 * a byte-order mark, or UTF-16 (little or big endian) with one, as `Out-File` writes by default
 * in Windows PowerShell 5.1.
 */
export function decodeText(file: string, bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // UTF-16 without a byte-order mark shows as a zero byte beside every ASCII character.
  if (bytes.length >= 4 && (bytes[1] === 0 || bytes[0] === 0) && start === 0) {
    const encoding = bytes[1] === 0 ? 'utf-16le' : 'utf-16be';
    return new TextDecoder(encoding).decode(bytes);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
  } catch {
    throw new InputError({ file }, 'the file is not valid UTF-8 or UTF-16 text', 'a text file in UTF-8', 'save the file as UTF-8 in your editor');
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new InputError(
      { file, ...(line !== undefined ? { line } : {}) },
      `invalid JSON (${message})`,
      'a JSON object of engagement keys',
      'fix the JSON syntax at that line, or write the file as YAML with a .yaml extension',
    );
  }
}

type Locate = (keyPath: readonly PropertyKey[], atKey?: string) => { file: string; jsonPath: string; line?: number };

function resolveVersion(raw: Record<string, unknown>, locate: Locate): 1 | 2 {
  const version = raw.version ?? 1;
  if ((SUPPORTED_ENGAGEMENT_VERSIONS as readonly unknown[]).includes(version)) return version as 1 | 2;
  throw new InputError(
    locate(['version']),
    `unsupported version ${JSON.stringify(version)}`,
    `one of ${SUPPORTED_ENGAGEMENT_VERSIONS.join(', ')} (a number; leave it out for version 1)`,
    typeof version === 'number' && version > 2
      ? 'upgrade tokengap, or write the file in version 2 format'
      : 'set `version: 2` (or remove the key for version 1)',
  );
}

function issueToError(issues: z.core.$ZodIssue[], version: 1 | 2, raw: unknown, schema: z.ZodType, locate: Locate): InputError {
  const [issue] = issues;
  if (!issue) throw new Error('zod reported a failure without issues');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  const path = issue.path;
  const dotted = formatPath(path);

  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const location = locate(path, key);
    if (version === 1 && path.length === 0 && isVersion2Key(key)) {
      return new InputError(location, `key \`${key}\` belongs to version 2 of the engagement file${more}`, 'only version 1 keys, since the file has no `version: 2`', 'add `version: 2` at the top of the file');
    }
    const known = knownKeysAt(schema, path);
    const suggestion = suggestKey(key, known);
    const where = path.length === 0 ? 'top-level key' : 'key';
    const under = path.length === 0 ? '' : ` under \`${dotted}\``;
    return new InputError(
      location,
      `unknown ${where} \`${key}\`${under}${suggestion ? ` (did you mean \`${suggestion}\`?)` : ''}${more}`,
      known.length <= 10 ? `one of ${known.map((name) => `\`${name}\``).join(', ')}` : `a key listed in ${DOCS}`,
      suggestion ? `rename \`${key}\` to \`${suggestion}\`` : `remove \`${key}\` or see ${DOCS} for the keys`,
    );
  }

  const actual = valueAt(raw, path);
  const location = locate(path);
  const found = actual === undefined ? 'missing' : `found ${describeValue(actual)}`;
  switch (issue.code) {
    case 'invalid_type':
      return new InputError(location, `${found}${more}`, `${article(issue.expected)}`, actual === undefined ? `add \`${dotted}\` (see ${DOCS})` : `set \`${dotted}\` to ${article(issue.expected)}`);
    case 'invalid_value':
      return new InputError(location, `${found}${more}`, `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`, `set \`${dotted}\` to one of the listed values`);
    case 'too_small':
      return new InputError(location, `too small: ${found}${more}`, issue.origin === 'string' ? 'a non-empty text' : `at least ${String(issue.minimum)}`, `set \`${dotted}\` to a larger value or remove it`);
    case 'too_big':
      return new InputError(location, `too large: ${found}${more}`, `at most ${String(issue.maximum)}`, `set \`${dotted}\` to a smaller value`);
    default:
      // Custom refinements carry the expected form as their message.
      return new InputError(location, `invalid value: ${found}${more}`, issue.message, `set \`${dotted}\` to ${issue.message}`);
  }
}

function lineOf(document: Document | undefined, lineCounter: LineCounter, keyPath: readonly PropertyKey[], atKey?: string): { line?: number } {
  if (!document) return {};
  // Walk up until a node exists: a missing key is reported at its parent's line.
  for (let depth = keyPath.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(keyPath.slice(0, depth) as unknown[], true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!node || !range) continue;
    if (atKey !== undefined && depth === keyPath.length && isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === atKey);
      const keyRange = (pair?.key as { range?: [number, number, number] } | null)?.range;
      if (keyRange) return { line: lineCounter.linePos(keyRange[0]).line };
    }
    return { line: lineCounter.linePos(range[0]).line };
  }
  return {};
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Formats a key path as `owners.runbook.lastTested` or `acceptedRisks[0].reviewBy`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text === '' ? '(top level)' : text;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function article(expected: string): string {
  const words: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a text', number: 'a number', boolean: 'true or false' };
  return words[expected] ?? expected;
}
