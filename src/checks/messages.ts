import type { MessageData } from './types.js';

/** `{slot}` placeholders: a letter, then letters, digits or underscores. */
const SLOT = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** Names of the `{slot}` placeholders in a template, in order of first appearance. */
export function templateSlots(template: string): string[] {
  const slots = new Set<string>();
  for (const match of template.matchAll(SLOT)) slots.add(match[1]!);
  return [...slots];
}

export interface FilledTemplate {
  text: string;
  /** Slots the data did not provide; they stay in `text` as `{slot}` so the gap is visible. */
  missing: string[];
}

/**
 * Fills `{slot}` placeholders from `data`. Arrays are joined with ", " (an empty array reads
 * "none"); numbers and booleans are written as JavaScript prints them. Text with no slots is
 * returned unchanged, and braces that do not form a slot name are left alone.
 */
export function fillTemplate(template: string, data: MessageData): FilledTemplate {
  const missing: string[] = [];
  const text = template.replace(SLOT, (placeholder, slot: string) => {
    if (!Object.hasOwn(data, slot)) {
      missing.push(slot);
      return placeholder;
    }
    return formatValue(data[slot]!);
  });
  return { text, missing };
}

/** Like `fillTemplate`, but throws when a slot has no data; the strict tester uses it. */
export function fillTemplateStrict(template: string, data: MessageData, where: string): string {
  const { text, missing } = fillTemplate(template, data);
  if (missing.length > 0) {
    throw new Error(`${where}: no data for slot${missing.length > 1 ? 's' : ''} ${missing.map((slot) => `{${slot}}`).join(', ')} in "${template}"`);
  }
  return text;
}

function formatValue(value: MessageData[string]): string {
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return String(value);
}
