import assert from 'node:assert/strict';
import { constants } from 'node:buffer';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { InputError } from '../../src/errors.js';
import { decodeText, detectEncoding, parseJsonText, readJsonFile } from '../../src/snapshot/json-input.js';

const sample = '{\r\n  "value": [\r\n    { "id": "a", "displayName": "Café ✓" }\r\n  ]\r\n}\r\n';
const expected = { value: [{ id: 'a', displayName: 'Café ✓' }] };

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return be;
}

const encodings: Array<{ name: string; bytes: Buffer; encoding: string }> = [
  { name: 'UTF-8 without BOM', bytes: Buffer.from(sample, 'utf8'), encoding: 'utf-8' },
  { name: 'UTF-8 with BOM', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample, 'utf8')]), encoding: 'utf-8' },
  { name: 'UTF-16LE with BOM', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]), encoding: 'utf-16le' },
  { name: 'UTF-16BE with BOM', bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(sample)]), encoding: 'utf-16be' },
  { name: 'UTF-16LE without BOM', bytes: Buffer.from(sample, 'utf16le'), encoding: 'utf-16le' },
  { name: 'UTF-16BE without BOM', bytes: utf16be(sample), encoding: 'utf-16be' },
];

for (const { name, bytes, encoding } of encodings) {
  test(`decodes ${name}`, () => {
    assert.equal(detectEncoding(bytes).encoding, encoding);
    const text = decodeText(bytes, 'x.json');
    assert.notEqual(text.charCodeAt(0), 0xfeff, 'BOM must be stripped');
    assert.deepEqual(parseJsonText(text, 'x.json'), expected);
  });
}

function catchInputError(action: () => unknown): InputError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected InputError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected an InputError');
}

const syntaxCases: Array<{ name: string; text: string; line: number; column: number; expected: RegExp; fix?: RegExp }> = [
  { name: 'trailing comma in object', text: '{\r\n  "a": 1,\r\n}', line: 3, column: 1, expected: /property name/, fix: /trailing comma/ },
  { name: 'trailing comma in array', text: '[1,\n 2,\n]', line: 3, column: 1, expected: /value after the comma/, fix: /trailing comma/ },
  { name: 'truncated file', text: '{\n  "value": [\n    { "id": "a" },', line: 3, column: 19, expected: /value/, fix: /truncated/ },
  { name: 'truncated inside a string', text: '{"value": [{"id": "ab', line: 1, column: 22, expected: /closing double quote/, fix: /truncated/ },
  { name: 'missing comma', text: '{\n "a": 1\n "b": 2\n}', line: 3, column: 2, expected: /"," or "}"/ },
  { name: 'single quotes', text: "{'a': 1}", line: 1, column: 2, expected: /property name in double quotes/ },
  { name: 'bad literal', text: '{"a": tru}', line: 1, column: 7, expected: /a value/ },
  { name: 'two documents', text: '{"a": 1}\n{"b": 2}', line: 2, column: 1, expected: /end of the file/, fix: /ndjson/ },
  { name: 'unescaped backslash', text: '{"path": "C:\\Users"}', line: 1, column: 13, expected: /valid escape/, fix: /backslash/ },
];

for (const { name, text, line, column, expected: expectation, fix } of syntaxCases) {
  test(`parseJsonText rejects ${name}`, () => {
    const error = catchInputError(() => parseJsonText(text, 'policies.json'));
    assert.equal(error.location.file, 'policies.json');
    assert.equal(error.location.line, line);
    assert.match(error.problem, new RegExp(`line ${line}, column ${column}:`));
    assert.match(error.expected, expectation);
    if (fix) assert.match(error.fix ?? '', fix);
    assert.match(error.message, /^policies\.json:\d+: invalid JSON/);
  });
}

const decodeCases: Array<{ name: string; bytes: Buffer; problem: RegExp }> = [
  { name: 'empty file', bytes: Buffer.alloc(0), problem: /empty/ },
  { name: 'odd-length UTF-16', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le'), Buffer.from([0x41])]), problem: /odd number of bytes/ },
  { name: 'lone UTF-16 surrogate', bytes: Buffer.from([0xff, 0xfe, 0x7b, 0x00, 0x00, 0xd8, 0x7d, 0x00]), problem: /not valid UTF-16LE/ },
  { name: 'invalid UTF-8', bytes: Buffer.from([0x7b, 0x0a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), problem: /not valid UTF-8/ },
  { name: 'binary garbage', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]), problem: /not valid UTF-8|binary/ },
  { name: 'UTF-32', bytes: Buffer.from([0xff, 0xfe, 0x00, 0x00, 0x7b, 0, 0, 0, 0x7d, 0, 0, 0]), problem: /UTF-32/ },
];

for (const { name, bytes, problem } of decodeCases) {
  test(`decodeText rejects ${name}`, () => {
    const error = catchInputError(() => decodeText(bytes, 'users.json'));
    assert.equal(error.location.file, 'users.json');
    assert.match(error.problem, problem);
    assert.ok(error.fix);
  });
}

test('decodeText names the line of invalid UTF-8', () => {
  const bytes = Buffer.concat([Buffer.from('{\n"a":\n"', 'utf8'), Buffer.from([0xff]), Buffer.from('"}', 'utf8')]);
  assert.equal(catchInputError(() => decodeText(bytes, 'f.json')).location.line, 3);
});

test('parseJsonText rejects whitespace-only text', () => {
  assert.match(catchInputError(() => parseJsonText('\ufeff \r\n', 'f.json')).problem, /empty/);
});

const dir = await mkdtemp(join(tmpdir(), 'tokengap-json-input-'));
after(() => rm(dir, { recursive: true, force: true }));

test('readJsonFile reads a UTF-16LE file with BOM and CRLF', async () => {
  const path = join(dir, 'policy.json');
  await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]));
  assert.deepEqual(await readJsonFile(path), expected);
});

test('readJsonFile rejects a folder', async () => {
  const folder = join(dir, 'users.json');
  await mkdir(folder);
  await assert.rejects(readJsonFile(folder), (error: unknown) => error instanceof InputError && /folder, not a file/.test(error.problem) && error.location.file === folder);
});

test('readJsonFile rejects a missing file', async () => {
  const path = join(dir, 'missing.json');
  await assert.rejects(readJsonFile(path), (error: unknown) => error instanceof InputError && /does not exist/.test(error.problem));
});

test('readJsonFile rejects an unreadable file', { skip: process.getuid?.() === 0 ? 'root can read any file' : false }, async () => {
  const path = join(dir, 'locked.json');
  await writeFile(path, '{}');
  await chmod(path, 0o000);
  await assert.rejects(readJsonFile(path), (error: unknown) => error instanceof InputError && /permission denied/.test(error.problem));
});

test('decodeText rejects a file too large for one string', () => {
  const bytes = Buffer.allocUnsafe(constants.MAX_STRING_LENGTH + 16);
  bytes.fill(0x20, 0, 4096);
  const error = catchInputError(() => decodeText(bytes, 'users.json'));
  assert.match(error.problem, /too large to read whole/);
  assert.match(error.fix ?? '', /split the export/);
});
