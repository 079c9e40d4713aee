import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';

import { InputError } from '../errors.js';
import { listLogFolder } from '../signins/files.js';

import { readJsonFile } from './json-input.js';
import { RESOURCE_NAMES, SINGLETON_RESOURCES, type ResourceName, type ResourceStatus } from './resources.js';
import { directoryObjectRefSchema, manifestSchema, RESOURCE_SCHEMAS } from './schemas.js';
import {
  convertPascalCaseDump,
  isGraphPage,
  isPascalCaseDump,
  isPlainObject,
  listItems,
  singleItem,
  stripODataAnnotations,
  type LocatedItem,
  type WarningSink,
} from './shapes.js';
import { createSnapshot } from './snapshot.js';
import type { DirectoryObjectRef, LoadedResourceName, LoadWarning, Snapshot, SnapshotManifest, SnapshotResources } from './types.js';
import { validateItem } from './validate.js';

export interface LoadSnapshotOptions {
  /** Called for each warning as it is found; every warning is also in `Snapshot.warnings`. */
  onWarning?(warning: LoadWarning): void;
}

const MAX_DUPLICATE_WARNINGS = 5;

/** Location of a resource's data in the folder: `<name>.json`, a folder `<name>/`, or both. */
interface ResourceEntry {
  file?: string;
  folder?: string;
}

interface FolderLayout {
  manifest?: string;
  resources: Map<ResourceName, ResourceEntry>;
}

/**
 * Loads a snapshot folder: manifest.json (optional) and one `<resource>.json` or `<resource>/`
 * per resource, validated against the schemas. Throws InputError for anything a user must fix;
 * problems that leave the data usable become warnings. The format is documented in
 * docs/snapshot-format.md.
 */
export async function loadSnapshot(dir: string, options: LoadSnapshotOptions = {}): Promise<Snapshot> {
  const root = resolve(dir);
  const warnings: LoadWarning[] = [];
  const warn: WarningSink = (warning) => {
    warnings.push(warning);
    options.onWarning?.(warning);
  };

  await assertFolder(root);
  const layout = await scanFolder(root, warn);
  if (!layout.manifest && layout.resources.size === 0) await throwNoResourceFiles(root);
  const manifestFile = await readManifest(layout.manifest, warn);
  const statuses = decideStatuses(layout, manifestFile, warn);

  const resources: Record<string, unknown> = {};
  const sources: Partial<Record<ResourceName, string[]>> = {};
  let signInFiles: string[] = [];

  for (const name of RESOURCE_NAMES) {
    if (statuses[name]?.status !== 'collected') continue;
    const entry = layout.resources.get(name) ?? {};
    if (name === 'signIns') {
      signInFiles = entry.folder ? await listSignInFiles(entry.folder, warn) : [];
      sources.signIns = signInFiles;
      continue;
    }
    const files = await resourceFiles(entry, warn);
    sources[name] = files;
    resources[name] = await readResource(name, files, entry, warn);
  }

  const organization = resources.organization as SnapshotResources['organization'] | undefined;
  assertOneTenant(organization, sources.organization ?? [], manifestFile);
  const manifest: SnapshotManifest = {
    schemaVersion: 1,
    tenantId: manifestFile?.data.tenantId ?? organization?.[0]?.id ?? null,
    tenantName: manifestFile?.data.tenantName ?? organization?.[0]?.displayName ?? null,
    collectedAt: manifestFile?.data.collectedAt ?? null,
    toolVersion: manifestFile?.data.toolVersion ?? null,
    resources: statuses,
    fields: (manifestFile?.data.fields ?? {}) as Record<string, ResourceStatus>,
  };
  return createSnapshot({ dir: root, manifest, resources: resources as Partial<SnapshotResources>, sources, signInFiles, warnings });
}

/**
 * Rejects a snapshot whose organization data names more than one tenant, or another tenant than
 * manifest.json, because a report must never mix two clients' data.
 */
function assertOneTenant(organization: SnapshotResources['organization'] | undefined, files: string[], manifest: ManifestFile | undefined): void {
  const tenantIds = [...new Set((organization ?? []).map((org) => org.id?.toLowerCase()).filter((id): id is string => id !== undefined))];
  const file = files[0] ?? 'organization.json';
  if (tenantIds.length > 1) {
    throw new InputError(
      { file, jsonPath: '$' },
      `organization data names ${tenantIds.length} tenants (${tenantIds.join(', ')})`,
      "one tenant's organization object",
      'keep one snapshot folder per tenant',
    );
  }
  const manifestTenant = manifest?.data.tenantId?.toLowerCase();
  if (manifestTenant && tenantIds[0] && tenantIds[0] !== manifestTenant) {
    throw new InputError(
      { file: manifest!.path, jsonPath: '$.tenantId' },
      `tenantId ${manifestTenant} differs from the organization id ${tenantIds[0]} in ${file}`,
      'the id of the tenant the files came from',
      'keep one snapshot folder per tenant; correct tenantId or replace the organization file',
    );
  }
}

async function assertFolder(root: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(root)).isDirectory();
  } catch {
    throw new InputError({ file: root }, 'the snapshot folder does not exist', 'a folder with manifest.json and resource files', 'check the path, or create a snapshot with `tokengap collect`');
  }
  if (!isDirectory) {
    throw new InputError(
      { file: root },
      'this is a file, not a snapshot folder',
      'a folder with manifest.json and resource files such as conditionalAccessPolicies.json',
      'pass the folder that contains the exported files, not one of the files',
    );
  }
}

/**
 * Rejects a folder with neither manifest.json nor a resource file: assessing it would report a
 * clean tenant with every check not run, and exit 0 in a scheduled job. The usual cause is the
 * parent of the snapshot folder, so a single subfolder that looks like a snapshot is named.
 */
async function throwNoResourceFiles(root: string): Promise<never> {
  const resourceNames = new Set(RESOURCE_NAMES.map((name) => name.toLowerCase()));
  const looksLikeSnapshot = async (folder: string): Promise<boolean> => {
    const names = await readdir(folder).catch(() => [] as string[]);
    return names.some((name) => {
      const lower = name.toLowerCase();
      return lower === 'manifest.json' || resourceNames.has(lower.replace(/\.json$/, ''));
    });
  };
  const candidates: string[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(root, entry.name);
    if ((await entryKind(entry, path)) === 'folder' && (await looksLikeSnapshot(path))) candidates.push(path);
  }
  const fix =
    candidates.length === 1
      ? `the snapshot seems to be in ${candidates[0]}: pass that folder`
      : candidates.length > 1
        ? `pass one of the snapshot folders inside it (${candidates.map((path) => basename(path)).join(', ')}); each is assessed on its own`
        : 'pass the folder that holds manifest.json or the resource files such as conditionalAccessPolicies.json, or create a snapshot with `tokengap collect`';
  throw new InputError({ file: root }, `no resource files found in ${root}`, 'manifest.json or resource files such as users.json in this folder', fix);
}

/** Sorts the folder's entries into manifest, resource files and resource folders; warns about the rest. */
async function scanFolder(root: string, warn: WarningSink): Promise<FolderLayout> {
  const byLowerName = new Map(RESOURCE_NAMES.map((name) => [name.toLowerCase(), name]));
  const layout: FolderLayout = { resources: new Map() };
  const entries = await readdir(root, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));

  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(root, entry.name);
    const kind = await entryKind(entry, path);
    const lower = entry.name.toLowerCase();

    if (kind === 'file' && lower === 'manifest.json') {
      layout.manifest = path;
      continue;
    }
    const extension = extname(lower);
    if (kind === 'folder' && extension === '.json' && byLowerName.has(lower.slice(0, -5))) {
      throw new InputError({ file: path }, 'this is a folder, not a file', 'a JSON file', `move its files into ${entry.name.slice(0, -5)}/ or replace it with the exported file`);
    }
    let resource: ResourceName | undefined;
    if (kind === 'folder') resource = byLowerName.get(lower);
    else if (extension === '.json') resource = byLowerName.get(lower.slice(0, -5));
    if (resource && (kind === 'folder' || resource !== 'signIns')) {
      const slot = layout.resources.get(resource) ?? {};
      if (kind === 'folder') slot.folder = path;
      else slot.file = path;
      layout.resources.set(resource, slot);
      continue;
    }

    if (lower.startsWith('signins') && kind === 'file') {
      warn({ file: path, message: `sign-in logs belong in the folder signIns/; move ${entry.name} there (ignored for now)` });
      continue;
    }
    const suggestion = closestResourceName(entry.name.replace(/\.[^.]*$/, ''));
    let hint = suggestion ? `; did you mean ${suggestion}${kind === 'folder' ? '/' : '.json'}?` : `; resource files are named after the resources in docs/snapshot-format.md`;
    if (/providersettingsexport/i.test(entry.name)) {
      hint = '; this is a ScubaGear export, not a snapshot: save its conditional_access_policies array as conditionalAccessPolicies.json';
    }
    warn({ file: path, message: `unknown ${kind === 'folder' ? 'folder' : 'file'} ${entry.name} ignored${hint}` });
  }
  return layout;
}

async function entryKind(entry: Dirent, path: string): Promise<'file' | 'folder' | 'other'> {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  if (entry.isSymbolicLink()) {
    try {
      const target = await stat(path);
      return target.isDirectory() ? 'folder' : target.isFile() ? 'file' : 'other';
    } catch {
      return 'other';
    }
  }
  return 'other';
}

/** Suggests the resource name closest to a misspelt one, e.g. `conditionalAccessPolicy`. */
function closestResourceName(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of RESOURCE_NAMES) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(3, Math.floor(best.name.length / 4)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

interface ManifestFile {
  path: string;
  data: {
    tenantId?: string | null;
    tenantName?: string | null;
    collectedAt?: string | null;
    toolVersion?: string | null;
    resources?: Record<string, ResourceStatus>;
    fields?: Record<string, ResourceStatus>;
  };
}

async function readManifest(path: string | undefined, warn: WarningSink): Promise<ManifestFile | undefined> {
  if (!path) return undefined;
  const raw = await readJsonFile(path);
  if (!isPlainObject(raw)) {
    throw new InputError({ file: path, jsonPath: '$' }, 'manifest.json is not an object', 'an object with "resources"', 'see docs/snapshot-format.md for an example manifest');
  }
  if ('schemaVersion' in raw && raw.schemaVersion !== 1) {
    throw new InputError(
      { file: path, jsonPath: '$.schemaVersion' },
      `schemaVersion is ${JSON.stringify(raw.schemaVersion)}`,
      '1',
      'this tokengap reads snapshot format version 1; update tokengap, or collect the snapshot again with this version',
    );
  }
  validateItem(manifestSchema, raw, { file: path, jsonPath: '$' }, 'manifest');
  const data = raw as ManifestFile['data'];
  if (typeof data.collectedAt === 'string' && !isIsoDateTime(data.collectedAt)) {
    // The report prints it and the checks date the logs against it, so "yesterday" must not pass.
    throw new InputError(
      { file: path, jsonPath: '$.collectedAt' },
      `collectedAt is ${JSON.stringify(data.collectedAt)}`,
      'an ISO 8601 date-time with a time zone, such as "2026-12-04T21:50:14Z"',
      'set collectedAt to the time the data was exported, in UTC, or remove the key',
    );
  }

  const known = new Set<string>(RESOURCE_NAMES);
  for (const name of Object.keys(data.resources ?? {})) {
    if (!known.has(name)) warn({ file: path, jsonPath: `$.resources.${name}`, message: `unknown resource "${name}" in manifest.json ignored` });
  }
  for (const key of Object.keys(data.fields ?? {})) {
    const [resource, field] = key.split('.', 2);
    if (!resource || !field || !known.has(resource)) {
      warn({ file: path, jsonPath: `$.fields["${key}"]`, message: `field status "${key}" does not name a resource and field as "resource.field"; ignored` });
    }
  }
  return { path, data };
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function isIsoDateTime(value: string): boolean {
  return ISO_DATE_TIME.test(value) && !Number.isNaN(new Date(value).getTime());
}

/**
 * Decides each resource's status. With a manifest, its statuses rule: a file beside a
 * non-collected status is ignored with a warning, and a `collected` resource without a file is
 * an error. A resource file that the manifest does not list is read as collected, with a warning.
 * Without a manifest, every resource with a file or folder is collected.
 */
function decideStatuses(layout: FolderLayout, manifest: ManifestFile | undefined, warn: WarningSink): Partial<Record<ResourceName, ResourceStatus>> {
  const statuses: Partial<Record<ResourceName, ResourceStatus>> = {};
  for (const name of RESOURCE_NAMES) {
    const entry = layout.resources.get(name);
    const present = entry !== undefined;
    const listed = manifest?.data.resources?.[name];

    if (!manifest) {
      if (present) statuses[name] = { status: 'collected' };
      continue;
    }
    if (listed?.status === 'collected' && !present) {
      const expectedPath = name === 'signIns' ? 'signIns/' : `${name}.json or ${name}/`;
      throw new InputError(
        { file: manifest.path, jsonPath: `$.resources.${name}` },
        `${name} is marked collected but ${expectedPath} is missing from the snapshot folder`,
        `the file ${expectedPath} beside manifest.json`,
        `copy the missing file into the folder, or set the status of ${name} to the reason it was not collected`,
      );
    }
    if (listed && listed.status !== 'collected') {
      if (present) {
        warn({
          file: entry.file ?? entry.folder ?? manifest.path,
          message: `manifest.json marks ${name} as ${listed.status}, so this data is ignored; set its status to "collected" to use it`,
        });
      }
      statuses[name] = listed;
      continue;
    }
    if (listed) {
      statuses[name] = listed;
    } else if (present) {
      warn({ file: entry.file ?? entry.folder ?? manifest.path, message: `${name} is not listed in manifest.json; read as collected` });
      statuses[name] = { status: 'collected' };
    }
  }
  return statuses;
}

/** Lists the JSON files of a resource: `<name>.json`, then the `.json` files in `<name>/`. */
async function resourceFiles(entry: ResourceEntry, warn: WarningSink): Promise<string[]> {
  const files: string[] = [];
  if (entry.file) files.push(entry.file);
  if (entry.folder) {
    const entries = await readdir(entry.folder, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const child of entries) {
      if (child.name.startsWith('.')) continue;
      const path = join(entry.folder, child.name);
      const kind = await entryKind(child, path);
      if (kind === 'file' && extname(child.name).toLowerCase() === '.json') files.push(path);
      else warn({ file: path, message: `${kind === 'folder' ? 'subfolder' : 'file'} ignored: only .json files directly in ${basename(entry.folder)}/ are read` });
    }
    if (files.length === 0) warn({ file: entry.folder, message: `${basename(entry.folder)}/ contains no .json file; read as an empty list` });
  }
  return files;
}

async function listSignInFiles(folder: string, warn: WarningSink): Promise<string[]> {
  // Links are followed once by real path, so a loop or a link to the snapshot root is skipped.
  const files = await listLogFolder(folder, { onSkip: (file, message) => warn({ file, message }), snapshotRoot: dirname(folder) });
  if (files.length === 0) warn({ file: folder, message: 'signIns/ contains no sign-in log file' });
  return files;
}

/** Reads, normalises and validates all files of one resource. */
async function readResource(name: LoadedResourceName, files: string[], entry: ResourceEntry, warn: WarningSink): Promise<unknown> {
  if (name === 'groupMembers') return readGroupMembers(files, warn);

  const schema = RESOURCE_SCHEMAS[name];
  if (SINGLETON_RESOURCES.has(name)) {
    if (files.length === 0) {
      throw new InputError({ file: entry.folder ?? name }, `the folder contains no file for ${name}`, `one .json file with the ${name} object`, `export ${name} from Graph into ${name}.json`);
    }
    for (const extra of files.slice(1)) warn({ file: extra, message: `${name} is a single object; only ${files[0]} is read` });
    const item = singleItem(await readJsonFile(files[0]!), files[0]!, name, warn);
    return normaliseItem(item, name, schema, warn, new Set());
  }

  const items: unknown[] = [];
  const seen = new Map<string, LocatedItem>();
  let duplicates = 0;
  for (const file of files) {
    const converted = new Set<string>();
    for (const item of listItems(await readJsonFile(file), file, name, warn, file !== entry.file)) {
      const value = normaliseItem(item, name, schema, warn, converted) as { id?: unknown };
      const id = typeof value.id === 'string' ? value.id.toLowerCase() : undefined;
      const first = id === undefined ? undefined : seen.get(id);
      if (first) {
        duplicates++;
        if (duplicates <= MAX_DUPLICATE_WARNINGS) {
          warn({ file, jsonPath: item.jsonPath, message: `duplicate ${name} id ${String(value.id)}, first read from ${first.file} at ${first.jsonPath}; this copy is ignored` });
        }
        continue;
      }
      if (id !== undefined) seen.set(id, item);
      items.push(value);
    }
  }
  if (duplicates > MAX_DUPLICATE_WARNINGS) {
    warn({ file: files[0] ?? name, message: `${duplicates - MAX_DUPLICATE_WARNINGS} more duplicate ${name} ids ignored` });
  }
  return items;
}

/** Converts a PowerShell dump, drops OData annotations and validates one item; returns the item. */
function normaliseItem(item: LocatedItem, resource: string, schema: Parameters<typeof validateItem>[0], warn: WarningSink, convertedFiles: Set<string>): unknown {
  let value = item.value;
  if (isPascalCaseDump(value)) {
    value = convertPascalCaseDump(value);
    if (!convertedFiles.has(item.file)) {
      convertedFiles.add(item.file);
      warn({
        file: item.file,
        jsonPath: item.jsonPath,
        message: `${resource} looks like a PowerShell object dump (PascalCase names such as "DisplayName"); converted to Graph names. For exact data, export with Invoke-MgGraphRequest -OutputType Json`,
      });
    }
  }
  stripODataAnnotations(value);
  validateItem(schema, value, item, resource);
  return value;
}

/**
 * Reads groupMembers: objects mapping group id to direct members, as an array or a Graph page
 * per group. In a `groupMembers/` folder, a file named after a group id may also hold just that
 * group's members page, as `/groups/{id}/members` returns it.
 */
async function readGroupMembers(files: string[], warn: WarningSink): Promise<Record<string, DirectoryObjectRef[]>> {
  const merged: Record<string, DirectoryObjectRef[]> = {};
  for (const file of files) {
    const data = await readJsonFile(file);
    const fileGroupId = basename(file, extname(file));
    let map: Record<string, unknown>;
    if ((isGraphPage(data) || Array.isArray(data)) && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(fileGroupId)) {
      map = { [fileGroupId]: data };
    } else if (isPlainObject(data) && !isGraphPage(data)) {
      map = data;
    } else {
      throw new InputError(
        { file, jsonPath: '$' },
        isGraphPage(data) || Array.isArray(data) ? 'the file holds a member list without its group id' : 'the file does not hold an object',
        'an object mapping each group id to its direct members: { "<group id>": [ ... ] }',
        'wrap the list as { "<group id>": { "value": [ ... ] } }, or name the file <group id>.json inside groupMembers/',
      );
    }

    for (const [groupId, entry] of Object.entries(map)) {
      if (groupId.includes('@odata.')) continue;
      const base = map === data ? `$[${JSON.stringify(groupId)}]` : '$';
      const list = isGraphPage(entry) ? entry.value : entry;
      const listPath = isGraphPage(entry) ? `${base}.value` : base;
      if (!Array.isArray(list)) {
        throw new InputError(
          { file, jsonPath: base },
          `the members of group ${groupId} are not a list`,
          'an array of directory objects, or a Graph page { "value": [...] }',
          'write the direct members as /groups/{id}/members returns them',
        );
      }
      const members = merged[groupId] ?? (merged[groupId] = []);
      if (members.length > 0) warn({ file, jsonPath: base, message: `members of group ${groupId} appear in more than one file; the lists are merged` });
      const known = new Set(members.map((member) => member.id.toLowerCase()));
      list.forEach((member, i) => {
        stripODataAnnotations(member);
        validateItem(directoryObjectRefSchema, member, { file, jsonPath: `${listPath}[${i}]` }, 'groupMembers');
        const ref = member as DirectoryObjectRef;
        if (known.has(ref.id.toLowerCase())) return;
        known.add(ref.id.toLowerCase());
        members.push(ref);
      });
    }
  }
  return merged;
}
