import { buildDirectoryFacts } from './directory.js';
import type { ResourceName, ResourceStatus } from './resources.js';
import type { LoadWarning, Snapshot, SnapshotManifest, SnapshotResources } from './types.js';

const NOT_COLLECTED: ResourceStatus = Object.freeze({ status: 'notCollected' });

export interface SnapshotParts {
  dir: string;
  manifest: SnapshotManifest;
  resources: Partial<SnapshotResources>;
  sources?: Partial<Record<ResourceName, string[]>>;
  signInFiles?: string[];
  warnings?: LoadWarning[];
}

/**
 * Assembles a Snapshot from loaded parts: derives the directory facts and the status lookup.
 * The loader and the in-memory test builder both go through here, so both behave the same.
 */
export function createSnapshot(parts: SnapshotParts): Snapshot {
  const { manifest } = parts;
  const collectedAt = manifest.collectedAt ? new Date(manifest.collectedAt) : undefined;
  const asOf = collectedAt && !Number.isNaN(collectedAt.getTime()) ? collectedAt : undefined;
  const directory = buildDirectoryFacts(parts.resources, asOf ? { asOf } : {});

  return {
    dir: parts.dir,
    manifest,
    resources: parts.resources,
    sources: parts.sources ?? {},
    signInFiles: parts.signInFiles ?? [],
    warnings: parts.warnings ?? [],
    directory,
    statusOf(resource: ResourceName, field?: string): ResourceStatus {
      if (field !== undefined) {
        const fieldStatus = manifest.fields[`${resource}.${field}`];
        if (fieldStatus) return fieldStatus;
      }
      return manifest.resources[resource] ?? NOT_COLLECTED;
    },
  };
}
