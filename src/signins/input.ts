import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';

import { InputError } from '../errors.js';
import { detectEncoding } from '../snapshot/json-input.js';

export const ENCODING_FIX = 'save the export as UTF-8 (in PowerShell: `Out-File -Encoding utf8`) and check that it is a text file';

/** Reads the first bytes of a file without reading the rest. */
async function readHead(file: string, length: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      { file },
      code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code ?? 'unknown error'})`,
      'a readable sign-in or audit log export',
      'check the path and the file permissions',
    );
  }
  try {
    if ((await handle.stat()).isDirectory()) throw folderGivenAsFile(file);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Builds the error for a folder named where a log file belongs, because reading it would fail with EISDIR. */
export function folderGivenAsFile(file: string): InputError {
  return new InputError(
    { file },
    'this is a folder, not a log file',
    'a sign-in or audit log file',
    `to review a tenant snapshot, run \`tokengap signins --snapshot ${file}\`; otherwise name the log files inside it, such as ${file}/*.ndjson`,
  );
}

/**
 * True for a file the text reader decodes as UTF-16: one with a UTF-16 byte-order mark (Windows
 * PowerShell's Out-File writes one), or whose first 4 KB have NUL bytes on one side of most pairs.
 */
export async function isUtf16(file: string): Promise<boolean> {
  return detectEncoding(await readHead(file, 4096)).encoding !== 'utf-8';
}

/** True when the file starts with the gzip magic bytes, whatever its name. */
export async function isGzip(file: string): Promise<boolean> {
  const head = await readHead(file, 2);
  return head.length === 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Streams a file as decoded text chunks. Gzip is detected from the magic bytes and inflated.
 * UTF-8 (with or without BOM) or UTF-16 (with a BOM, or detected from NUL bytes) is then decoded
 * with a streaming TextDecoder, so a character split across chunks stays whole.
 * Throws InputError for an empty file and for bytes that are not valid text.
 */
export async function* readTextChunks(file: string): AsyncGenerator<string> {
  const gzip = await isGzip(file);
  let bytes: Readable = createReadStream(file, { highWaterMark: 1 << 20 });
  if (gzip) bytes = bytes.pipe(createGunzip());

  let decoder: TextDecoder | undefined;
  let sawBytes = false;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      let body = chunk;
      if (!decoder) {
        if (chunk.length === 0) continue;
        const { encoding, bomLength } = detectEncoding(chunk);
        decoder = new TextDecoder(encoding, { fatal: true });
        body = chunk.subarray(bomLength);
      }
      sawBytes = true;
      const text = decoder.decode(body, { stream: true });
      if (text.length > 0) yield text;
    }
    if (decoder) {
      const rest = decoder.decode();
      if (rest.length > 0) yield rest;
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    if (error instanceof TypeError) {
      throw new InputError({ file }, 'the file is not valid UTF-8 or UTF-16 text', 'a text export', ENCODING_FIX);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
      throw new InputError({ file }, 'the gzip data is truncated or corrupt', 'a complete .gz file', 'copy or download the file again');
    }
    throw error;
  }
  if (!sawBytes) {
    throw new InputError({ file }, 'the file is empty', 'a sign-in or audit log export', 'export the logs again; an export with no sign-ins is written as `{ "value": [] }`');
  }
}

/**
 * Splits text chunks into lines, 1-based line numbers, without the line end. The pieces of a line
 * that spans chunks are joined once, at its end. Adding each chunk to one string and searching it
 * again took time that grew with the square of the line's length (minutes for a 50 MiB line).
 */
export async function* readLines(chunks: AsyncIterable<string>): AsyncGenerator<{ text: string; line: number }> {
  let pieces: string[] = [];
  let line = 0;
  for await (const chunk of chunks) {
    let start = 0;
    for (let end = chunk.indexOf('\n'); end !== -1; end = chunk.indexOf('\n', start)) {
      line++;
      let text = chunk.slice(start, end);
      if (pieces.length > 0) {
        pieces.push(text);
        text = pieces.join('');
        pieces = [];
      }
      yield { text: text.endsWith('\r') ? text.slice(0, -1) : text, line };
      start = end + 1;
    }
    if (start < chunk.length) pieces.push(chunk.slice(start));
  }
  const rest = pieces.join('');
  if (rest.length > 0) yield { text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line: line + 1 };
}
