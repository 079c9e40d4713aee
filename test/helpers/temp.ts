import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

/** Creates a folder under the system's temporary folder that is removed when the test process exits. */
export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (created.length === 0) process.once('exit', () => created.forEach((path) => rmSync(path, { recursive: true, force: true })));
  created.push(dir);
  return dir;
}
