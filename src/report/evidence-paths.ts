import { stat } from 'node:fs/promises';
import { relative } from 'node:path';

import type { CheckResult } from '../checks/types.js';
import { InputError } from '../errors.js';
import type { ResourceName } from '../snapshot/resources.js';
import { readJsonFile } from '../snapshot/json-input.js';
import type { Snapshot } from '../snapshot/types.js';

/** Snapshot resource that contains the objects of each evidence type, keyed by Graph type name. */
const RESOURCE_OF_TYPE: Readonly<Record<string, ResourceName>> = {
  user: 'users',
  group: 'groups',
  conditionalAccessPolicy: 'conditionalAccessPolicies',
  namedLocation: 'namedLocations',
  ipNamedLocation: 'namedLocations',
  countryNamedLocation: 'namedLocations',
  authenticationStrengthPolicy: 'authenticationStrengthPolicies',
  device: 'devices',
  managedDevice: 'managedDevices',
  servicePrincipal: 'servicePrincipals',
  unifiedRoleAssignment: 'roleAssignments',
  roleAssignment: 'roleAssignments',
  oAuth2PermissionGrant: 'oauth2PermissionGrants',
};

/**
 * Maximum total size of a resource's files that is read again to locate evidence. The loader does
 * not keep item positions, so locating means parsing the files a second time. Above this size the
 * path names the file (or folder) without the item.
 */
const MAX_BYTES_TO_LOCATE = 8 * 1024 * 1024;

/**
 * Fills `path` on evidence objects that lack it with where the object sits in the snapshot, as a
 * file relative to the snapshot folder and a JSON pointer to the item, e.g.
 * `conditionalAccessPolicies.json#/value/3`. Objects of types without a resource file keep no path.
 */
export async function addEvidencePaths(results: CheckResult[], snapshot: Snapshot, maxBytes = MAX_BYTES_TO_LOCATE): Promise<void> {
  const wanted = new Map<ResourceName, Set<string>>();
  for (const result of results) {
    for (const finding of result.findings) {
      for (const object of finding.objects) {
        const resource = RESOURCE_OF_TYPE[object.type];
        if (object.path || !resource || !snapshot.sources[resource]?.length) continue;
        if (!wanted.has(resource)) wanted.set(resource, new Set());
        wanted.get(resource)!.add(object.id.toLowerCase());
      }
    }
  }

  const located = new Map<string, string>();
  for (const [resource, ids] of wanted) {
    for (const [id, path] of await locate(snapshot, resource, ids, maxBytes)) located.set(`${resource}:${id}`, path);
  }

  for (const result of results) {
    for (const finding of result.findings) {
      for (const object of finding.objects) {
        const resource = RESOURCE_OF_TYPE[object.type];
        if (object.path || !resource) continue;
        const path = located.get(`${resource}:${object.id.toLowerCase()}`);
        if (path) object.path = path;
      }
    }
  }
}

/** Maps each wanted id to its location, reading the resource's files in the loader's order. */
async function locate(snapshot: Snapshot, resource: ResourceName, ids: ReadonlySet<string>, maxBytes: number): Promise<Map<string, string>> {
  const files = snapshot.sources[resource] ?? [];
  const paths = new Map<string, string>();
  const sizes = await Promise.all(files.map(async (file) => (await stat(file).catch(() => null))?.size ?? Infinity));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total > maxBytes) {
    const where = files.length === 1 ? relative(snapshot.dir, files[0]!) : `${resource}/`;
    for (const id of ids) paths.set(id, where);
    return paths;
  }

  for (const file of files) {
    let content: unknown;
    try {
      content = await readJsonFile(file);
    } catch (error) {
      // The loader read the same file moments ago; if it changed since, the evidence keeps no path.
      if (error instanceof InputError) continue;
      throw error;
    }
    const name = relative(snapshot.dir, file);
    for (const [pointer, item] of listWithPointers(content)) {
      const id = itemId(item);
      // The loader keeps the first copy of a duplicated id, so the first location wins here too.
      if (id && ids.has(id) && !paths.has(id)) paths.set(id, `${name}#${pointer}`);
    }
  }
  return paths;
}

/** Items of a Graph page, a bare array, or one object (a list PowerShell collapsed), with JSON pointers. */
function listWithPointers(content: unknown): [string, unknown][] {
  if (Array.isArray(content)) return content.map((item, index) => [`/${index}`, item]);
  if (typeof content === 'object' && content !== null) {
    const page = (content as { value?: unknown }).value;
    if (Array.isArray(page)) return page.map((item, index) => [`/value/${index}`, item]);
    return [['', content]];
  }
  return [];
}

function itemId(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  // PowerShell Graph SDK dumps spell it `Id`.
  const id = (item as { id?: unknown; Id?: unknown }).id ?? (item as { Id?: unknown }).Id;
  return typeof id === 'string' ? id.toLowerCase() : undefined;
}
