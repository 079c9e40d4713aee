import type { CheckDefinition } from './types.js';

/**
 * Every check tokengap runs, in report order. To add a check, import its definition here and
 * append it; test/checks/registry.test.ts checks ids and docs/checks.md lists the metadata
 * (regenerate it with `node --import tsx scripts/gen-check-docs.ts`).
 */
export const CHECKS: readonly CheckDefinition[] = [];
