// The KPI report's shape (DESIGN.md section 7.4): the one source for its types, its validation
// and its OpenAPI description.
import { z } from 'zod';
import { moneySchema } from '../schemas';

const rate = z.number().nullable().describe('a fraction from 0 to 1, four decimals; null when nothing was counted');
const days = z.number().nullable().describe('days, two decimals; null when nothing was counted');

export const figuresSchema = z.object({
  pipeline: z
    .object({
      byStage: z.array(
        z.object({
          stage: z.string(),
          count: z.number().int(),
          amount: moneySchema.describe('sum of the amounts in the report currency'),
          weighted: moneySchema.describe("amount × the stage probability of the journey's definition"),
        }),
      ),
      total: moneySchema,
      weighted: moneySchema,
    })
    .describe('open journeys where they stood at the end of the period (not final, not paid): the quote total, or what is still due once invoiced'),
  winRate: z.object({
    count: rate.describe(
      'won ÷ decided: of the journeys that reached opportunity and were decided in the period (their first ending), those paid; the others ended lost, cancelled or written off',
    ),
    value: rate.describe('the same by deal value (invoiced total, else the quote total when it ended) in the report currency'),
  }),
  conversion: z
    .array(z.object({ from: z.enum(['lead', 'opportunity', 'order']), to: z.enum(['opportunity', 'order', 'paid']), rate }))
    .describe(
      'the cohort of journeys started in the period: of those that reached `from`, the share that reached `to` by the end of it (order: the stage ordering)',
    ),
  cycleTimeDays: z
    .object({ median: days, p80: days })
    .describe("days from the journey's start to paid, over journeys paid in the period; percentiles within 1% (see timeInStage)"),
  averageDealSize: moneySchema.nullable().describe('invoiced total per journey won (paid) in the period, in the report currency; null when none'),
  timeInStage: z
    .array(z.object({ stage: z.string(), medianHours: z.number(), p90Hours: z.number() }))
    .describe(
      'hours spent per stay in each stage, over the stays that ended in the period; percentiles are read from histograms of lengths in buckets 1% wide, each at the mean of its lengths: exact when they are equal, within 1% otherwise',
    ),
  receivables: z.object({
    ageing: z
      .object({
        current: moneySchema.describe('not yet due'),
        d1_30: moneySchema.describe('1 to 30 days past due'),
        d31_60: moneySchema,
        d61_90: moneySchema,
        d90_plus: moneySchema.describe('more than 90 days past due'),
      })
      .describe(
        "what is due at the end of the period (journeys in awaiting_payment or collections), by days past the due date: invoicing plus the definition's payment terms",
      ),
    dsoDays: z
      .number()
      .nullable()
      .describe("days of sales outstanding: receivables ÷ invoiced in the period × the period's days, one decimal; null when nothing was invoiced"),
  }),
  orderToCashDays: z.object({ median: days }).describe('days from ordering to paid, over journeys paid in the period; within 1% (see timeInStage)'),
});

export const reportSchema = figuresSchema.extend({
  groups: z
    .array(
      figuresSchema.extend({
        group: z.string().nullable().describe("the owner's id, the team, or the month (YYYY-MM); null for journeys without an owner or team"),
        label: z.string().nullable().describe("the owner's name, the team, or the month"),
      }),
    )
    .optional()
    .describe('with `groupBy`: the same figures per group'),
});

export type KpiFigures = z.infer<typeof figuresSchema>;
export type KpiReport = z.infer<typeof reportSchema>;
