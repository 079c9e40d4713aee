import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, readdir, readFile, rename, rm, rmdir, stat, truncate, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

import { UserError } from '../errors.js';

/** Owner-only modes for snapshot files and folders: they hold personal data. */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/**
 * Snapshot folder under construction. Everything is written into a hidden sibling folder
 * `.<name>.partial` and renamed to the final name only when collection completes, so a reader
 * never sees a half-written snapshot. An interrupted run leaves the partial folder behind,
 * which the next run for the same tenant resumes from.
 */
export class SnapshotFolder {
  private constructor(
    readonly finalDir: string,
    readonly dir: string,
    readonly resumed: boolean,
  ) {}

  static partialPathOf(finalDir: string): string {
    return join(dirname(finalDir), `.${basename(finalDir)}.partial`);
  }

  static async open(finalDir: string): Promise<SnapshotFolder> {
    if (existsSync(finalDir) && (await readdir(finalDir)).length > 0) {
      throw new UserError(
        `output folder ${finalDir} already exists and is not empty`,
        'pass a new --out folder (one per collection run), or move the old snapshot away',
      );
    }
    const partial = SnapshotFolder.partialPathOf(finalDir);
    const resumed = existsSync(partial);
    await mkdir(partial, { recursive: true, mode: DIR_MODE });
    await chmod(partial, DIR_MODE);
    return new SnapshotFolder(finalDir, partial, resumed);
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  async mkdir(name: string): Promise<void> {
    await mkdir(this.path(name), { recursive: true, mode: DIR_MODE });
  }

  /** Writes JSON through a temporary file and a rename, so the file is whole or absent. */
  async writeJson(name: string, data: unknown): Promise<void> {
    const target = this.path(name);
    // A unique temporary name lets two writers of the same file (the two sign-in streams) race safely.
    const temporary = `${target}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify(data, null, 2)}\n`, { mode: FILE_MODE });
    await rename(temporary, target);
  }

  async readJson<T>(name: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.path(name), 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Appends lines to a file and returns the bytes written. */
  async appendLines(name: string, lines: string[]): Promise<number> {
    if (lines.length === 0) return 0;
    const text = `${lines.join('\n')}\n`;
    await appendFile(this.path(name), text, { mode: FILE_MODE });
    return Buffer.byteLength(text);
  }

  /** Cuts a file back to `size` bytes, creating it empty when missing. */
  async truncate(name: string, size: number): Promise<void> {
    const file = this.path(name);
    if (!existsSync(file)) {
      await writeFile(file, '', { mode: FILE_MODE });
      return;
    }
    if ((await stat(file)).size !== size) await truncate(file, size);
  }

  async remove(name: string): Promise<void> {
    await rm(this.path(name), { force: true, recursive: true });
  }

  /** Renames the partial folder to its final name. */
  async complete(): Promise<void> {
    if (existsSync(this.finalDir)) {
      const info = await stat(this.finalDir);
      if (info.isDirectory()) await rmdir(this.finalDir);
    }
    await mkdir(dirname(this.finalDir), { recursive: true, mode: DIR_MODE });
    await rename(this.dir, this.finalDir);
    await chmod(this.finalDir, DIR_MODE);
  }
}
