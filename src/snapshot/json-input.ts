import { constants as bufferConstants } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';

import { InputError } from '../errors.js';

/**
 * Reading of JSON exports as they arrive from real tools: UTF-8 with or without a byte-order
 * mark, UTF-16 with a BOM (Windows PowerShell 5.1 `Out-File` and the IntuneManagement tool
 * write UTF-16LE), UTF-16 without a BOM, and CRLF line ends.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

const ENCODING_FIX =
  'save the file as UTF-8 (in PowerShell: `Out-File -Encoding utf8` or `Set-Content -Encoding utf8`) and check that it is a text export';

/**
 * Detects the encoding of a text file from its byte-order mark or, without one, from the
 * pattern of NUL bytes that UTF-16 leaves in ASCII text.
 */
export function detectEncoding(buffer: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  const [b0, b1, b2, b3] = buffer;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  // UTF-32LE starts with FF FE 00 00; it is rejected in decodeText, so it must not pass as UTF-16LE.
  if (b0 === 0xff && b1 === 0xfe && !(b2 === 0 && b3 === 0)) return { encoding: 'utf-16le', bomLength: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bomLength: 2 };

  const sample = Math.min(buffer.length, 4096);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample; i++) {
    if (buffer[i] !== 0) continue;
    if (i % 2 === 0) evenNuls++;
    else oddNuls++;
  }
  const pairs = sample / 2;
  // JSON is mostly ASCII, so UTF-16 text has a NUL in nearly every code unit on one side only.
  if (pairs >= 1 && oddNuls >= pairs * 0.4 && evenNuls < pairs * 0.1) return { encoding: 'utf-16le', bomLength: 0 };
  if (pairs >= 1 && evenNuls >= pairs * 0.4 && oddNuls < pairs * 0.1) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/**
 * Decodes a whole text file to a string without its byte-order mark. Throws InputError for an
 * empty file, UTF-32, invalid UTF-8 or UTF-16 byte sequences, and binary data (NUL characters).
 */
export function decodeText(buffer: Uint8Array, file: string): string {
  if (buffer.length === 0) {
    throw new InputError({ file }, 'the file is empty', 'a JSON document', 'export the data again; an empty list is written as `{ "value": [] }`');
  }
  const [b0, b1, b2, b3] = buffer;
  if ((b0 === 0xff && b1 === 0xfe && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b2 === 0xfe && b3 === 0xff)) {
    throw new InputError({ file }, 'the file is UTF-32 text', 'UTF-8 or UTF-16 text', ENCODING_FIX);
  }

  const { encoding, bomLength } = detectEncoding(buffer);
  const body = buffer.subarray(bomLength);
  const maxChars = bufferConstants.MAX_STRING_LENGTH;
  // A decoded file must fit in one JavaScript string: about 512 Mi UTF-16 code units in Node 20.
  if ((encoding === 'utf-8' ? body.length : body.length / 2) > maxChars) {
    throw new InputError(
      { file },
      `the file is too large to read whole (${Math.round(buffer.length / 2 ** 20)} MiB)`,
      `at most ${Math.floor(maxChars / 2 ** 20)} Mi characters per file`,
      'split the export into several files in a folder named after the resource (one Graph page per file)',
    );
  }
  if (encoding !== 'utf-8' && body.length % 2 !== 0) {
    throw new InputError(
      { file },
      `the file looks like ${encodingLabel(encoding)} but has an odd number of bytes (${body.length}), so it is truncated or not text`,
      `${encodingLabel(encoding)} text made of 2-byte code units`,
      ENCODING_FIX,
    );
  }

  let text: string;
  try {
    // `ignoreBOM: true` keeps a BOM in the output, which is removed below so that a BOM
    // repeated by a careless concatenation is still caught as a stray character by the parser.
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw new InputError(
      { file, line: lineOfInvalidBytes(buffer, bomLength, encoding) },
      `the file is not valid ${encodingLabel(encoding)} text`,
      'UTF-8 or UTF-16 text',
      ENCODING_FIX,
    );
  }

  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    throw new InputError(
      { file, line: lineAt(text, nul).line },
      `the file holds binary data (a NUL character at line ${lineAt(text, nul).line}, column ${lineAt(text, nul).column})`,
      'a text export',
      ENCODING_FIX,
    );
  }
  return text;
}

const ENCODING_LABELS: Record<TextEncodingName, string> = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE' };

function encodingLabel(encoding: TextEncodingName): string {
  return ENCODING_LABELS[encoding];
}

/** Finds the line of the first byte sequence that does not decode, from the first U+FFFD of a lenient decode. */
function lineOfInvalidBytes(buffer: Uint8Array, bomLength: number, encoding: TextEncodingName): number | undefined {
  const body = buffer.subarray(bomLength);
  const decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
  const loose = decoder.decode(body);
  const replacement = loose.indexOf('\ufffd');
  return replacement === -1 ? undefined : lineAt(loose, replacement).line;
}

/** 1-based line and column of a string offset; CRLF counts as one line end. */
export function lineAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses JSON text (a leading BOM is ignored). Throws InputError naming the line and column of
 * the first syntax error, what the parser expected there and how to fix it.
 */
export function parseJsonText(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') {
    throw new InputError({ file }, 'the file is empty', 'a JSON document', 'export the data again; an empty list is written as `{ "value": [] }`');
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const syntax = locateJsonSyntaxError(body);
    const { line, column } = lineAt(body, syntax.offset);
    throw new InputError(
      { file, line },
      `invalid JSON at line ${line}, column ${column}: found ${syntax.found}`,
      syntax.expected,
      syntax.fix ?? 'fix the JSON at that position or export the file again; a file cut short by a failed copy or download ends too early',
    );
  }
  assertNestingDepth(value, file);
  return value;
}

/** Deepest nesting of arrays and objects accepted; Graph exports nest fewer than 20 levels. */
export const MAX_JSON_DEPTH = 256;

/**
 * Rejects JSON nested deeper than MAX_JSON_DEPTH. The readers that walk the data recurse, so a
 * hostile file nested thousands of levels deep would otherwise overflow the stack. This walk
 * uses its own stack.
 */
export function assertNestingDepth(value: unknown, file: string): void {
  // Each entry keeps its parent and key so the JSON path is built only for the error.
  interface Entry { value: unknown; depth: number; parent?: Entry; key?: string | number }
  const stack: Entry[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const current = entry.value;
    if (current === null || typeof current !== 'object') continue;
    if (entry.depth >= MAX_JSON_DEPTH) {
      let path = '';
      for (let at: Entry | undefined = entry; at?.parent; at = at.parent) path = (typeof at.key === 'number' ? `[${at.key}]` : `.${at.key}`) + path;
      throw new InputError(
        { file, jsonPath: `$${path.length > 120 ? `${path.slice(0, 120)}...` : path}` },
        `the data is nested more than ${MAX_JSON_DEPTH} levels deep`,
        'a Graph export, which nests a few levels',
        'export the file again from Graph; a file nested this deeply is damaged or not an export',
      );
    }
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const element: unknown = current[i];
        if (element !== null && typeof element === 'object') stack.push({ value: element, depth: entry.depth + 1, parent: entry, key: i });
      }
    } else {
      for (const key in current) {
        const element = (current as Record<string, unknown>)[key];
        if (element !== null && typeof element === 'object') stack.push({ value: element, depth: entry.depth + 1, parent: entry, key });
      }
    }
  }
}

/** Reads a file whole, turning a missing, unreadable or folder path into InputError. */
export async function readInputBuffer(path: string): Promise<Buffer> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw fileAccessError(path, error);
  }
  if (isDirectory) {
    throw new InputError({ file: path }, 'this is a folder, not a file', 'a JSON file', 'point at the JSON file inside it, or remove the folder');
  }
  try {
    return await readFile(path);
  } catch (error) {
    throw fileAccessError(path, error);
  }
}

/** Reads, decodes and parses a JSON file. */
export async function readJsonFile(path: string): Promise<unknown> {
  const buffer = await readInputBuffer(path);
  return parseJsonText(decodeText(buffer, path), path);
}

function fileAccessError(path: string, error: unknown): InputError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new InputError({ file: path }, 'the file does not exist', 'a readable JSON file', 'check the path and the file name');
  if (code === 'EACCES' || code === 'EPERM') {
    return new InputError({ file: path }, 'permission denied when reading the file', 'a readable JSON file', 'give your user read access to the file (e.g. `chmod u+r`)');
  }
  if (code === 'EISDIR') return new InputError({ file: path }, 'this is a folder, not a file', 'a JSON file', 'point at the JSON file inside it');
  const message = error instanceof Error ? error.message : String(error);
  return new InputError({ file: path }, `the file cannot be read (${message})`, 'a readable JSON file', 'check the path and the disk');
}

interface JsonSyntaxError {
  offset: number;
  found: string;
  expected: string;
  fix?: string;
}

/**
 * Walks JSON text to find the first syntax error. JSON.parse reports a position for some errors
 * only, and never what it expected, so this small recursive-descent checker runs after a failed
 * parse to describe the error.
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxError {
  let i = 0;
  const n = text.length;

  const describe = (at: number): string => {
    if (at >= n) return 'the end of the file';
    const ch = text[at]!;
    return JSON.stringify(ch === '\r' || ch === '\n' ? ch : text.slice(at, at + 12).split(/[\r\n]/)[0]);
  };
  const fail = (expected: string, fix?: string): never => {
    const found = describe(i);
    const error: JsonSyntaxError = { offset: Math.min(i, n), found, expected };
    if (fix !== undefined) error.fix = fix;
    throw error;
  };
  const skipWhitespace = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const parseString = (): void => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c === 92) {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else {
          fail('a valid escape (\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX) inside a string', 'write a backslash inside a string as \\\\ (Windows paths often cause this)');
        }
      } else if (c < 32) {
        fail('a closing double quote before the end of the line', 'close the string, or write line breaks inside strings as \\n');
      } else i++;
    }
    fail('a closing double quote', 'the file ends inside a string: it is truncated, so export it again');
  };
  const parseNumber = (): void => {
    const match = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!match || match[0] === '' || match[0] === '-') fail('a number');
    i += match![0].length;
  };
  const parseValue = (): void => {
    skipWhitespace();
    if (i >= n) fail('a value', 'the file ends too early: it is truncated, so export it again');
    const ch = text[i]!;
    if (ch === '{') return parseObject();
    if (ch === '[') return parseArray();
    if (ch === '"') return parseString();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return parseNumber();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    if (ch === "'") fail('a value (strings use double quotes in JSON)', 'replace single quotes with double quotes');
    fail('a value (object, array, string, number, true, false or null)');
  };
  const parseObject = (): void => {
    i++;
    skipWhitespace();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      skipWhitespace();
      if (text[i] === '}') fail('a property name in double quotes after the comma', 'remove the trailing comma before "}"');
      if (text[i] !== '"') fail('a property name in double quotes', i >= n ? 'the file ends too early: it is truncated, so export it again' : undefined);
      parseString();
      skipWhitespace();
      if (text[i] !== ':') fail('":" after the property name');
      i++;
      parseValue();
      skipWhitespace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') {
        i++;
        return;
      }
      fail('"," or "}" after a property value', i >= n ? 'the file ends too early: it is truncated, so export it again' : 'add the missing comma or closing brace');
    }
  };
  const parseArray = (): void => {
    i++;
    skipWhitespace();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      skipWhitespace();
      if (text[i] === ']') fail('a value after the comma', 'remove the trailing comma before "]"');
      parseValue();
      skipWhitespace();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') {
        i++;
        return;
      }
      fail('"," or "]" after an array element', i >= n ? 'the file ends too early: it is truncated, so export it again' : 'add the missing comma or closing bracket');
    }
  };

  try {
    parseValue();
    skipWhitespace();
    if (i < n) fail('the end of the file after the JSON value', 'keep one JSON document per file; for one object per line use an .ndjson file');
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'offset' in error) return error as JsonSyntaxError;
    // A stack overflow here means nesting deeper than this checker can follow.
    if (error instanceof RangeError) return { offset: 0, found: describe(0), expected: 'JSON nested less deeply' };
    throw error;
  }
  // JSON.parse rejected what this checker accepts (should not happen); report the start.
  return { offset: 0, found: describe(0), expected: 'valid JSON' };
}
