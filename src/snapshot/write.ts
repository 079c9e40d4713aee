import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';

import { UserError } from '../errors.js';

import { RESOURCE_NAMES, SINGLETON_RESOURCES } from './resources.js';
import type { SnapshotManifest, SnapshotResources } from './types.js';

/** One sign-in log file to write under `signIns/`, as NDJSON (one Graph signIn object a line). */
export interface SignInFileContent {
  /** File name inside `signIns/`, e.g. `interactive.ndjson`. */
  name: string;
  events: Iterable<unknown> | AsyncIterable<unknown>;
}

export interface WriteSnapshotInput {
  manifest: SnapshotManifest;
  resources: Partial<SnapshotResources>;
  signIns?: SignInFileContent[];
  /** Replace an existing non-empty folder at `dir`. Default: false, which rejects it. */
  overwrite?: boolean;
}

const FOLDER_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Writes a snapshot folder atomically: everything goes to a temporary folder beside `dir`, which
 * is renamed into place at the end, so a crash or error never leaves a half-written snapshot.
 * Folders are created 0700 and files 0600 because snapshots hold personal data.
 * Each collection is written as a Graph page `{ "value": [...] }`, one item a line, so a large
 * user list never becomes one giant string.
 */
export async function writeSnapshot(dir: string, input: WriteSnapshotInput): Promise<void> {
  const target = resolve(dir);
  assertConsistent(input);
  await mkdir(dirname(target), { recursive: true, mode: FOLDER_MODE });
  const existing = await folderState(target);
  if (existing === 'file') {
    throw new UserError(`${target} is a file, not a folder`, 'choose another output folder');
  }
  if (existing === 'nonEmpty' && !input.overwrite) {
    throw new UserError(`${target} already exists and is not empty`, 'choose a new output folder, or remove the old snapshot first');
  }

  const temp = await mkdtemp(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    await writeContents(temp, input);
    if (existing === 'empty') await rmdir(target);
    if (existing === 'nonEmpty') {
      // Move the old snapshot aside first: rename cannot replace a non-empty folder.
      const old = `${temp}.old`;
      await rename(target, old);
      await rename(temp, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temp, target);
    }
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Rejects data without a `collected` status and `collected` without data, which are caller bugs. */
function assertConsistent(input: WriteSnapshotInput): void {
  for (const name of RESOURCE_NAMES) {
    const status = input.manifest.resources[name]?.status;
    const hasData = name === 'signIns' ? input.signIns !== undefined : (input.resources as Record<string, unknown>)[name] !== undefined;
    if (hasData && status !== 'collected') throw new Error(`writeSnapshot: ${name} has data but its manifest status is ${status ?? 'missing'}`);
    if (!hasData && status === 'collected') throw new Error(`writeSnapshot: ${name} is marked collected but has no data`);
  }
}

async function folderState(path: string): Promise<'missing' | 'file' | 'empty' | 'nonEmpty'> {
  try {
    if (!(await stat(path)).isDirectory()) return 'file';
  } catch {
    return 'missing';
  }
  return (await readdir(path)).length === 0 ? 'empty' : 'nonEmpty';
}

async function writeContents(folder: string, input: WriteSnapshotInput): Promise<void> {
  const manifest: SnapshotManifest = { ...input.manifest, resources: { ...input.manifest.resources } };
  for (const name of RESOURCE_NAMES) {
    const data = (input.resources as Record<string, unknown>)[name];
    if (data === undefined || name === 'signIns') continue;
    const path = join(folder, `${name}.json`);
    if (Array.isArray(data)) {
      await writeLines(path, graphPageLines(data));
      const status = manifest.resources[name]!;
      manifest.resources[name] = { ...status, count: data.length };
    } else {
      if (!SINGLETON_RESOURCES.has(name)) throw new Error(`writeSnapshot: ${name} is a collection but was given one object`);
      await writeFile(path, `${JSON.stringify(data, null, 2)}\n`, { mode: FILE_MODE, flag: 'wx' });
    }
  }

  if (input.signIns) {
    const signInFolder = join(folder, 'signIns');
    await mkdir(signInFolder, { mode: FOLDER_MODE });
    for (const file of input.signIns) {
      if (basename(file.name) !== file.name || file.name.startsWith('.')) throw new Error(`writeSnapshot: invalid sign-in file name ${file.name}`);
      await writeLines(join(signInFolder, file.name), ndjsonLines(file.events));
    }
  }
  await writeFile(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: FILE_MODE, flag: 'wx' });
}

function* graphPageLines(items: unknown[]): Generator<string> {
  if (items.length === 0) {
    yield '{ "value": [] }\n';
    return;
  }
  yield '{ "value": [\n';
  for (let i = 0; i < items.length; i++) yield `${JSON.stringify(items[i])}${i < items.length - 1 ? ',' : ''}\n`;
  yield '] }\n';
}

async function* ndjsonLines(events: Iterable<unknown> | AsyncIterable<unknown>): AsyncGenerator<string> {
  for await (const event of events) yield `${JSON.stringify(event)}\n`;
}

/** Writes lines through a stream, waiting for the stream to drain so memory stays bounded. */
async function writeLines(path: string, lines: Iterable<string> | AsyncIterable<string>): Promise<void> {
  const stream = createWriteStream(path, { mode: FILE_MODE, flags: 'wx' });
  const done = finished(stream);
  // A write error rejects `done` while the loop may not be awaiting it; it is awaited below.
  done.catch(() => undefined);
  try {
    for await (const line of lines) {
      if (!stream.write(line)) await Promise.race([once(stream, 'drain'), done]);
    }
  } finally {
    stream.end();
  }
  await done;
}
