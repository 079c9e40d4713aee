import type { CheckResult } from '../checks/types.js';
import type { Engagement } from '../engagement/schema.js';
import type { Snapshot } from '../snapshot/types.js';

export interface SectionInputs {
  snapshot: Snapshot;
  engagement: Engagement | null;
  now: Date;
  results: readonly CheckResult[];
}

/**
 * Builds the report sections other modules contribute (Conditional Access coverage gaps, the
 * sign-in review summary), each in the renderers' display shape with its own data kept beside.
 */
export async function buildSections(inputs: SectionInputs): Promise<Record<string, unknown>> {
  void inputs;
  return {};
}
