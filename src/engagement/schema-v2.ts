import { z } from 'zod';

import { LICENSES } from '../checks/types.js';
import { engagementV1Shape, isoDate } from './schema.js';
import { INCLUSION_VALUES, ROLES, WORK_ITEM_IDS } from './work-items.js';

const workItemId = z.enum(WORK_ITEM_IDS as [string, ...string[]]);
const hours = z.number().min(0).max(10_000);
const money = z.number().min(0).max(1_000_000);

/** A range of hours; `max` must not be below `min`. */
const hoursRange = z
  .strictObject({ min: hours, max: hours })
  .refine((range) => range.max >= range.min, { message: 'a range whose max is at least its min', path: ['max'] });

/** YAML and JSON writers may use booleans for yes and no. */
const BOOLEAN_INCLUSION = new Map<unknown, string>([
  [true, 'yes'],
  [false, 'no'],
]);
const inclusion = z.preprocess((value) => BOOLEAN_INCLUSION.get(value) ?? value, z.enum(INCLUSION_VALUES));

const acceptedRiskSchema = z
  .strictObject({
    /** Finding key as report.json shows it: `<check id>:<object id>`, or the check id alone. */
    findingKey: z.string().min(1),
    reason: z.string().min(1),
    /** Name (and title) of the client's person who accepted the risk. */
    approver: z.string().min(1),
    acceptedOn: isoDate,
    reviewBy: isoDate,
    /** Objects the finding named at acceptance; a later finding naming more objects is flagged. */
    evidence: z
      .strictObject({
        objectCount: z.number().int().min(0),
        objectIds: z.array(z.string().min(1)).optional(),
      })
      .optional(),
  })
  .refine((risk) => risk.reviewBy >= risk.acceptedOn, { message: 'a review date on or after `acceptedOn`', path: ['reviewBy'] });

/**
 * Version 2 of the engagement file: every version 1 key plus the contract, the rate card, license
 * prices, effort overrides and the accepted-risk register. Amounts are in `currency`.
 */
export const engagementV2Schema = z.strictObject({
  ...engagementV1Shape,
  version: z.literal(2),
  client: z.strictObject({
    ...engagementV1Shape.client.shape,
    /** Users who would need a per-user license such as Entra ID P1; used to price license upgrades. */
    userCount: z.number().int().min(0).optional(),
    /** Admins who would need Entra ID P2 for PIM, when the findings do not name them all. */
    adminCount: z.number().int().min(0).optional(),
  }),
  /** ISO 4217 code shown beside every amount. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code such as USD').default('USD'),
  monthlySupport: z
    .strictObject({
      name: z.string().min(1).optional(),
      /** Work item id -> yes, maybe or no. Work items not listed count as `no`. */
      includes: z.partialRecord(workItemId, inclusion).default({}),
    })
    .default({ includes: {} }),
  /** Hourly rate per role. */
  rates: z.partialRecord(z.enum(ROLES), money).default({}),
  /** Emergency-response hours the contract includes before work is billed. */
  emergencyAllowance: z
    .strictObject({
      hours,
      period: z.enum(['month', 'quarter', 'year']).default('month'),
    })
    .optional(),
  /** Price of each license per user per month. */
  licensePrices: z.partialRecord(z.enum(LICENSES), money).default({}),
  /** The MSP's own estimates, replacing tokengap's defaults per work item. */
  effortDefaults: z
    .partialRecord(
      workItemId,
      z.strictObject({
        /** Hours for the work item whatever the number of objects. */
        baseHours: hoursRange.optional(),
        /** Hours added per object the findings name (per admin, per policy, per group). */
        perObjectHours: hoursRange.optional(),
        role: z.enum(ROLES).optional(),
      }),
    )
    .default({}),
  acceptedRisks: z.array(acceptedRiskSchema).default([]),
});

export type EngagementV2 = z.infer<typeof engagementV2Schema>;
export type AcceptedRisk = EngagementV2['acceptedRisks'][number];
