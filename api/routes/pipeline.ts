// The sales pipeline: journeys and their amounts per stage, within the caller's scope, and two
// totals that mean something: the open pipeline (journeys still under way) and what was won
// (paid and closed). Journeys that ended without a sale (disqualified, lost, cancelled, written
// off) are shown per stage but counted in neither total: adding their money would count deals
// that will never be paid.
import { z } from 'zod';
import { formatCents, toCents } from '../../db/money';
import { defaultProcess } from '../../machines/index';
import { stageOrder } from '../../machines/stageOrder';
import { userOf } from '../auth';
import type { ApiDeps } from '../deps';
import { applyScope, scopeOf } from '../scoping';
import { errors, moneySchema, type App } from '../schemas';

/** The default process's stages in journey order; stages of other definitions follow by name. */
export const STAGE_ORDER = stageOrder(defaultProcess);

/** Won: the customer paid (an over-payment under review is paid too). Their amount is the invoiced total, not the (zero) amount still due. */
const WON_STAGES = ['overpayment_review', 'paid', 'closed'];

/** Ended without a sale; any other journey that is done (a final stage of another definition) counts so too. */
const ENDED_STAGES = ['disqualified', 'lost', 'cancelled', 'written_off'];

type CountsIn = 'openPipeline' | 'won' | null;

const stageRank = (stage: string) => {
  const i = STAGE_ORDER.indexOf(stage);
  return i === -1 ? STAGE_ORDER.length : i;
};

const amountsSchema = z.array(moneySchema).describe('sum per currency, by currency code');
const totalSchema = z.object({ count: z.number().int(), amounts: amountsSchema });

const pipelineSchema = z.object({
  stages: z.array(
    z.object({
      stage: z.string(),
      count: z.number().int(),
      amounts: amountsSchema.describe(
        'sum per currency: for open stages the quote total until invoicing, then what is still due; for overpayment_review, paid and closed the invoiced total; ' +
          'for stages that ended without a sale the amount when it ended (the quote total, or what was still due when written off)',
      ),
      countsIn: z
        .enum(['openPipeline', 'won'])
        .nullable()
        .describe(
          'the total this stage is counted in; null for stages that ended without a sale (disqualified, lost, cancelled, written_off), which are in neither',
        ),
    }),
  ),
  openPipeline: totalSchema.describe(
    'journeys still under way (every stage that is neither won nor ended): their quote totals, or what is still due once invoiced',
  ),
  won: totalSchema.describe('journeys in overpayment_review, paid or closed: their invoiced totals'),
  total: z.object({ count: z.number().int() }).describe('every journey in scope, in any stage; no amount, as open, won and lost money do not add up'),
});

export function pipelineRoutes(app: App, deps: ApiDeps): void {
  app.get(
    '/v1/pipeline',
    {
      schema: {
        tags: ['journeys'],
        summary: 'Counts and amounts per stage, the open pipeline and what was won (scoped to the caller)',
        description: 'Cancelled, lost, disqualified and written-off journeys are listed per stage but counted in neither `openPipeline` nor `won`.',
        querystring: z.strictObject({ definition: z.string().min(1).max(64).optional().describe('only journeys of this process key') }),
        response: { 200: pipelineSchema, ...errors(400) },
      },
    },
    async (request) => {
      const { db } = deps;
      const scope = await scopeOf(db, userOf(request));
      const query = applyScope(db('journeys'), scope)
        // A won journey's amount is what was invoiced (summed over its invoices), else what it recorded.
        .joinRaw(
          `left join lateral (select sum(i.total) as total, min(i.currency) as currency from invoices i where i.journey_id = journeys.id) as invoiced
         on journeys.stage in (${WON_STAGES.map(() => '?').join(', ')})`,
          WON_STAGES,
        )
        .select('journeys.stage', db.raw('bool_or(journeys.status = ?) as done', ['done']))
        .select(db.raw('coalesce(invoiced.currency, journeys.currency) as currency'))
        .count('* as count')
        .select(db.raw('coalesce(sum(coalesce(invoiced.total, journeys.amount)), 0)::numeric(18,2)::text as amount'))
        .groupBy('journeys.stage', db.raw('coalesce(invoiced.currency, journeys.currency)'));
      if (request.query.definition) void query.where('journeys.definition_key', request.query.definition);
      const rows = (await query) as unknown as { stage: string; done: boolean; currency: string | null; count: string; amount: string }[];

      const countsIn = (row: { stage: string; done: boolean }): CountsIn =>
        WON_STAGES.includes(row.stage) ? 'won' : ENDED_STAGES.includes(row.stage) || row.done ? null : 'openPipeline';
      const stages = new Map<string, { stage: string; count: number; amounts: { amount: string; currency: string }[]; countsIn: CountsIn }>();
      const totals = { openPipeline: { count: 0, cents: new Map<string, bigint>() }, won: { count: 0, cents: new Map<string, bigint>() } };
      let count = 0;
      for (const row of rows) {
        const entry = stages.get(row.stage) ?? { stage: row.stage, count: 0, amounts: [], countsIn: countsIn(row) };
        // A stage some of whose journeys are done (a definition's final stage) ended for all of them.
        if (countsIn(row) === null) entry.countsIn = null;
        entry.count += Number(row.count);
        count += Number(row.count);
        if (row.currency) entry.amounts.push({ amount: row.amount, currency: row.currency });
        stages.set(row.stage, entry);
      }
      for (const entry of stages.values()) {
        if (!entry.countsIn) continue;
        const total = totals[entry.countsIn];
        total.count += entry.count;
        for (const a of entry.amounts) total.cents.set(a.currency, (total.cents.get(a.currency) ?? 0n) + toCents(a.amount));
      }
      const byCurrency = <T extends { currency: string }>(list: T[]) => list.sort((a, b) => a.currency.localeCompare(b.currency));
      const summed = (t: { count: number; cents: Map<string, bigint> }) => ({
        count: t.count,
        amounts: byCurrency([...t.cents.entries()].map(([currency, cents]) => ({ amount: formatCents(cents), currency }))),
      });
      return {
        stages: [...stages.values()]
          .map((s) => ({ ...s, amounts: byCurrency(s.amounts) }))
          .sort((a, b) => stageRank(a.stage) - stageRank(b.stage) || a.stage.localeCompare(b.stage)),
        openPipeline: summed(totals.openPipeline),
        won: summed(totals.won),
        total: { count },
      };
    },
  );
}
