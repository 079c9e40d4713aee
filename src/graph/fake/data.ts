import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { RESOURCE_NAMES, SINGLETON_RESOURCES, type ResourceName } from '../../snapshot/resources.js';
import type { SnapshotManifest } from '../../snapshot/types.js';

/** A snapshot as the fake server serves it: raw Graph objects per resource. */
export interface FakeTenantData {
  manifest: Partial<SnapshotManifest>;
  collections: Partial<Record<ResourceName, Record<string, unknown>[]>>;
  singletons: Partial<Record<ResourceName, Record<string, unknown>>>;
  groupMembers: Record<string, Record<string, unknown>[]> | undefined;
  signIns: Record<string, unknown>[] | undefined;
}

/** Drops `@odata.*` annotations except `@odata.type`, which Graph sends on polymorphic objects. */
export function stripAnnotations(item: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (key.startsWith('@odata.') && key !== '@odata.type') continue;
    copy[key] = value;
  }
  return copy;
}

function itemsOf(parsed: unknown, file: string): Record<string, unknown>[] {
  if (Array.isArray(parsed)) return parsed as Record<string, unknown>[];
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { value?: unknown }).value)) {
    return (parsed as { value: Record<string, unknown>[] }).value;
  }
  throw new Error(`${file}: expected a JSON array or an object with a "value" array`);
}

function readJsonFile(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Reads every item of a JSON, JSON-page or NDJSON file. */
function readItems(file: string): Record<string, unknown>[] {
  if (file.endsWith('.ndjson') || file.endsWith('.jsonl')) {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
  return itemsOf(readJsonFile(file), file);
}

function filesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => /\.(json|ndjson|jsonl)$/.test(name) && !name.startsWith('.'))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * Loads a snapshot folder for serving. It reads the layout collect writes and also tolerates
 * page wrappers, bare arrays and folders of pages, so hand-made fixtures and exports work.
 */
export function loadFakeTenantData(dir: string): FakeTenantData {
  const data: FakeTenantData = { manifest: {}, collections: {}, singletons: {}, groupMembers: undefined, signIns: undefined };
  const manifestPath = join(dir, 'manifest.json');
  try {
    data.manifest = readJsonFile(manifestPath) as Partial<SnapshotManifest>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  for (const name of RESOURCE_NAMES) {
    const file = join(dir, `${name}.json`);
    const folder = join(dir, name);
    const hasFile = isFile(file);
    const hasFolder = isDirectory(folder);
    if (!hasFile && !hasFolder) continue;

    if (name === 'signIns') {
      data.signIns = (hasFolder ? filesIn(folder) : [file]).flatMap(readItems).map(stripAnnotations);
    } else if (name === 'groupMembers') {
      const parsed = readJsonFile(file) as Record<string, unknown>;
      const members: Record<string, Record<string, unknown>[]> = {};
      for (const [groupId, list] of Object.entries(parsed)) {
        if (groupId.startsWith('@odata.')) continue;
        members[groupId] = itemsOf(list, `${file} at $.${groupId}`).map(stripAnnotations);
      }
      data.groupMembers = members;
    } else if (SINGLETON_RESOURCES.has(name)) {
      data.singletons[name] = stripAnnotations(readJsonFile(file) as Record<string, unknown>);
    } else {
      data.collections[name] = (hasFolder ? filesIn(folder) : [file]).flatMap(readItems).map(stripAnnotations);
    }
  }
  return data;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
