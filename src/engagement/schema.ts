import { z } from 'zod';

/** A named person or team, with a way to reach them. */
export const contactSchema = z.object({
  name: z.string().min(1),
  role: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/**
 * Version 1 of the engagement file: who the client is, which accounts are declared
 * break-glass accounts, and who owns the decisions an incident needs. The deliverables
 * extend it (version 2) without changing these keys.
 */
export const engagementV1Schema = z.object({
  version: z.literal(1).optional(),
  client: z.object({
    name: z.string().min(1),
    /** Entra tenant id, checked against the snapshot so an engagement is never applied to another tenant. */
    tenantId: z.string().optional(),
  }),
  /** Object ids or UPNs of emergency-access accounts. */
  breakGlassAccounts: z.array(z.string().min(1)).default([]),
  owners: z
    .object({
      /** People allowed to revoke a user's sessions during an incident. */
      sessionRevocation: z.array(contactSchema).default([]),
      /** Who approves disruptive actions (blocking a user, disabling devices). */
      disruptiveActionApprover: contactSchema.optional(),
      /** Who decides legal, breach-notification and insurance questions. */
      legalAndBreachDecisions: contactSchema.optional(),
      runbook: z
        .object({
          owner: contactSchema,
          /** Date of the last tested session-revocation exercise. */
          lastTested: isoDate.optional(),
          location: z.string().optional(),
        })
        .optional(),
      /** Where users report a suspicious sign-in prompt or code request. */
      userReportingChannel: z.string().min(1).optional(),
    })
    .default({ sessionRevocation: [] }),
});

export type EngagementV1 = z.infer<typeof engagementV1Schema>;

/**
 * The engagement the rest of the code reads. The deliverables module widens this type
 * when it adds version 2; code that needs only version 1 keys reads them from here.
 */
export type Engagement = EngagementV1 & { version?: number; [key: string]: unknown };
