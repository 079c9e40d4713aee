import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

import { UserError } from '../errors.js';

/** Owner-only modes for snapshot files and folders: they hold personal data. */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** Tenant and options a partial folder was started for; a resumed run must match them exactly. */
export interface CollectionRun {
  tenantId: string;
  /** Resource names requested, sorted; the full list when none was given. */
  resources: string[];
  days: number;
}

/** File in the partial folder that records the run it was started for. */
export const RUN_FILE = 'collect-run.json';

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
    private readonly lockFile: string,
  ) {}

  static partialPathOf(finalDir: string): string {
    return join(dirname(finalDir), `.${basename(finalDir)}.partial`);
  }

  static lockPathOf(finalDir: string): string {
    return join(dirname(finalDir), `.${basename(finalDir)}.lock`);
  }

  /**
   * Takes the folder's lock, then opens its partial folder: a new one records `run`, an existing
   * one is resumed only when it was started for the same tenant and options. The lock is released
   * by `complete` or `release`.
   */
  static async open(finalDir: string, run: CollectionRun): Promise<SnapshotFolder> {
    await mkdir(dirname(finalDir), { recursive: true, mode: DIR_MODE });
    const lockFile = await acquireLock(finalDir);
    try {
      if (existsSync(finalDir) && (await readdir(finalDir)).length > 0) {
        throw new UserError(
          `output folder ${finalDir} already exists and is not empty`,
          'pass a new --out folder (one per collection run), or move the old snapshot away',
        );
      }
      const partial = SnapshotFolder.partialPathOf(finalDir);
      const existed = existsSync(partial);
      const resumed = existed && (await readdir(partial)).length > 0;
      if (resumed) await assertSameRun(partial, run);
      await mkdir(partial, { recursive: true, mode: DIR_MODE });
      await chmod(partial, DIR_MODE);
      const folder = new SnapshotFolder(finalDir, partial, resumed, lockFile);
      if (!resumed) await folder.writeJson(RUN_FILE, run);
      return folder;
    } catch (error) {
      await unlink(lockFile).catch(() => undefined);
      throw error;
    }
  }

  /** Releases the lock and leaves the partial folder for a later run to resume. */
  async release(): Promise<void> {
    await unlink(this.lockFile).catch(() => undefined);
  }

  /**
   * Deletes every entry except `keep`, so that a resource's file is present exactly when the
   * manifest records it as collected. A file left by an earlier attempt whose resource is now
   * forbidden or failed must not reach the snapshot.
   */
  async keepOnly(keep: ReadonlySet<string>): Promise<void> {
    for (const entry of await readdir(this.dir)) if (!keep.has(entry)) await this.remove(entry);
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
    await this.release();
  }
}

/**
 * Creates the lock file beside the output folder with O_EXCL, holding this process's id. A lock
 * whose process is gone (a crash or kill -9) is stale and taken over once.
 */
async function acquireLock(finalDir: string): Promise<string> {
  const lockFile = SnapshotFolder.lockPathOf(finalDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx', FILE_MODE);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return lockFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
      throw new UserError(
        `another collect run (process ${owner}) is writing to ${finalDir}`,
        `wait for it to finish, or pass another --out folder; if no such run exists, delete ${lockFile}`,
      );
    }
    // NOTE: two runs that find the same stale lock at once may both remove it. The O_EXCL create
    // then lets one in, but a slow second unlink can remove that run's new lock.
    await unlink(lockFile).catch(() => undefined);
  }
  throw new UserError(`could not take the lock ${lockFile}`, `delete ${lockFile} if no collect run is writing to ${finalDir}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Refuses to resume a partial folder started for another tenant or other options. */
async function assertSameRun(partial: string, run: CollectionRun): Promise<void> {
  const fix = `delete the partial folder ${partial} to start again, or rerun with the options it was started with`;
  let recorded: Partial<CollectionRun>;
  try {
    recorded = JSON.parse(await readFile(join(partial, RUN_FILE), 'utf8')) as Partial<CollectionRun>;
  } catch {
    throw new UserError(`the partial folder ${partial} does not say which tenant and options it was started for`, fix);
  }
  if (typeof recorded.tenantId !== 'string' || recorded.tenantId.toLowerCase() !== run.tenantId.toLowerCase()) {
    throw new UserError(`the partial folder ${partial} belongs to tenant ${String(recorded.tenantId)}, not ${run.tenantId}; tenants are never merged`, fix);
  }
  if (JSON.stringify(recorded.resources) !== JSON.stringify(run.resources)) {
    throw new UserError(`the partial folder ${partial} was started for resources ${(recorded.resources ?? []).join(',')}, not ${run.resources.join(',')}`, fix);
  }
  if (recorded.days !== run.days) {
    throw new UserError(`the partial folder ${partial} was started with --days ${String(recorded.days)}, not ${run.days}`, fix);
  }
}
