import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

/** Files of a snapshot folder: relative path -> content (objects are written as JSON). */
export type FolderFiles = Record<string, unknown>;

const roots: string[] = [];
after(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

/** Writes a snapshot folder into a fresh temporary directory, removed when the test file ends. */
export async function writeFolder(files: FolderFiles): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tokengap-snapshot-'));
  roots.push(root);
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative);
    if (relative.endsWith('/')) {
      await mkdir(path, { recursive: true });
      continue;
    }
    await mkdir(dirname(path), { recursive: true });
    const bytes = typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content, null, 2);
    await writeFile(path, bytes);
  }
  return root;
}

/** Creates an empty temporary directory, removed when the test file ends. */
export async function tempDir(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'tokengap-snapshot-'));
  roots.push(root);
  return root;
}
