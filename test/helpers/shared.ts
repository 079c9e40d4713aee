import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of this repository. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared research folder beside the clone, holding real public data files in corpus/.
 * A user's clone does not have it, so tests that read it skip with this message.
 */
export const sharedDir = process.env.TOKENGAP_SHARED_DIR ?? resolve(repoRoot, '..', 'shared');
export const corpusDir = join(sharedDir, 'corpus');
export const hasCorpus = existsSync(corpusDir);
export const corpusSkip: string | false = hasCorpus
  ? false
  : `../shared/corpus not found beside the clone (looked in ${corpusDir}); the real-data tests need it`;

/** Path of a file inside the corpus. */
export function corpusPath(...parts: string[]): string {
  return join(corpusDir, ...parts);
}
