import type { ScopeClass } from '../checks/types.js';
import type { Engagement } from '../engagement/schema.js';
import { SCOPE_WORK_ITEMS, type Inclusion } from '../engagement/work-items.js';
import { REMEDIATION_DEFINITIONS, ROLE_TITLES, SCOPE_ITEM_DEFINITIONS, type HoursRange, type ScopeWorkItemDefinition } from './catalog.js';
import { formatMoney } from './format.js';
import { isPolicy } from './risks.js';
import { effectiveWorkItem, estimateHours, inclusionOf, round2, type EffectiveWorkItem, type RoadmapLine } from './roadmap.js';

export const SCOPE_CLASS_LABELS: Record<ScopeClass, string> = {
  'included-support': 'Included support',
  'fixed-fee-assessment': 'Fixed-fee assessment',
  'hardening-project': 'Hardening project',
  'capped-emergency-allowance': 'Capped emergency allowance',
  'incident-response': 'Incident response',
  'roadmap-item': 'Roadmap item',
};

export interface ScopeRow {
  workItem: EffectiveWorkItem<ScopeWorkItemDefinition>;
  inclusion: Inclusion;
  betterScope: ScopeClass;
  /** Estimate for this tenant: per-object items count the objects of the roadmap lines they cover. */
  hours: HoursRange;
  /** Roadmap lines this contract line covers. */
  relatedLines: number;
  advice: string;
}

/** Builds the scope boundaries table: the eight services, the contract's inclusion and where each belongs. */
export function buildScope(engagement: Engagement, lines: readonly RoadmapLine[]): ScopeRow[] {
  return SCOPE_WORK_ITEMS.map((id) => {
    const workItem = effectiveWorkItem(SCOPE_ITEM_DEFINITIONS[id], engagement);
    const related = lines.filter((line) => REMEDIATION_DEFINITIONS[line.workItem.definition.id].scopeItem === id);
    // An admin named by two lines (methods and policy) counts once.
    const objectCount = new Set(related.flatMap((line) => line.objects.filter((object) => !isPolicy(object)).map((object) => object.id))).size;
    const inclusion = inclusionOf(engagement, id);
    const betterScope = workItem.definition.betterScope;
    return {
      workItem,
      inclusion,
      betterScope,
      hours: estimateHours(workItem, objectCount),
      relatedLines: related.length,
      advice: scopeAdvice(engagement, workItem, inclusion, betterScope),
    };
  });
}

/** Each scope class as the object of "belongs in" or "quoted as". */
const SCOPE_CLASS_PHRASES: Record<ScopeClass, string> = {
  'included-support': 'included support',
  'fixed-fee-assessment': 'a fixed-fee assessment',
  'hardening-project': 'a hardening project',
  'capped-emergency-allowance': 'a capped emergency allowance',
  'incident-response': 'incident response',
  'roadmap-item': 'a roadmap item',
};

function scopeAdvice(engagement: Engagement, workItem: EffectiveWorkItem<ScopeWorkItemDefinition>, inclusion: Inclusion, betterScope: ScopeClass): string {
  const label = SCOPE_CLASS_PHRASES[betterScope];
  const allowance = engagement.emergencyAllowance;
  if (betterScope === 'capped-emergency-allowance' && inclusion !== 'yes') {
    if (allowance && allowance.hours > 0) {
      const rate = engagement.rates[workItem.role];
      const beyond = rate === undefined ? 'billed beyond it' : `billed beyond it at the ${ROLE_TITLES[workItem.role].toLowerCase()} rate (${formatMoney(engagement.currency, rate)}/h)`;
      return `Drawn from the ${round2(allowance.hours)}-hour emergency allowance per ${allowance.period}; ${beyond}.`;
    }
    return 'No emergency allowance in the contract: agree a capped allowance so the MSP can act on a compromise without a quote.';
  }
  if (inclusion === 'yes') {
    return betterScope === 'included-support'
      ? 'Covered by monthly support, as it should be.'
      : `Covered by monthly support, although it belongs in ${label}: cap the hours or move it at renewal.`;
  }
  if (inclusion === 'maybe') return `The contract is unclear: agree in writing that this is ${label}.`;
  return betterScope === 'included-support'
    ? 'Not covered, although it is usually part of monthly support: consider adding it at renewal.'
    : `Quoted separately as ${label}.`;
}
