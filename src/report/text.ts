/*
 * Small helpers for the client-facing text of the report and the deliverables.
 */

/**
 * Counts a noun: `plural(1, 'user')` is "1 user", `plural(3, 'user')` "3 users",
 * `plural(2, 'policy', 'policies')` "2 policies".
 */
export function plural(count: number, singular: string, pluralForm?: string): string {
  return `${count} ${count === 1 ? singular : (pluralForm ?? `${singular}s`)}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Formats an ISO 8601 time for people: "4 December 2026, 21:50 UTC". Returns the text unchanged
 * when it is not a date-time, so a value from an old report still shows.
 */
export function humanTime(iso: string | null | undefined): string {
  if (!iso) return 'unknown';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}
