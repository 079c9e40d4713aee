import { z } from 'zod';

import type { EngagementV2 } from './schema-v2.js';

/** A named person or team, with a way to reach them. */
export const contactSchema = z.strictObject({
  name: z.string().min(1),
  role: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
});

/** Returns true when `text` is a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const isoDate = z.string().refine(isCalendarDate, { message: 'a calendar date as YYYY-MM-DD' });

const ownersSchema = z.strictObject({
  /** People allowed to revoke a user's sessions during an incident. */
  sessionRevocation: z.array(contactSchema).default([]),
  /** Approver of disruptive actions (blocking a user, disabling devices). */
  disruptiveActionApprover: contactSchema.optional(),
  /** Who decides legal, breach-notification and insurance questions. */
  legalAndBreachDecisions: contactSchema.optional(),
  runbook: z
    .strictObject({
      owner: contactSchema,
      /** Date of the last tested session-revocation exercise. */
      lastTested: isoDate.optional(),
      location: z.string().optional(),
    })
    .optional(),
  /** Channel where users report a suspicious sign-in prompt or code request. */
  userReportingChannel: z.string().min(1).optional(),
});

/**
 * Keys of version 1 of the engagement file: who the client is, which accounts are declared
 * break-glass accounts, and who owns the decisions an incident needs. Version 2 adds the
 * commercial keys without changing these.
 */
export const engagementV1Shape = {
  version: z.literal(1).optional(),
  client: z.strictObject({
    name: z.string().min(1),
    /** Entra tenant id, checked against the snapshot so an engagement is never applied to another tenant. */
    tenantId: z.string().optional(),
  }),
  /** Object ids or UPNs of emergency-access accounts. */
  breakGlassAccounts: z.array(z.string().min(1)).default([]),
  owners: ownersSchema.default({ sessionRevocation: [] }),
};

export const engagementV1Schema = z.strictObject(engagementV1Shape);

export type EngagementV1 = z.infer<typeof engagementV1Schema>;

/**
 * The engagement the rest of the code reads: the version 2 shape with `version` resolved (an
 * absent version is 1). A version 1 file gets the version 2 defaults (no included work items,
 * no rates, no accepted risks), so code reads one shape whatever the file's version.
 */
export type Engagement = Omit<EngagementV2, 'version'> & { version: 1 | 2 };

export const SUPPORTED_ENGAGEMENT_VERSIONS = [1, 2] as const;
