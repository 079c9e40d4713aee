import type { CheckResult } from '../checks/types.js';
import { analyzeCoverage } from '../conditional-access/coverage.js';
import { summarizeCoverage } from '../conditional-access/summary.js';
import type { Engagement } from '../engagement/schema.js';
import type { SignInSummary } from '../signins/review.js';
import type { Snapshot } from '../snapshot/types.js';
import { coverageSection } from './coverage-section.js';
import type { ReportSection } from './schema.js';
import { signInSection } from './signin-section.js';

export interface SectionInputs {
  snapshot: Snapshot;
  engagement: Engagement | null;
  results: readonly CheckResult[];
  /** Summary of the snapshot's sign-in logs, when it has any. */
  signInSummary?: SignInSummary;
  /** The probable-compromise result built from the sign-in alerts, named first in the sign-in section. */
  compromise?: CheckResult;
}

/**
 * Builds the report sections other modules contribute (Conditional Access coverage gaps, the
 * sign-in review summary), each in the renderers' display shape with its own data kept beside.
 * A section whose input was not collected is left out; the checks report why.
 */
export function buildSections(inputs: SectionInputs): Record<string, ReportSection> {
  const sections: Record<string, ReportSection> = {};
  const { snapshot, engagement } = inputs;

  if (snapshot.statusOf('conditionalAccessPolicies').status === 'collected' && snapshot.statusOf('users').status === 'collected') {
    const coverage = analyzeCoverage(snapshot, { breakGlassAccounts: engagement?.breakGlassAccounts ?? [] });
    sections.coverage = coverageSection(summarizeCoverage(coverage));
  }

  if (inputs.signInSummary) {
    const section = signInSection(inputs.signInSummary);
    if (inputs.compromise?.state === 'fail') section.summary.unshift(inputs.compromise.summary);
    sections.signInReview = section;
  }
  return sections;
}
