import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

/** Extensions of the sign-in log files read from a snapshot's signIns/ folder. */
export const SIGN_IN_LOG_EXTENSIONS = ['.json', '.ndjson', '.jsonl', '.gz'];

export interface LogFolderOptions {
  /** Receives each entry that is not read, with the reason. */
  onSkip: (path: string, message: string) => void;
  /**
   * The snapshot folder that contains the log folder. A link into another part of it (such as
   * `up -> ..`) is skipped, so resource files are never read as sign-in logs.
   */
  snapshotRoot?: string;
}

/**
 * Lists the log files under a folder and its subfolders, in name order, following symbolic links.
 * Each real file and folder is read once, so a second link to it is skipped, which also stops
 * loops such as `self -> ../signIns`. A link to the folder itself, to a folder above it or to
 * another part of the snapshot is skipped too.
 */
export async function listLogFolder(folder: string, options: LogFolderOptions): Promise<string[]> {
  const files: string[] = [];
  const rootReal = await realpath(folder);
  const snapshotReal = options.snapshotRoot ? await realpath(options.snapshotRoot).catch(() => null) : null;
  const seen = new Set<string>([rootReal]);

  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const child of entries) {
      if (child.name.startsWith('.')) continue;
      const path = join(current, child.name);
      const kind = await entryKind(child, path);
      if (kind === 'other') {
        options.onSkip(path, 'skipped: not a file or folder (a broken or looping link, a socket or a device)');
        continue;
      }
      const real = await realpath(path);
      const aboveOrSelf = kind === 'folder' && isInside(rootReal, real);
      const elsewhereInSnapshot = snapshotReal !== null && isInside(real, snapshotReal) && !isInside(real, rootReal);
      if (aboveOrSelf || elsewhereInSnapshot) {
        options.onSkip(path, 'link skipped: it points to the sign-in folder itself, a folder above it or another part of the snapshot');
        continue;
      }
      if (seen.has(real)) {
        options.onSkip(path, `link skipped: ${real} is already read through another path`);
        continue;
      }
      seen.add(real);
      if (kind === 'folder') await walk(path);
      else if (SIGN_IN_LOG_EXTENSIONS.includes(extname(child.name).toLowerCase())) files.push(path);
      else options.onSkip(path, `file ignored: sign-in logs are read from ${SIGN_IN_LOG_EXTENSIONS.join(', ')} files`);
    }
  };
  await walk(folder);
  return files;
}

/** True when `inner` is `outer` or a path below it. */
function isInside(inner: string, outer: string): boolean {
  const path = relative(outer, inner);
  return path === '' || (path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path));
}

async function entryKind(entry: Dirent, path: string): Promise<'file' | 'folder' | 'other'> {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  if (!entry.isSymbolicLink()) return 'other';
  const target = await stat(path).catch(() => null);
  return target?.isDirectory() ? 'folder' : target?.isFile() ? 'file' : 'other';
}
